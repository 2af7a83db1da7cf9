"""Attendance in storage: the same contract on SQLite and PostgreSQL (migrated schema)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from tests.pages.conftest import COURSE, launch, load_test_catalog
from tests.pages.recording_journal import RecordingJournal
from yrkesresan_adapter.pages.attendance.recorder import AttendanceRecorder
from yrkesresan_adapter.pages.attendance.schema import attendance_table
from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.occasions import find_occasion

SPRING = f"{COURSE}/occasions/vt-2027"
DAY_1, DAY_2 = f"{SPRING}/days/1", f"{SPRING}/days/2"
HERE = Scope("https://moodle.example.se", "client-1", "dep-1", "course-42")
ELSEWHERE = Scope("https://canvas.example.se", "client-9", "dep-1", "course-42")
OTHER_CONTEXT = Scope("https://moodle.example.se", "client-1", "dep-1", "course-43")
T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def store() -> AttendanceStore:
    return AttendanceStore(attendance_table)


def _record(db: object, store: AttendanceStore, scope: Scope, sub: str, day: str, sid: str) -> None:
    store.record(
        db,  # type: ignore[arg-type]
        scope,
        sub,
        occasion_iri=SPRING,
        day_iri=day,
        by="trainer",
        statement_id=sid,
        now=T0,
    )


def test_record_read_and_withdraw_are_scoped(database: Database, store: AttendanceStore) -> None:
    with database.session() as db:
        for scope in (HERE, ELSEWHERE, OTHER_CONTEXT):
            _record(db, store, scope, "anna", DAY_1, f"s-{scope.issuer[-7:]}-{scope.context_id}")
        _record(db, store, HERE, "anna", DAY_2, "s-2")
        _record(db, store, HERE, "bo", DAY_1, "s-3")
    with database.session() as db:
        here = store.of_occasion(db, HERE, SPRING)
        assert set(here) == {("anna", DAY_1), ("anna", DAY_2), ("bo", DAY_1)}
        first = here[("anna", DAY_1)]
        assert (first.recorded_by, first.recorded_at) == ("trainer", T0)
        assert set(store.of_occasion(db, HERE, SPRING, ["bo"])) == {("bo", DAY_1)}
        assert store.days_of(db, ELSEWHERE, "anna", SPRING) == {DAY_1}
        assert store.days_of(db, HERE, "anna", f"{COURSE}/occasions/ht-2027") == set()
        assert store.withdraw(db, HERE, "anna", DAY_2) == "s-2"
        assert store.withdraw(db, HERE, "anna", DAY_2) is None
        assert store.days_of(db, HERE, "anna", SPRING) == {DAY_1}
        assert store.days_of(db, OTHER_CONTEXT, "anna", SPRING) == {DAY_1}  # untouched


def test_a_day_is_recorded_once_per_person_and_scope(
    database: Database, store: AttendanceStore
) -> None:
    with database.session() as db:
        _record(db, store, HERE, "anna", DAY_1, "s-1")
    with pytest.raises(IntegrityError), database.session() as db:
        _record(db, store, HERE, "anna", DAY_1, "s-2")
    with database.session() as db:
        assert store.of_occasion(db, HERE, SPRING)[("anna", DAY_1)].statement_id == "s-1"


def test_trainers_saving_the_same_tick_at_once_record_it_once(
    database: Database, store: AttendanceStore, tmp_path: Path
) -> None:
    """Four trainers of one course tick Anna for day 1 at the same moment: every save
    succeeds, one row and one *attended* statement result (no unique-key error, no 500)."""
    course, spring = find_occasion(load_test_catalog(tmp_path), SPRING)
    registrations = OccasionStore(occasion_tables)
    with database.session() as db:
        registrations.register(
            db, HERE, "anna", course_iri=COURSE, occasion_iri=SPRING, by="boss",
            statement_id="s-0", now=T0,
        )  # fmt: skip
    events = RecordingJournal()
    recorder = AttendanceRecorder(store, registrations, events, lambda: str(uuid.uuid4()))
    trainers = 4
    start = threading.Barrier(trainers)
    errors: list[BaseException] = []

    def trainer(number: int) -> None:
        me = launch(f"trainer-{number}", role=ToolRole.MANAGER)
        start.wait()
        try:
            with database.session() as db:
                recorder.apply(db, me, course, spring, add=[("anna", DAY_1)], remove=[], now=T0)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=trainer, args=(n,)) for n in range(trainers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session() as db:
        assert set(store.of_occasion(db, HERE, SPRING)) == {("anna", DAY_1)}
    assert [kind for kind, _ in events.events] == ["attended"]
