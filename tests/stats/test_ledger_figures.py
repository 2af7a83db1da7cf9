"""The figures from the tool's database follow the figures model to the letter, on SQLite
and PostgreSQL: voided things do not count, the latest registration and answer decide, the
year is Sweden's, unknown municipalities stay unknown."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.stats.history import COURSE, GOAL, JOURNEY, OCCASION, day, question, statement
from yrkesresan_adapter.stats.ledger import Ledger, RecordingOutbox
from yrkesresan_adapter.stats.query import FigureQueries
from yrkesresan_adapter.stats.schema import stats_tables
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_lti.outbox.outbox import Payload
from yrkesresan_lti.reports import Figures, Filters
from yrkesresan_lti.xapi.serialization import statement_bytes


def _history() -> list[dict[str, Any]]:
    a_attended = statement("attended", "b-voided", day(OCCASION, 1))
    b_registered = statement("registered", "b-voided", OCCASION, at="2026-03-01T10:00:00Z")
    return [
        # the occasion had 20 seats when anna registered, 24 when the days were recorded
        statement("registered", "anna", OCCASION, at="2026-03-01T10:00:00Z", seats=20),
        statement("attended", "anna", day(OCCASION, 1)),
        statement("attended", "anna", day(OCCASION, 2)),
        statement("completed", "anna", COURSE),
        statement("passed", "anna", GOAL),
        statement("answered", "anna", question(COURSE), rating=5, at="2026-05-05T10:00:00Z"),
        statement("answered", "anna", question(COURSE), rating=4, at="2026-05-06T10:00:00Z"),
        statement("answered", "anna", question(COURSE, "nytta"), rating=1),
        b_registered,
        statement("unregistered", "b-voided", OCCASION, at="2026-03-02T10:00:00Z"),
        a_attended,
        statement("voided", "b-voided", day(OCCASION, 1), voids=a_attended["id"]),
        # 23:30 UTC on New Year's Eve is already 2026 in Sweden
        statement(
            "attended",
            "cecilia",
            day(OCCASION, 1),
            at="2025-12-31T23:30:00Z",
            municipality=None,
            county=None,
        ),
        statement(
            "attended",
            "cecilia",
            day(OCCASION, 2),
            at="2025-06-01T10:00:00Z",
            municipality=None,
            county=None,
        ),
        statement(
            "answered", "cecilia", question(COURSE), rating=2, municipality=None, county=None
        ),
        statement("launched", "david", COURSE, municipality="0180", county="01"),
    ]


def _figures(database: Database, filters: Filters | None = None) -> Figures:
    with database.connection() as conn:
        return FigureQueries().figures(conn, filters or Filters())


def _record(database: Database, statements: list[dict[str, Any]]) -> None:
    with database.connection() as conn:
        Ledger().record(conn, statements)


def test_figures_count_standing_events_only(database: Database) -> None:
    _record(database, _history())
    total = _figures(database).total
    assert total.occasions_held == 1
    assert total.seats == 24
    assert total.registered == 1  # b unregistered later
    assert total.attended == 2  # anna and cecilia; b's attendance was withdrawn
    assert total.participants == 2
    assert total.municipalities == 1  # cecilia's is unknown
    assert total.users == 4
    assert total.completions == 1
    assert total.goals_reached == 1
    assert total.evaluation.distribution == (0, 1, 0, 1, 0)  # anna's latest answer: 4


def test_breakdowns_treat_their_key_as_one_more_filter(database: Database) -> None:
    _record(database, _history())
    figures = _figures(database)
    years = {row.key: row for row in figures.breakdown("year")}
    assert set(years) == {"2025", "2026"}
    assert years["2025"].participants == 1  # cecilia's day in June 2025
    assert years["2026"].participants == 2  # and her New Year's night in Sweden
    municipalities = figures.breakdown("municipality")
    assert [row.key for row in municipalities] == ["0180", "1480", None]
    assert municipalities[-1].participants == 1
    assert municipalities[0].users == 1
    assert municipalities[0].participants == 0
    assert [row.key for row in figures.breakdown("journey")] == [JOURNEY]
    assert [row.key for row in figures.breakdown("course")] == [COURSE]
    assert figures.goals[0].goal == GOAL
    assert figures.goals[0].reached == 1
    assert figures.participants_by_municipality() == {"0180": 0, "1480": 1}


def test_filters_narrow_every_figure(database: Database) -> None:
    _record(database, _history())
    only_2025 = _figures(database, Filters(year=2025)).total
    assert (only_2025.participants, only_2025.users, only_2025.registered) == (1, 1, 0)
    stockholm = _figures(database, Filters(county="01")).total
    assert (stockholm.users, stockholm.participants) == (1, 0)
    göteborg = _figures(database, Filters(municipality="1480", course=COURSE)).total
    assert (göteborg.participants, göteborg.completions) == (1, 1)
    assert _figures(database, Filters(journey="https://nowhere")).total.users == 0


def test_changing_the_registration_back_counts_again(database: Database) -> None:
    history = _history()
    history.append(statement("registered", "b-voided", OCCASION, at="2026-03-03T10:00:00Z"))
    _record(database, history)
    assert _figures(database).total.registered == 2


def test_the_pages_outbox_records_in_the_same_transaction(database: Database) -> None:
    outbox = RecordingOutbox(outbox_tables)
    made = statement("attended", "anna", day(OCCASION, 1))
    payload = Payload(made["id"], statement_bytes(made))
    with database.connection() as conn:
        outbox.enqueue(conn, [payload], ["lrs"])

    def failing_action() -> None:
        with database.connection() as conn:
            completed = statement_bytes(statement("completed", "anna", COURSE))
            outbox.enqueue(conn, [completed], ["lrs"])
            raise RuntimeError("the action failed after its statements were enqueued")

    with pytest.raises(RuntimeError):
        failing_action()
    with database.connection() as conn:
        kinds = conn.execute(select(stats_tables.events.c.kind)).scalars().all()
        entries = conn.execute(select(outbox_tables.entries.c.dedupe_id)).scalars().all()
    assert kinds == ["attended"]
    assert entries == [made["id"]]
    assert _figures(database).total.participants == 1
