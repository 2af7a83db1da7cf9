"""A click's combined statements stay within psycopg's query cache.

psycopg parses a query's text (its ``%(name)s`` placeholders into ``$n``) once and keeps it
in a cache, but only for a query of at most ``MAX_CACHED_STATEMENT_LENGTH`` bytes (4096) and
``MAX_CACHED_STATEMENT_PARAMS`` parameters (50); a longer one, or one with more parameters,
is parsed again at every execution. The click's statement that carries the outbox entries,
the ledger rows, the outcomes and the AGS score (:meth:`.Ledger.record`) is close to both
(some 3,700 bytes and 49 parameters): folding one more write into it, e.g. the statistics
summary, made each such click pay that parsing (≈ 0.1 ms of the worker's CPU in an
in-process A/B on PostgreSQL, more than the round trip it saved). The same holds for the
click's other combined statements (``WITH …``: the reads with the task's mark, the
statistics summary)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.db_fixtures import postgres_schema_url
from tests.pages.conftest import Launches
from tests.pages.test_click_on_both_databases import clicked
from yrkesresan_adapter.state import AdapterState

queries = pytest.importorskip("psycopg._queries")


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, int]]:
    """(text, number of parameters) of every query psycopg converts while the test runs."""
    seen: list[tuple[bytes, int]] = []
    convert = queries.PostgresQuery.convert

    def recording(self: Any, query: Any, params: Any) -> None:
        if params is not None:
            text = query if isinstance(query, bytes) else str(query).encode()
            seen.append((text, len(params)))
        convert(self, query, params)

    monkeypatch.setattr(queries.PostgresQuery, "convert", recording)
    return seen


@pytest.mark.postgres
def test_the_combined_statements_of_the_clicks_are_ones_psycopg_caches(
    make_app: Callable[..., Flask], launches: Launches, converted: list[tuple[bytes, int]]
) -> None:
    length = getattr(queries, "MAX_CACHED_STATEMENT_LENGTH", None)
    params = getattr(queries, "MAX_CACHED_STATEMENT_PARAMS", None)
    if length is None or params is None:
        pytest.skip("this psycopg caches queries by other rules")
    with postgres_schema_url() as url:
        app = clicked(make_app, launches, url)  # done, undo, done again, open: all paths
        AdapterState.of(app).services.db.dispose()
    combined = [(t, n) for t, n in converted if t.startswith(b"WITH ")]
    assert any(t.startswith(b"WITH xapi_entries") for t, _ in combined)  # the ledger carried
    too_big = {t[:80]: (len(t), n) for t, n in combined if len(t) > length or n > params}
    assert not too_big
