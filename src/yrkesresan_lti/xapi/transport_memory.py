"""An in-memory LRS behind the :class:`Transport` hook, for tests and demos without Ralph.

It behaves like Ralph where it matters to a client: a batch is atomic; an identical
resend is accepted (204 when nothing new); a different statement under a stored id is a
409; a statement without actor/verb/object is a 400; ``more`` pages through results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from yrkesresan_lti.xapi.transport import Transport, TransportResponse

_REQUIRED = ("actor", "verb", "object")


class MemoryLrs(Transport):
    """Statements kept in a dict (insertion order); ``requests`` records what was sent."""

    def __init__(self, *, max_batch: int | None = None) -> None:
        self.statements: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, bytes | None]] = []
        self.max_batch = max_batch

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        timeout: tuple[float, float],
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> TransportResponse:
        """Answer one request like an LRS would, from memory."""
        self.requests.append((method, url, body))
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        query.update(params or {})
        if method == "POST":
            return self._post(body or b"")
        return self._get(urlsplit(url).path, query)

    def _post(self, body: bytes) -> TransportResponse:
        batch = json.loads(body)
        batch = batch if isinstance(batch, list) else [batch]
        if self.max_batch is not None and len(batch) > self.max_batch:
            return _answer(413, {"detail": "Payload too large"})
        ids = [s.get("id") for s in batch]
        if len(set(ids)) != len(ids):
            return _answer(400, {"detail": "Duplicate statement IDs in the list of statements"})
        for statement in batch:
            missing = [k for k in _REQUIRED if k not in statement]
            if missing or not statement.get("id"):
                return _answer(400, {"detail": f"statement {statement.get('id')}: {missing}"})
            stored = self.statements.get(statement["id"])
            if stored is not None and stored != statement:
                return _answer(409, {"detail": f"Differing statement: {statement['id']}"})
        new = [s for s in batch if s["id"] not in self.statements]
        for statement in new:
            self.statements[statement["id"]] = statement
        return _answer(200, [s["id"] for s in new]) if new else TransportResponse(204)

    def _get(self, path: str, query: dict[str, str]) -> TransportResponse:
        if "statementId" in query:
            found = self.statements.get(query["statementId"])
            return _answer(200, found) if found else _answer(404, {"detail": "not found"})
        matches = [s for s in self.statements.values() if _matches(s, query)]
        start, limit = int(query.get("offset", 0)), int(query.get("limit", 0)) or len(matches)
        page: dict[str, Any] = {"statements": matches[start : start + limit]}
        if start + limit < len(matches):
            rest = {k: v for k, v in query.items() if k != "offset"}
            page["more"] = f"{path}?{urlencode({**rest, 'offset': start + limit})}"
        return _answer(200, page)


def _matches(statement: dict[str, Any], query: Mapping[str, str]) -> bool:
    context = statement.get("context", {})
    checks = {
        "verb": statement["verb"].get("id"),
        "activity": statement["object"].get("id"),
        "registration": context.get("registration"),
    }
    if any(name in query and query[name] != value for name, value in checks.items()):
        return False
    since, until = query.get("since"), query.get("until")
    if "timestamp" not in statement:
        return since is None and until is None
    stamp = datetime.fromisoformat(statement["timestamp"])
    after = since is None or stamp > datetime.fromisoformat(since)
    return after and (until is None or stamp <= datetime.fromisoformat(until))


def _answer(status: int, data: object) -> TransportResponse:
    body = json.dumps(data).encode()
    return TransportResponse(status, body, {"content-type": "application/json"})
