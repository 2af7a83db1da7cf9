"""Rows an action read ahead, in its own transaction, for the code that would ask again.

A learner's click needs a handful of small reads spread over several modules (the
municipality of the statements, the AGS placements, the occasion registration, the
unvoided outcome statements). The click reads them all in one statement
(:mod:`yrkesresan_adapter.pages.click_reads`) and offers them here for the rest of its
transaction; each reader asks :func:`ahead` with its own key first and queries as before
when the key is absent. A writer of such rows calls :func:`forget` for its key, so a read
after a write in the same block never sees the rows from before it.

The rows live in a context variable set by :func:`reading_ahead` around the action only:
nothing is kept between requests (no cache to invalidate across workers), and a read
outside the block, another thread or request always queries.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

MISSING: Final = object()
"""What :func:`ahead` returns when nothing was read ahead for a key."""

_ROWS: ContextVar[dict[Hashable, Any] | None] = ContextVar("yrkesresan_read_ahead", default=None)


@contextmanager
def reading_ahead(rows: Mapping[Hashable, Any]) -> Iterator[None]:
    """Offer ``rows`` (key → what its reader would have read) for the block, which must run
    inside the transaction that read them."""
    reset = _ROWS.set(dict(rows))
    try:
        yield
    finally:
        _ROWS.reset(reset)


def ahead(key: Hashable) -> Any:
    """What was read ahead for ``key`` in this block, else :data:`MISSING`."""
    rows = _ROWS.get()
    return MISSING if rows is None else rows.get(key, MISSING)


def forget(key: Hashable) -> None:
    """The rows of ``key`` change: later reads in the block query again."""
    rows = _ROWS.get()
    if rows is not None:
        rows.pop(key, None)
