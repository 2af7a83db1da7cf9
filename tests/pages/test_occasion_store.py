"""Occasion registrations in storage: the same contract on SQLite and PostgreSQL (migrated
schema), the registrar's rules, and no overbooking when managers register at once."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.pages.conftest import COURSE, launch, load_test_catalog
from tests.pages.recording_journal import RecordingJournal
from yrkesresan_adapter.pages.journal import Journal
from yrkesresan_adapter.pages.occasions.registrar import Registrar
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import Catalog, Course, CourseOccasion
from yrkesresan_lti.exceptions import OccasionFull, OccasionStarted, RegistrationClosed
from yrkesresan_lti.lti.context import ToolRole

SPRING = f"{COURSE}/occasions/vt-2027"
AUTUMN = f"{COURSE}/occasions/ht-2027"  # capacity 2
HERE = Scope("https://moodle.example.se", "client-1", "dep-1", "course-42")
ELSEWHERE = Scope("https://canvas.example.se", "client-9", "dep-1", "course-42")
T0 = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)


@pytest.fixture
def store() -> OccasionStore:
    return OccasionStore(occasion_tables)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return load_test_catalog(tmp_path)


def occasion(catalog: Catalog, iri: str) -> tuple[Course, CourseOccasion]:
    return rules.find_occasion(catalog, iri)


def registrar(store: OccasionStore, catalog: Catalog, journal: Journal | None = None) -> Registrar:
    return Registrar(store, lambda: catalog, journal or Journal(), lambda: str(uuid.uuid4()))


def test_register_move_and_withdraw_are_scoped(database: Database, store: OccasionStore) -> None:
    with database.session() as db:
        for scope in (HERE, ELSEWHERE):
            store.lock(db, SPRING, now=T0)
            store.register(
                db, scope, "anna", course_iri=COURSE, occasion_iri=SPRING, by="boss",
                statement_id="s-1", now=T0,
            )  # fmt: skip
        assert store.taken(db, [SPRING, AUTUMN]) == {SPRING: 2, AUTUMN: 0}  # seats: everyone
        store.register(
            db, HERE, "anna", course_iri=COURSE, occasion_iri=AUTUMN, by="boss2",
            statement_id="s-2", now=T0,
        )  # fmt: skip
        (moved,) = store.of_course(db, HERE, COURSE).values()
        assert (moved.occasion_iri, moved.registered_by, moved.statement_id) == (
            AUTUMN,
            "boss2",
            "s-2",
        )
        assert store.of_person(db, ELSEWHERE, "anna", COURSE).occasion_iri == SPRING  # type: ignore[union-attr]
        assert store.taken(db, [SPRING, AUTUMN]) == {SPRING: 1, AUTUMN: 1}
        assert store.withdraw(db, HERE, "anna", COURSE)
        assert not store.withdraw(db, HERE, "anna", COURSE)
        assert store.of_person(db, HERE, "anna", COURSE) is None
        assert set(store.of_course(db, ELSEWHERE, COURSE)) == {"anna"}


def test_registrar_refuses_full_closed_and_started(
    database: Database, store: OccasionStore, catalog: Catalog
) -> None:
    course, autumn = occasion(catalog, AUTUMN)
    desk = registrar(store, catalog)
    boss = launch("boss", role=ToolRole.MANAGER)
    with database.session() as db:
        desk.register(db, boss, course, autumn, ["anna", "bo"], now=T0)
    with pytest.raises(OccasionFull) as full, database.session() as db:
        desk.register(db, boss, course, autumn, ["cia"], now=T0)
    assert full.value.seats_left == 0
    after_deadline = datetime(2027, 8, 31, 22, 30, tzinfo=UTC)  # 1 September in Sweden
    with pytest.raises(RegistrationClosed), database.session() as db:
        desk.register(db, boss, course, occasion(catalog, SPRING)[1], ["cia"], now=after_deadline)
    first_day = datetime(2027, 9, 13, 22, 0, tzinfo=UTC)  # 14 September in Sweden
    with pytest.raises(OccasionStarted), database.session() as db:
        desk.withdraw(db, boss, course, "anna", now=first_day)
    with database.session() as db:
        assert set(store.of_course(db, HERE, COURSE)) == {"anna", "bo"}


def test_deadline_day_itself_is_still_open_in_swedish_time(
    database: Database, store: OccasionStore, catalog: Catalog
) -> None:
    course, autumn = occasion(catalog, AUTUMN)
    last_evening = datetime(2027, 8, 31, 21, 59, tzinfo=UTC)  # 23:59 on 31 August in Sweden
    with database.session() as db:
        outcome = registrar(store, catalog).register(
            db, launch("boss", role=ToolRole.MANAGER), course, autumn, ["anna"], now=last_evening
        )
    assert outcome.registered == ["anna"]


def test_a_refused_batch_changes_nothing_and_records_nothing(
    database: Database, store: OccasionStore, catalog: Catalog
) -> None:
    course, autumn = occasion(catalog, AUTUMN)
    events = RecordingJournal()
    with pytest.raises(OccasionFull), database.session() as db:
        registrar(store, catalog, events).register(
            db, launch("boss", role=ToolRole.MANAGER), course, autumn, ["a", "b", "c"], now=T0
        )
    with database.session() as db:
        assert store.taken(db, [AUTUMN]) == {AUTUMN: 0}


@pytest.mark.parametrize("managers", [6])
def test_concurrent_managers_never_overbook_the_last_seats(
    database: Database, store: OccasionStore, catalog: Catalog, managers: int
) -> None:
    """Managers of different municipalities register at the same moment for an occasion
    with two seats: exactly two succeed, the others are told it is full."""
    course, autumn = occasion(catalog, AUTUMN)
    desk = registrar(store, catalog)
    start = threading.Barrier(managers)
    results: list[str] = []
    lock = threading.Lock()

    def manager(number: int) -> None:
        boss = launch("boss", role=ToolRole.MANAGER, issuer=f"https://lms-{number}.example.se")
        start.wait()
        try:
            with database.session() as db:
                desk.register(db, boss, course, autumn, [f"person-{number}"], now=T0)
            outcome = "registered"
        except OccasionFull:
            outcome = "full"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=manager, args=(n,)) for n in range(managers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["full"] * (managers - 2) + ["registered"] * 2
    table = occasion_tables.registrations
    with database.session() as db:
        stored = db.execute(select(func.count()).where(table.c.occasion_iri == AUTUMN)).scalar_one()
    assert stored == 2


def test_two_managers_moving_one_person_at_once_leave_a_consistent_record(
    database: Database, store: OccasionStore, catalog: Catalog
) -> None:
    """Two managers of one context register the same people for the two occasions of the
    course at the same moment: each person ends on one occasion, and every occasion they
    were registered for and left has its *unregistered* (registered - unregistered == 1)."""
    course, spring = occasion(catalog, SPRING)
    _, autumn = occasion(catalog, AUTUMN)
    people = [f"person-{n}" for n in range(5)]
    events = RecordingJournal()
    desk = registrar(store, catalog, events)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def manager(name: str, chosen: CourseOccasion) -> None:
        boss = launch(name, role=ToolRole.MANAGER)
        for person in people:
            start.wait()
            try:
                with database.session() as db:
                    desk.register(db, boss, course, chosen, [person], now=T0)
            except OccasionFull:  # the autumn has two seats: nothing changes for her
                pass
            except BaseException as err:  # reported below
                errors.append(err)

    threads = [
        threading.Thread(target=manager, args=("boss-a", spring)),
        threading.Thread(target=manager, args=("boss-b", autumn)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session() as db:
        final = store.of_course(db, HERE, course.iri)
    for person in people:
        mine = [(kind, e.occasion_iri) for kind, e in events.events if e.sub == person]
        registered = [iri for kind, iri in mine if kind == "registered"]
        left = [iri for kind, iri in mine if kind == "unregistered"]
        assert len(registered) == len(left) + 1, mine
        assert final[person].occasion_iri in registered
