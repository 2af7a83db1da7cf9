"""LRS client: deliver serialized statements in batches and read them back.

Unlike tincan's ``RemoteLRS`` it keeps connections alive, has timeouts, retries with
backoff, splits batches an LRS finds too large and isolates the statements it rejects
(:mod:`yrkesresan_lti.xapi.sender`). A statement is sent as the exact bytes it was given,
so every retry is byte-identical; an LRS that answers 409 to a resend (ADL's) is asked for
its copy, and the same statement counts as delivered.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from yrkesresan_lti.exceptions import LrsError, LrsRejected, LrsUnavailable
from yrkesresan_lti.retry import RETRYABLE_STATUSES, RetryPolicy
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.sender import DeliveryResult as DeliveryResult
from yrkesresan_lti.xapi.sender import Outcome as Outcome
from yrkesresan_lti.xapi.sender import OutgoingStatement as OutgoingStatement
from yrkesresan_lti.xapi.sender import StatementSender
from yrkesresan_lti.xapi.transport import RequestsTransport, Transport, TransportResponse
from yrkesresan_lti.xapi.transport import answer_reason as _reason
from yrkesresan_lti.xapi.transport import redact_url as _redact

log = logging.getLogger("yrkesresan.lrs")
XAPI_VERSION = "1.0.3"


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
        self._headers = {"X-Experience-API-Version": XAPI_VERSION, **auth_header(target)}

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
        """POST the statements in batches; one result per statement, in the given order
        (what each answer means: :mod:`yrkesresan_lti.xapi.sender`)."""
        sender = StatementSender(
            self.target.name,
            self.target.batch_size,
            post=self._post_once_or_more,
            read=self._stored,
        )
        return sender.send(statements)

    def _post_once_or_more(
        self, part: Sequence[OutgoingStatement], once: bool
    ) -> tuple[TransportResponse | None, str]:
        body = b"[" + b",".join(s.body for s in part) + b"]"
        headers = {**self._headers, "Content-Type": "application/json"}
        try:
            answer = self._request(
                "POST", self._statements_url, headers=headers, body=body, once=once, give_back=500
            )
        except LrsUnavailable as err:
            return None, str(err)
        return answer, ""

    def _stored(self, statement_id: str) -> dict[str, Any] | None:
        """The LRS's copy of the statement, voided or not."""
        return self.get(statement_id) or self._get_voided(statement_id)

    def _get_voided(self, statement_id: str) -> dict[str, Any] | None:
        """The voided statement with this id (an LRS shows it only under this parameter)."""
        try:
            return self.get(statement_id, parameter="voidedStatementId")
        except LrsRejected:  # an LRS that does not know the parameter does not void either
            return None

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
            params["since"] = query_time(since)
        if until is not None:
            params["until"] = query_time(until)
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

    def get(self, statement_id: str, parameter: str = "statementId") -> dict[str, Any] | None:
        """The statement with this id, or ``None`` if the LRS does not have it (a voided
        statement: ``parameter="voidedStatementId"``)."""
        params = {parameter: statement_id}
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

    def _request(
        self, method: str, url: str, *, once: bool = False, give_back: int = 0, **kwargs: Any
    ) -> TransportResponse:
        """One request with retries on 429/5xx/timeouts (``once``: no retry); raises
        LrsUnavailable at the end, or returns the last answer if its status is ``give_back``."""
        timeout = (self.target.connect_timeout, self.target.read_timeout)
        attempt = 0
        while True:
            attempt += 1
            retry_after: str | None = None
            answer: TransportResponse | None = None
            try:
                answer = self._transport.request(method, url, timeout=timeout, **kwargs)
            except LrsUnavailable as err:
                failure = str(err)
            else:
                if answer.status not in RETRYABLE_STATUSES:
                    return answer
                failure = f"LRS {self.target.name} answered {answer.status}: {_reason(answer)}"
                retry_after = answer.header("Retry-After")
            wait = None if once else self._retry.wait_for(attempt, retry_after)
            if wait is None:
                if answer is not None and answer.status == give_back:
                    return answer
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


def auth_header(target: LrsTarget) -> dict[str, str]:
    """The ``Authorization`` header for the target's token or user and password."""
    if target.token is not None:
        return {"Authorization": f"Bearer {target.token.get_secret_value()}"}
    if target.username is not None:
        password = target.password.get_secret_value() if target.password else ""
        pair = base64.b64encode(f"{target.username}:{password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    return {}


def query_time(moment: datetime) -> str:
    """``since``/``until`` of a statement query: an aware time in UTC, ISO 8601."""
    if moment.tzinfo is None:
        raise ValueError("since/until must be timezone-aware")
    return moment.astimezone(UTC).isoformat()
