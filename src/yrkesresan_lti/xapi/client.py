"""LRS client: deliver serialized statements in batches and read them back.

Unlike tincan's ``RemoteLRS`` it keeps connections alive, has timeouts, retries with
backoff, splits batches an LRS finds too large and isolates the statements it rejects.
A statement is sent as the exact bytes it was given, so every retry is byte-identical
and the LRS can recognise it (same id, same content → accepted again, not a conflict).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin, urlsplit

from yrkesresan_lti.exceptions import LrsError, LrsRejected, LrsUnavailable
from yrkesresan_lti.logs.redact import without_identities
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.transport import RequestsTransport, Transport, TransportResponse
from yrkesresan_lti.xapi.transport import redact_url as _redact
from yrkesresan_lti.xapi.transport_retry import RETRYABLE_STATUSES, RetryPolicy

log = logging.getLogger("yrkesresan.lrs")
XAPI_VERSION = "1.0.3"
# Answers about the content of a batch: split it until the refused statement is alone.
# 400 bad statement, 409 different statement under the same id, 413 too large,
# 422 what some LRSs (Ralph) answer for a statement that does not validate.
_BISECT = frozenset({400, 409, 413, 422})


class Outcome(StrEnum):
    DELIVERED = "delivered"
    REJECTED = "rejected"  # for good: retrying will not help
    RETRY_LATER = "retry-later"


@dataclass(frozen=True)
class OutgoingStatement:
    """A statement ready to send: its id and its exact serialized bytes."""

    id: str
    body: bytes

    @classmethod
    def of(cls, body: bytes) -> OutgoingStatement:
        try:
            statement_id = json.loads(body)["id"]
        except (ValueError, KeyError, TypeError) as err:
            raise LrsRejected("statement bytes must be a JSON object with an 'id'") from err
        return cls(str(statement_id), body)


@dataclass(frozen=True)
class DeliveryResult:
    statement_id: str
    outcome: Outcome
    reason: str | None = None
    status: int | None = None


class LrsClient:
    """One LRS (an :class:`LrsTarget`): ``send`` statements, ``query`` and ``get`` them."""

    def __init__(
        self,
        target: LrsTarget,
        *,
        transport: Transport | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.target = target
        self._transport = transport or RequestsTransport()
        self._retry = retry or RetryPolicy()
        self._statements_url = urljoin(target.endpoint, "statements")
        parts = urlsplit(target.endpoint)
        self._root = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/"
        self._headers = {"X-Experience-API-Version": XAPI_VERSION, **_auth_header(target)}

    def __repr__(self) -> str:
        return f"LrsClient({self.target.name!r}, {_redact(self.target.endpoint)!r})"

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> LrsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def send(self, statements: Iterable[bytes | OutgoingStatement]) -> list[DeliveryResult]:
        """POST the statements in batches; one result per statement, in the given order."""
        items = [
            s if isinstance(s, OutgoingStatement) else OutgoingStatement.of(s) for s in statements
        ]
        results: list[DeliveryResult | None] = [None] * len(items)
        size = self.target.batch_size
        pending = [list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size)]
        pending.reverse()
        while pending:
            part = pending.pop()
            answer, why = self._post([items[i] for i in part])
            if answer is None:  # unavailable: this and everything after it waits
                for idx in part + [i for p in pending for i in p]:
                    results[idx] = DeliveryResult(items[idx].id, Outcome.RETRY_LATER, why)
                break
            status = answer.status
            if 200 <= status < 300:
                for idx in part:
                    results[idx] = DeliveryResult(items[idx].id, Outcome.DELIVERED, status=status)
            elif status in _BISECT and len(part) > 1:  # find the statement(s) it refuses
                half = len(part) // 2
                pending.extend([part[half:], part[:half]])
            elif status in _BISECT:
                why = _reason(answer)
                results[part[0]] = DeliveryResult(items[part[0]].id, Outcome.REJECTED, why, status)
                log.warning(
                    "lrs_rejected",
                    extra={
                        "event": "lrs_rejected",
                        "target": self.target.name,
                        "statement_id": items[part[0]].id,
                        "status": status,
                        "reason": without_identities(why, items[part[0]].body)[:300],
                    },
                )
            else:  # 401/403/404/...: the LRS or our configuration is wrong, not the statement
                why = _reason(answer)
                for idx in part + [i for p in pending for i in p]:
                    results[idx] = DeliveryResult(items[idx].id, Outcome.RETRY_LATER, why, status)
                break
        return [r for r in results if r is not None]

    def _post(self, part: Sequence[OutgoingStatement]) -> tuple[TransportResponse | None, str]:
        body = b"[" + b",".join(s.body for s in part) + b"]"
        headers = {**self._headers, "Content-Type": "application/json"}
        try:
            return self._request("POST", self._statements_url, headers=headers, body=body), ""
        except LrsUnavailable as err:
            return None, str(err)

    # --- reading -------------------------------------------------------------------------

    def query(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        verb: str | None = None,
        activity: str | None = None,
        agent: Mapping[str, Any] | None = None,
        registration: str | None = None,
        limit: int | None = None,
        ascending: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Yield every matching statement, page after page (``limit`` is the page size)."""
        params: dict[str, str] = {}
        if since is not None:
            params["since"] = _iso(since)
        if until is not None:
            params["until"] = _iso(until)
        for name, value in (("verb", verb), ("activity", activity), ("registration", registration)):
            if value is not None:
                params[name] = str(value)
        if agent is not None:
            params["agent"] = json.dumps(dict(agent), separators=(",", ":"))
        if limit is not None:
            params["limit"] = str(limit)
        if ascending:
            params["ascending"] = "true"
        url: str | None = self._statements_url
        query: dict[str, str] | None = params
        while url:
            page = self._read_json(url, query)
            yield from page.get("statements", [])
            more = page.get("more")
            url, query = (urljoin(self._root, more), None) if more else (None, None)

    def get(self, statement_id: str) -> dict[str, Any] | None:
        """The statement with this id, or ``None`` if the LRS does not have it."""
        params = {"statementId": statement_id}
        answer = self._request("GET", self._statements_url, headers=self._headers, params=params)
        if answer.status == 404:
            return None
        data = self._json(answer)
        if "id" not in data and isinstance(data.get("statements"), list):
            # Ralph answers with a statement result instead of the bare statement.
            found = [s for s in data["statements"] if s.get("id") == statement_id]
            return found[0] if found else None
        return data

    def _read_json(self, url: str, params: Mapping[str, str] | None) -> dict[str, Any]:
        return self._json(self._request("GET", url, headers=self._headers, params=params))

    def _json(self, answer: TransportResponse) -> dict[str, Any]:
        if answer.status != 200:
            error = LrsRejected if 400 <= answer.status < 500 else LrsError
            raise error(f"LRS {self.target.name} answered {answer.status}: {_reason(answer)}")
        try:
            data = json.loads(answer.body)
        except ValueError as err:
            raise LrsError(f"LRS {self.target.name} answered invalid JSON") from err
        if not isinstance(data, dict):
            raise LrsError(f"LRS {self.target.name} answered {type(data).__name__}, not an object")
        return data

    # --- retries -------------------------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs: Any) -> TransportResponse:
        """One request with retries on 429/5xx/timeouts; raises LrsUnavailable at the end."""
        timeout = (self.target.connect_timeout, self.target.read_timeout)
        attempt = 0
        while True:
            attempt += 1
            retry_after: str | None = None
            try:
                answer = self._transport.request(method, url, timeout=timeout, **kwargs)
            except LrsUnavailable as err:
                failure = str(err)
            else:
                if answer.status not in RETRYABLE_STATUSES:
                    return answer
                failure = f"LRS {self.target.name} answered {answer.status}: {_reason(answer)}"
                retry_after = answer.header("Retry-After")
            wait = self._retry.wait_for(attempt, retry_after)
            if wait is None:
                raise LrsUnavailable(f"{failure} (gave up after {attempt} attempt(s))")
            log.info(
                "lrs_retry",
                extra={
                    "event": "lrs_retry",
                    "target": self.target.name,
                    "attempt": attempt,
                    "wait_seconds": round(wait, 1),
                    "reason": failure[:300],
                },
            )
            self._retry.sleep(wait)


def _auth_header(target: LrsTarget) -> dict[str, str]:
    if target.token is not None:
        return {"Authorization": f"Bearer {target.token.get_secret_value()}"}
    if target.username is not None:
        password = target.password.get_secret_value() if target.password else ""
        pair = base64.b64encode(f"{target.username}:{password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    return {}


def _reason(answer: TransportResponse) -> str:
    """The LRS's own message (JSON ``detail``/``message`` or text), shortened."""
    text = answer.body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("detail", "message", "error"):
            if key in data:
                text = (
                    json.dumps(data[key], ensure_ascii=False)
                    if not isinstance(data[key], str)
                    else data[key]
                )
                break
    return (text or f"HTTP {answer.status}")[:500]


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("since/until must be timezone-aware")
    return moment.astimezone(UTC).isoformat()
