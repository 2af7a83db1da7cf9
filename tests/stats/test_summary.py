"""The statistics summary (kept at write time) always equals a recomputation from the raw
ledger, and its figures equal the exact query's: over random histories with voiding,
erasure, changed ratings and re-registrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import Connection, select

from tests.stats.history import COURSE, OTHER_COURSE, day, question, statement
from yrkesresan_adapter import migrations
from yrkesresan_adapter.stats.ledger import Ledger
from yrkesresan_adapter.stats.query import FigureQueries, summarised
from yrkesresan_adapter.stats.rebuild import rebuild
from yrkesresan_adapter.stats.schema import UNIT_KEY, stats_tables
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.reports import Filters

OCCASIONS = [f"{c}/occasions/{o}" for c in (COURSE, OTHER_COURSE) for o in ("vt", "ht")]
PLACES = [("1480", "14"), ("1481", "14"), ("0180", "01"), (None, None)]
TIMES = [  # New Year's Eve 23:30 UTC is already 2026 in Sweden; equal times tie
    "2025-06-01T10:00:00Z",
    "2025-12-31T23:30:00Z",
    "2026-03-01T10:00:00Z",
    "2026-03-01T10:00:00Z",
    "2026-05-04T10:00:00Z",
    "2026-09-01T08:00:00Z",
]
FILTERS = [Filters(), Filters(year=2025), Filters(year=2026), Filters(year=2024)]


def _random_statement(rng: random.Random, made: list[dict[str, Any]]) -> dict[str, Any]:
    learner = rng.choice(["anna", "bo", "cecilia", "david", "eva"])
    occasion = rng.choice(OCCASIONS)
    course = occasion.split("/occasions/")[0]
    municipality, county = rng.choice(PLACES)
    where: dict[str, Any] = {
        "at": rng.choice(TIMES),
        "municipality": municipality,
        "county": county,
        "seats": rng.choice([20, 24, None]),
    }
    verb = rng.choice(
        ["registered"] * 3
        + ["unregistered", "attended", "attended", "attended", "completed", "passed"]
        + ["answered", "answered", "nytta", "launched", "voided", "voided"]
    )
    if verb == "voided" and made:
        return statement("voided", learner, occasion, voids=rng.choice(made)["id"], **where)
    if verb in ("registered", "unregistered"):
        return statement(verb, learner, occasion, **where)
    if verb == "attended":
        return statement(verb, learner, day(occasion, rng.choice([1, 2])), **where)
    if verb == "passed":
        return statement(verb, learner, f"{course}/goals/mal-{rng.randint(1, 2)}", **where)
    if verb == "answered":
        return statement(verb, learner, question(course), rating=rng.randint(1, 5), **where)
    if verb == "nytta":
        return statement("answered", learner, question(course, "nytta"), rating=2, **where)
    return statement("completed" if verb == "completed" else "launched", learner, course, **where)


def _snapshot(conn: Connection) -> tuple[set[Any], set[Any], set[Any]]:
    t = stats_tables
    units = {tuple(r) for r in conn.execute(select(t.units))}
    latest_columns = (*(t.latest.c[c] for c in UNIT_KEY), t.latest.c.packed)
    latest = {tuple(r) for r in conn.execute(select(*latest_columns))}
    counts = {tuple(r) for r in conn.execute(select(t.counts).where(t.counts.c.value != 0))}
    return units, latest, counts


def _assert_summary_is_the_ledgers(database: Database) -> None:
    queries = FigureQueries()
    with database.connection() as conn:
        for filters in FILTERS:
            assert queries.figures(conn, filters) == queries.figures(conn, filters, exact=True)
        kept = _snapshot(conn)
        rebuild(conn)
        assert _snapshot(conn) == kept


def _record_in_batches(database: Database, rng: random.Random, statements: list[Any]) -> None:
    start = 0
    while start < len(statements):
        size = rng.randint(1, 4)
        with database.connection() as conn:
            Ledger().record(conn, statements[start : start + size])
        start += size


@pytest.mark.parametrize("seed", range(6))
def test_the_summary_equals_a_recomputation_over_random_histories(
    database: Database, seed: int
) -> None:
    rng = random.Random(seed)
    made: list[dict[str, Any]] = []
    for _ in range(70):
        made.append(_random_statement(rng, made))
    _record_in_batches(database, rng, made[:40])
    _assert_summary_is_the_ledgers(database)
    _record_in_batches(database, rng, made[40:])
    _assert_summary_is_the_ledgers(database)
    # erase one learner as `yrkesresan learner erase` does: the ledger rows, through forget
    victim = _learner_of(database, "anna")
    with database.connection() as conn:
        e, a = stats_tables.events, stats_tables.activity
        events = [dict(r) for r in conn.execute(select(e).where(e.c.learner == victim)).mappings()]
        activity = [
            dict(r) for r in conn.execute(select(a).where(a.c.learner == victim)).mappings()
        ]
        Ledger().forget(conn, events, activity)
        for table in (stats_tables.units, stats_tables.latest):
            assert conn.execute(select(table).where(table.c.learner == victim)).all() == []
    _assert_summary_is_the_ledgers(database)


def _learner_of(database: Database, name: str) -> int:
    from yrkesresan_adapter.stats.events import learner_key

    return learner_key({"account": {"homePage": "https://moodle.example", "name": name}})


def test_a_changed_rating_a_reregistration_and_their_voiding_move_the_figures(
    database: Database,
) -> None:
    occasion = OCCASIONS[0]
    registered = statement("registered", "anna", occasion, at="2026-03-01T10:00:00Z")
    again = statement("registered", "anna", occasion, at="2026-03-03T10:00:00Z")
    late = statement("answered", "anna", question(COURSE), rating=2, at="2026-05-06T10:00:00Z")
    history = [
        registered,
        statement("unregistered", "anna", occasion, at="2026-03-02T10:00:00Z"),
        again,
        statement("answered", "anna", question(COURSE), rating=5, at="2026-05-05T10:00:00Z"),
        late,
    ]
    queries = FigureQueries()
    for made in history:
        with database.connection() as conn:
            Ledger().record(conn, [made])
    with database.connection() as conn:
        total = queries.figures(conn, Filters()).total
    assert total.registered == 1
    assert total.evaluation.distribution == (0, 1, 0, 0, 0)
    with database.connection() as conn:  # the re-registration and the late answer voided
        Ledger().record(
            conn,
            [
                statement("voided", "anna", occasion, voids=again["id"]),
                statement("voided", "anna", occasion, voids=late["id"]),
            ],
        )
    with database.connection() as conn:
        total = queries.figures(conn, Filters()).total
    assert total.registered == 0  # the cancellation is the latest again
    assert total.evaluation.distribution == (0, 0, 0, 0, 1)
    _assert_summary_is_the_ledgers(database)


def test_the_migration_fills_the_summary_from_an_existing_ledger(database: Database) -> None:
    rng = random.Random(7)
    made: list[dict[str, Any]] = []
    for _ in range(50):
        made.append(_random_statement(rng, made))
    _record_in_batches(database, rng, made)
    with database.connection() as conn:
        kept = _snapshot(conn)
    assert all(kept)
    migrations.downgrade(database, "h17m_0001")  # a ledger without the summary
    migrations.upgrade(database)  # h14p_0001 creates and fills it
    with database.connection() as conn:
        assert _snapshot(conn) == kept
    _assert_summary_is_the_ledgers(database)


def test_only_no_filter_or_a_year_is_read_from_the_summary() -> None:
    assert summarised(Filters())
    assert summarised(Filters(year=2026))
    assert not summarised(Filters(county="14"))
    assert not summarised(Filters(year=2026, course=COURSE))
