"""The id of the request being served, for every log line written while serving it.

A web framework binds it per request (the adapter: ``X-Request-ID`` from the proxy when
well-formed, else a new one); :class:`RequestIdFilter`, on the handler, copies it onto each
record as ``request_id``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from yrkesresan_lti.clock import IdFactory, new_id

_REQUEST_ID: ContextVar[str | None] = ContextVar("yrkesresan_request_id", default=None)
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
"""8-128 characters of letters, digits and ``._:-`` (UUIDs, hex ids, most proxies' ids)."""


def request_id_from(header: str | None, new: IdFactory = new_id) -> str:
    """The proxy's id when it is well-formed (nothing forged into a log line), else a new one."""
    if header is not None and WELL_FORMED.fullmatch(header):
        return header
    return new()


def current_request_id() -> str | None:
    """The id of the request being handled in this context (``X-Request-ID``), or ``None``."""
    return _REQUEST_ID.get()


def bind_request_id(request_id: str) -> Token[str | None]:
    """Make ``request_id`` current; undo with :func:`unbind_request_id` and the token."""
    return _REQUEST_ID.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _REQUEST_ID.reset(token)


@contextmanager
def request_scope(request_id: str) -> Iterator[str]:
    """Lines logged inside the block carry ``request_id``."""
    token = bind_request_id(request_id)
    try:
        yield request_id
    finally:
        unbind_request_id(token)


class RequestIdFilter(logging.Filter):
    """Adds the current request id (if any) to every record passing the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            request_id = _REQUEST_ID.get()
            if request_id is not None:
                record.request_id = request_id
        return True
