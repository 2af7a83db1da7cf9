"""Read statements from any xAPI 1.0.3 LRS: ``GET /statements`` with filters, page by page.

:class:`LrsReader` sends the query (:class:`StatementQuery`: verb, activity with
``related_activities``, ``since``/``until``, registration, page size), then follows the
``more`` link of each :class:`StatementResult` page until there is none. It keeps one page
in memory at a time. What it refuses, with a typed error:

* a ``more`` link to another scheme, host or port (the credentials stay with the LRS):
  :class:`~yrkesresan_lti.exceptions.LrsPagingError` ``foreign_more``;
* a ``more`` link it has followed before (a server that pages in a circle): ``loop``;
* more than ``max_pages`` pages (a server that pages forever): ``too_many_pages``;
* 401/403 (:class:`~yrkesresan_lti.exceptions.LrsAccessDenied`), 404
  (:class:`~yrkesresan_lti.exceptions.LrsNotFound`), any other 4xx
  (:class:`~yrkesresan_lti.exceptions.LrsRejected`), a body that is not a statement result
  (:class:`~yrkesresan_lti.exceptions.LrsBadAnswer`);
* 429/5xx and connection failures are retried with the project's
  :class:`~yrkesresan_lti.retry.RetryPolicy`, then raise
  :class:`~yrkesresan_lti.exceptions.LrsUnavailable`.

Voiding: an LRS leaves voided statements out of every such query (xAPI 1.0.3, part 3,
2.1.3). The reader passes the voiding statements themselves on; a consumer that must also
be right when it read a statement before the LRS saw its voiding (or against an LRS that
ignores the rule) drops their targets: :class:`~yrkesresan_lti.reports.facts.FactSet` does.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from yrkesresan_lti.exceptions import (
    LrsAccessDenied,
    LrsBadAnswer,
    LrsNotFound,
    LrsPagingError,
    LrsRejected,
    LrsUnavailable,
)
from yrkesresan_lti.retry import RETRYABLE_STATUSES, RetryPolicy
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import XAPI_VERSION, auth_header, query_time
from yrkesresan_lti.xapi.transport import (
    RequestsTransport,
    Transport,
    TransportResponse,
    answer_reason,
    redact_url,
)

__all__ = ["DEFAULT_MAX_PAGES", "LrsReader", "StatementQuery"]

log = logging.getLogger("yrkesresan.lrs")

DEFAULT_MAX_PAGES = 100_000
"""Pages the reader follows at most (10 million statements at Ralph's 100 a page)."""


@dataclass(frozen=True)
class StatementQuery:
    """The filters of ``GET /statements`` (xAPI 1.0.3, part 3, 2.1.3); None: not sent.

    ``since``/``until`` compare with the time the LRS *stored* a statement (Ralph: its
    ``timestamp``); ``limit`` is the page size the LRS may lower."""

    verb: str | None = None
    activity: str | None = None
    related_activities: bool = False
    registration: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = None
    ascending: bool = False

    def params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        for name, value in (
            ("verb", self.verb),
            ("activity", self.activity),
            ("registration", self.registration),
        ):
            if value is not None:
                params[name] = value
        if self.related_activities:
            params["related_activities"] = "true"
        if self.since is not None:
            params["since"] = query_time(self.since)
        if self.until is not None:
            params["until"] = query_time(self.until)
        if self.limit is not None:
            params["limit"] = str(self.limit)
        if self.ascending:
            params["ascending"] = "true"
        return params


class LrsReader:
    """Reads one LRS (an :class:`LrsTarget`: endpoint, Basic or Bearer credentials)."""

    def __init__(
        self,
        target: LrsTarget,
        *,
        transport: Transport | None = None,
        retry: RetryPolicy | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        self.target = target
        self._transport = transport or RequestsTransport()
        self._retry = retry or RetryPolicy()
        self._max_pages = max_pages
        self._statements_url = urljoin(target.endpoint, "statements")
        parts = urlsplit(target.endpoint)
        self._origin = (parts.scheme, parts.hostname, parts.port)
        self._root = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/"
        self._headers = {"X-Experience-API-Version": XAPI_VERSION, **auth_header(target)}
        self.pages_read = 0

    def __repr__(self) -> str:
        return f"LrsReader({redact_url(self.target.endpoint)!r})"

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> LrsReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def statements(self, query: StatementQuery | None = None) -> Iterator[dict[str, Any]]:
        """Every statement the query matches, page after page (voiding statements included)."""
        for page in self.pages(query):
            yield from page

    def pages(self, query: StatementQuery | None = None) -> Iterator[list[dict[str, Any]]]:
        """The statements of each page; the next page is asked for when this one is used."""
        url: str | None = self._statements_url
        params: dict[str, str] | None = (query or StatementQuery()).params()
        followed: set[str] = set()
        pages = 0
        while url is not None:
            if pages >= self._max_pages:
                raise LrsPagingError(
                    f"The LRS at {self._where()} has more than {self._max_pages} pages",
                    reason="too_many_pages",
                    url=self._where(),
                    pages=str(self._max_pages),
                )
            statements, more = self._page(url, params)
            pages += 1
            self.pages_read += 1
            yield statements
            url, params = (self._next_url(more, followed), None) if more else (None, None)

    # --- one page ------------------------------------------------------------------------

    def _page(
        self, url: str, params: Mapping[str, str] | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        answer = self._request(url, params)
        where = self._where()
        if answer.status in (401, 403):
            reason = "unauthorized" if answer.status == 401 else "forbidden"
            raise LrsAccessDenied(
                f"The LRS at {where} answered {answer.status}: {answer_reason(answer)}",
                reason=reason,
                url=where,
                status=str(answer.status),
            )
        if answer.status == 404:
            raise LrsNotFound(f"The LRS at {where} answered 404", url=where)
        if answer.status != 200:
            raise LrsRejected(
                f"The LRS at {where} answered {answer.status}: {answer_reason(answer)}",
                reason="status",
                url=where,
                status=str(answer.status),
                detail=answer_reason(answer)[:200],
            )
        try:
            data = json.loads(answer.body)
        except ValueError as err:
            raise LrsBadAnswer(
                f"The LRS at {where} answered invalid JSON", reason="json", url=where
            ) from err
        statements = data.get("statements") if isinstance(data, dict) else None
        more = data.get("more") if isinstance(data, dict) else None
        if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
            raise LrsBadAnswer(
                f"The LRS at {where} answered without a statements list",
                reason="not_result",
                url=where,
            )
        if more is not None and not isinstance(more, str):
            raise LrsBadAnswer(
                f"The LRS at {where} answered a 'more' that is not a string",
                reason="not_result",
                url=where,
            )
        return statements, more or None

    def _next_url(self, more: str, followed: set[str]) -> str:
        """The absolute URL of ``more`` (relative to the server root, or absolute on it)."""
        url = urljoin(self._statements_url if more.startswith(("/", "http")) else self._root, more)
        parts = urlsplit(url)
        if (parts.scheme, parts.hostname, parts.port) != self._origin:
            raise LrsPagingError(
                f"The LRS at {self._where()} pointed 'more' at {redact_url(url)}",
                reason="foreign_more",
                url=self._where(),
                more=redact_url(url),
            )
        if url in followed:
            raise LrsPagingError(
                f"The LRS at {self._where()} gave the same 'more' link twice",
                reason="loop",
                url=self._where(),
            )
        followed.add(url)
        return url

    def _where(self) -> str:
        return redact_url(self.target.endpoint)

    def _request(self, url: str, params: Mapping[str, str] | None) -> TransportResponse:
        """One GET, retried on 429/5xx and connection failures as :class:`RetryPolicy` says."""
        timeout = (self.target.connect_timeout, self.target.read_timeout)
        attempt = 0
        while True:
            attempt += 1
            retry_after: str | None = None
            try:
                answer = self._transport.request(
                    "GET", url, headers=self._headers, timeout=timeout, params=params
                )
            except LrsUnavailable as err:
                failure = str(err)
            else:
                if answer.status not in RETRYABLE_STATUSES:
                    return answer
                failure = f"The LRS at {self._where()} answered {answer.status}"
                retry_after = answer.header("Retry-After")
            wait = self._retry.wait_for(attempt, retry_after)
            if wait is None:
                raise LrsUnavailable(
                    f"{failure} (gave up after {attempt} attempt(s))",
                    reason="read",
                    url=self._where(),
                    attempts=str(attempt),
                )
            log.info(
                "lrs_retry",
                extra={"event": "lrs_retry", "attempt": attempt, "wait_seconds": round(wait, 1)},
            )
            self._retry.sleep(wait)
