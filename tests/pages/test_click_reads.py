"""A click's reads (:class:`~yrkesresan_adapter.pages.click_reads.ClickReads`), sent as
precompiled SQL, read the registration's time as its column type does: aware, in UTC, on
SQLite (text in the row) and PostgreSQL (the session's time zone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import insert

from tests.launch_factory import launch_context
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.occasions.store import Registration, person_key
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.scope import Scope

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
STOCKHOLM = timezone(timedelta(hours=1))


def test_a_click_reads_the_registration_time_aware_in_utc(database: Database) -> None:
    launch = launch_context("anna")
    scope = Scope.of(launch)
    registered = datetime(2026, 3, 29, 2, 30, 15, 123456, tzinfo=STOCKHOLM)
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    reads = wiring.click_reads()
    with database.connection() as db:
        db.execute(
            insert(occasion_tables.registrations),
            {
                **scope.values(),
                "user_sub": "anna",
                "course_iri": COURSE,
                "occasion_iri": f"{COURSE}/occasions/1",
                "registered_at": registered,
                "registered_by": "manager",
                "statement_id": "00000000-0000-4000-8000-000000000001",
            },
        )
        read = reads.read(db, launch, scope, COURSE, now=now)
        marking = reads.read(db, launch, scope, COURSE, now=now, marking=(f"{COURSE}/t", "s-1"))
    for done in (read, marking):
        registration = done.ahead[person_key(scope, "anna", COURSE)]
        assert isinstance(registration, Registration)
        assert registration.registered_at == registered
        assert registration.registered_at.tzinfo is UTC
        assert registration.occasion_iri == f"{COURSE}/occasions/1"
