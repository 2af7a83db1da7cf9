"""The summary's bulk upsert keeps every value as given, on SQLite (rows as one JSON text)
and PostgreSQL (one array per column): non-ASCII and quoted texts, 64-bit integers of
either sign, the same unit twice in a row, and the rows it returns."""

from __future__ import annotations

from sqlalchemy import select

from yrkesresan_adapter.stats.bulk import BulkUpsert
from yrkesresan_adapter.stats.schema import UNIT_KEY, stats_tables
from yrkesresan_adapter.stats.units import unit_of
from yrkesresan_adapter.storage.database import Database

UNITS = stats_tables.units
BIG = 2**63 - 1
ODD = 'Å\'ä"ö\\ \u00e9 \U0001f600 https://yrkesresan.se/id/x?a=1&b="2"'


def _row(figure: str, learner: int, gkey: str, refs: int) -> dict[str, object]:
    values = (figure, learner, -BIG, ODD, 2026, "municipality", gkey)
    return {**dict(zip(UNIT_KEY, values, strict=True)), "refs": refs}


def test_the_rows_are_stored_and_returned_as_given(database: Database) -> None:
    upsert = BulkUpsert(
        UNITS,
        (*UNIT_KEY, "refs"),
        UNIT_KEY,
        lambda t, excluded, _dialect: {"refs": t.c.refs + excluded.refs},
        returning=(*UNIT_KEY, "refs"),
    )
    first = [_row("users", -BIG, "Göteborg", 1), _row("users", BIG, ODD, 2)]
    with database.engine.begin() as db:
        returned = upsert.execute(db, first)
        again = upsert.execute(db, [_row("users", BIG, ODD, 5)])
    expected = {unit_of(tuple(r.values())): r["refs"] for r in first}
    assert {unit_of(r): r.refs for r in returned} == expected
    assert [(unit_of(r), r.refs) for r in again] == [(unit_of(tuple(first[1].values())), 7)]
    with database.connection() as conn:
        stored = {unit_of(r): r.refs for r in conn.execute(select(UNITS))}
    assert stored == {**expected, unit_of(tuple(first[1].values())): 7}


def test_no_rows_runs_nothing(database: Database) -> None:
    upsert = BulkUpsert(
        UNITS, (*UNIT_KEY, "refs"), UNIT_KEY, lambda _t, excluded, _d: {"refs": excluded.refs}
    )
    with database.engine.begin() as db:
        assert upsert.execute(db, []) == []
