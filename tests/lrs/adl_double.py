"""An LRS as strict as ADL's reference LRS (adlnet/ADL_LRS), on a real loopback HTTP port.

What it copies from ADL (seen when our statements were sent to it, issue 11):

- **409 for any id it already holds**, identical resend or not, and for the whole batch if
  one id of it is known (xAPI 1.0.3 Communication §2.1.1–2.1.2 allow that);
- ``actor.account.name`` (and ``context.instructor``'s) in a 50-character column: a longer
  one is a **500** ``value too long for type character varying(50)``, nothing of the batch
  stored (one database transaction);
- **500** for a statement id listed in ``poison`` (any other bug of an LRS's);
- ``X-Experience-API-Version: 2.0.0`` on every answer, whatever the request said;
- read back, timestamps as ``…14.343000+00:00``, default ``objectType``s filled in, and
  ``version``, ``stored`` and ``authority`` added;
- voided statements only under ``voidedStatementId``, a 404 under ``statementId``.

Not a full LRS: no PUT, attachments, documents; queries filter by ``registration``,
``verb`` and ``activity`` (object id) and page with ``limit`` and ``more``.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from yrkesresan_lti.settings import LrsTarget

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
NAME_LIMIT = 50


class AdlStrictLrs:
    """The WSGI app; ``statements`` maps id → stored statement, ``voided`` the voided ids."""

    def __init__(self, username: str = "adl", password: str = "adl-password") -> None:
        self.username, self.password = username, password
        self.statements: dict[str, dict[str, Any]] = {}
        self.voided: set[str] = set()
        self.poison: set[str] = set()
        self.posts = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self._answer(request)
        response.headers["X-Experience-API-Version"] = "2.0.0"
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response:
        expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return _json(401, {"error": "Unauthorized"})
        if "X-Experience-API-Version" not in request.headers:
            return _json(400, {"error": "X-Experience-API-Version header missing"})
        if not request.path.endswith("/statements"):
            return _json(404, {"error": "Not found"})
        if request.method == "POST":
            with self._lock:
                self.posts += 1
                return self._post(request.get_data())
        if request.method == "GET":
            with self._lock:
                return self._get(request)
        return _json(405, {"error": "Method not allowed"})

    def _post(self, body: bytes) -> Response:
        try:
            batch = json.loads(body)
        except ValueError:
            return _json(400, {"error": "Invalid JSON"})
        batch = batch if isinstance(batch, list) else [batch]
        for statement in batch:
            missing = [k for k in ("id", "actor", "verb", "object") if not statement.get(k)]
            if missing:
                return _json(400, {"error": f"Statement is missing {', '.join(missing)}"})
        for statement in batch:
            if statement["id"] in self.statements:
                return _text(409, f"A statement with ID {statement['id']} already exists")
        for statement in batch:
            if statement["id"] in self.poison or _too_long_name(statement):
                return _text(500, "value too long for type character varying(50)\n")
        for statement in batch:
            self.statements[statement["id"]] = _as_stored(statement, self.username)
            target = statement["object"]
            if statement["verb"]["id"] == VOIDED and target.get("objectType") == "StatementRef":
                self.voided.add(target["id"])
        return _json(200, [s["id"] for s in batch])

    def _get(self, request: Request) -> Response:
        args = request.args
        for key, voided in (("statementId", False), ("voidedStatementId", True)):
            if key in args:
                found = self.statements.get(args[key])
                if found is None or (args[key] in self.voided) is not voided:
                    return _json(404, {"error": f"No statement found with ID {args[key]}"})
                return _json(200, found)
        matches = [s for s in self.statements.values() if _matches(s, args)]
        start, limit = int(args.get("offset", 0)), int(args.get("limit", 0)) or 100
        page: dict[str, Any] = {"statements": matches[start : start + limit], "more": ""}
        if start + limit < len(matches):
            rest = {k: v for k, v in args.items() if k != "offset"}
            page["more"] = f"{request.path}?{urlencode({**rest, 'offset': start + limit})}"
        return _json(200, page)


def _agents(statement: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield statement["actor"]
    instructor = statement.get("context", {}).get("instructor")
    if instructor:
        yield instructor


def _too_long_name(statement: dict[str, Any]) -> bool:
    names = [a.get("account", {}).get("name", "") for a in _agents(statement)]
    return any(len(name) > NAME_LIMIT for name in names)


def _as_stored(statement: dict[str, Any], username: str) -> dict[str, Any]:
    """The statement as ADL returns it: reformatted times, defaults and LRS fields added."""
    stored: dict[str, Any] = json.loads(json.dumps(statement))
    now = datetime.now(UTC)
    moment = datetime.fromisoformat(stored.get("timestamp", now.isoformat()))
    stored["timestamp"] = moment.astimezone(UTC).isoformat(timespec="microseconds")
    stored["stored"] = now.isoformat(timespec="microseconds")
    stored["version"] = "1.0.0"
    stored["authority"] = {"objectType": "Agent", "name": username, "mbox": "mailto:lrs@adl.test"}
    stored["actor"].setdefault("objectType", "Agent")
    stored["object"].setdefault("objectType", "Activity")
    for kind in stored.get("context", {}).get("contextActivities", {}).values():
        for activity in kind if isinstance(kind, list) else [kind]:
            activity.setdefault("objectType", "Activity")
    return stored


def _matches(statement: dict[str, Any], args: Any) -> bool:
    checks = {
        "registration": statement.get("context", {}).get("registration"),
        "verb": statement["verb"]["id"],
        "activity": statement["object"].get("id"),
    }
    return all(name not in args or args[name] == value for name, value in checks.items())


def _json(status: int, data: object) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def _text(status: int, text: str) -> Response:
    return Response(text, status=status, content_type="text/html; charset=utf-8")


class AdlStrictServer:
    """:class:`AdlStrictLrs` under werkzeug's threaded server on a free loopback port."""

    def __init__(self) -> None:
        self.app = AdlStrictLrs()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.endpoint = f"http://127.0.0.1:{self._server.port}/xAPI/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def lrs_target(self, **settings: Any) -> LrsTarget:
        fields = {"name": "adl", "username": self.app.username, "password": self.app.password}
        return LrsTarget(endpoint=self.endpoint, **{**fields, **settings})

    @contextmanager
    def running(self) -> Iterator[AdlStrictServer]:
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
