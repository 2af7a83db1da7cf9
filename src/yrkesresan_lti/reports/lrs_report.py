"""The figures of one LRS: which statements to ask for, and reading them into figures.

:func:`figures_from_lrs` asks the LRS only for what the filters can use (the course's or
the journey's statements with ``related_activities``, those stored since the start of the
year), counts the rest of the filters itself, and reads the voiding statements too when
the query is narrowed: an LRS that still returns voided statements (Ralph 5.1 does) then
cannot make them count. ``until`` is never sent: an LRS compares it with the time a
statement was *stored*, and an event of December may arrive in January.

While it reads, Python's cyclic garbage collector is paused: the facts of a million
statements are millions of small objects that live to the end, and every full collection
would walk them all again (it halved the throughput at 200,000 statements,
``bench/report.py``). Statements and facts hold no reference cycles; plain reference counting
frees each page as soon as it is read. The collector is switched back on afterwards (only
if it was on).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import chain

from yrkesresan_lti.reports.facts import SWEDEN, VOIDED, FactSet
from yrkesresan_lti.reports.figures import Figures, Filters
from yrkesresan_lti.reports.from_statements import figures_from_facts
from yrkesresan_lti.reports.reader import LrsReader, StatementQuery

__all__ = ["DEFAULT_PAGE_SIZE", "figures_from_lrs", "queries_for"]

DEFAULT_PAGE_SIZE = 500
"""Statements asked for per page (an LRS may send fewer: Ralph sends at most 100)."""


def queries_for(filters: Filters, *, page_size: int = DEFAULT_PAGE_SIZE) -> list[StatementQuery]:
    """The queries that read every statement the filters may count (and their voidings)."""
    since = None
    if filters.year is not None:
        since = datetime(filters.year, 1, 1, tzinfo=SWEDEN)
    activity = filters.course or filters.journey
    main = StatementQuery(
        activity=activity,
        related_activities=activity is not None,
        since=since,
        limit=page_size,
    )
    if activity is None:
        return [main]  # every statement, the voiding ones among them
    return [main, StatementQuery(verb=VOIDED, since=since, limit=page_size)]


def figures_from_lrs(
    reader: LrsReader,
    filters: Filters | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    languages: tuple[str, ...] = ("sv", "en"),
) -> Figures:
    """Read what the filters need from the LRS and count the figures (labels in the first
    of ``languages`` the activity names have)."""
    filters = filters or Filters()
    facts = FactSet().prefer(*languages)
    pages = chain.from_iterable(
        reader.pages(query) for query in queries_for(filters, page_size=page_size)
    )
    with _collector_paused():
        facts.add_pages(pages)
        return figures_from_facts(facts, filters)


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
