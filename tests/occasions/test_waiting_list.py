"""The waiting list and the occasions' operations in storage, on SQLite and PostgreSQL:
a full occasion puts people in line, a withdrawal or a raised capacity promotes the first
in line in the same transaction, cancelling and moving a day leave notices, statements and
an audit trail, and two managers racing for the last seat each get exactly one outcome."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pages.conftest import COURSE, launch, load_test_catalog
from tests.pages.recording_journal import RecordingJournal
from yrkesresan_adapter.pages.occasions.notices import NoticeStore
from yrkesresan_adapter.pages.occasions.plan_schema import plan_tables
from yrkesresan_adapter.pages.occasions.plan_store import PlanStore, Trainer
from yrkesresan_adapter.pages.occasions.planning import Planning
from yrkesresan_adapter.pages.occasions.registrar import Registrar
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.occasions.waiting import WaitingStore
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import InvalidOccasion, OccasionCancelled, OccasionFull
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.occasion_plan import from_catalog, trainer_key

AUTUMN = f"{COURSE}/occasions/ht-2027"  # capacity 2
T0 = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)


class Desk:
    def __init__(self, database: Database, catalog: Catalog) -> None:
        self.database = database
        self.events = RecordingJournal()
        self.store = OccasionStore(occasion_tables)
        self.plans = PlanStore(plan_tables)
        self.waiting = WaitingStore(plan_tables)
        self.notices = NoticeStore(plan_tables)
        self.registrar = Registrar(
            self.store, lambda: catalog, self.events, lambda: str(uuid.uuid4()),
            self.plans, self.waiting,
        )  # fmt: skip
        self.planning = Planning(
            self.plans, self.store, self.waiting, self.notices, self.registrar, lambda: catalog
        )
        self.course, self.autumn = rules.find_occasion(catalog, AUTUMN)
        with database.session() as db:
            for name in self.autumn.trainers:  # as the seeding puts them in the register
                self.plans.put_trainer(db, Trainer(trainer_key(name), "GR", name))
            self.plans.save(
                db, from_catalog(self.course, self.autumn, "GR"), source="catalog", now=T0
            )

    def register(self, boss: str, subs: list[str], *, waitlist: bool = True, **kw: str):  # type: ignore[no-untyped-def]
        with self.database.session() as db:
            return self.registrar.register(
                db, launch(boss, role=ToolRole.MANAGER, **kw), self.course, self.autumn, subs,
                now=T0, waitlist=waitlist,
            )  # fmt: skip


@pytest.fixture
def desk(database: Database, tmp_path: Path) -> Desk:
    return Desk(database, load_test_catalog(tmp_path))


def test_a_full_occasion_puts_the_rest_in_line_and_a_withdrawal_promotes_the_first(
    desk: Desk,
) -> None:
    outcome = desk.register("boss", ["a", "b", "c", "d"])
    assert (outcome.registered, outcome.waiting) == (["a", "b"], ["c", "d"])
    with pytest.raises(OccasionFull):
        desk.register("boss", ["e"], waitlist=False)
    here = Scope.of(launch("boss"))
    with desk.database.session() as db:
        assert desk.waiting.of_scope(db, here, COURSE) == {("c", AUTUMN): 1, ("d", AUTUMN): 2}
        desk.registrar.withdraw(db, launch("boss", role=ToolRole.MANAGER), desk.course, "a", now=T0)
    with desk.database.session() as db:
        registered = set(desk.store.of_course(db, here, COURSE))
        assert registered == {"b", "c"}
        assert desk.waiting.of_scope(db, here, COURSE) == {("d", AUTUMN): 1}
    assert [(kind, e.sub) for kind, e in desk.events.events][-2:] == [
        ("unregistered", "a"),
        ("registered", "c"),
    ]


def test_raising_the_capacity_promotes_in_order_and_lowering_below_registered_is_refused(
    desk: Desk,
) -> None:
    desk.register("boss", ["a", "b", "c", "d", "e"])
    with desk.database.session() as db:
        plan = desk.plans.get(db, AUTUMN)
        assert plan is not None
        with pytest.raises(InvalidOccasion) as refused:
            desk.planning.edit(db, replace(plan, capacity=1), actor="cli", now=T0)
        assert refused.value.reason == "capacity"
    with desk.database.session() as db:
        desk.planning.edit(db, replace(plan, capacity=4), actor="cli", now=T0)
    here = Scope.of(launch("boss"))
    with desk.database.session() as db:
        assert set(desk.store.of_course(db, here, COURSE)) == {"a", "b", "c", "d"}
        assert desk.waiting.of_scope(db, here, COURSE) == {("e", AUTUMN): 1}
        assert [e.action for e in desk.plans.audit_trail(db, AUTUMN)] == ["edited"]


def test_moving_a_day_notifies_learners_and_managers_and_bumps_the_sequence(desk: Desk) -> None:
    desk.register("boss", ["a"])
    with desk.database.session() as db:
        plan = desk.plans.get(db, AUTUMN)
        assert plan is not None
        moved = (replace(plan.days[0], date=plan.days[0].date + dt.timedelta(days=7)),)
        with pytest.raises(InvalidOccasion):  # a deadline after the first day is refused too
            desk.planning.edit(
                db, replace(plan, registration_deadline=moved[0].date), actor="x", now=T0
            )
    with desk.database.session() as db:
        desk.planning.edit(db, replace(plan, days=moved + plan.days[1:]), actor="x", now=T0)
    here = Scope.of(launch("boss"))
    with desk.database.session() as db:
        assert desk.plans.get(db, AUTUMN).days[0].sequence == 1  # type: ignore[union-attr]
        (learner,) = desk.notices.unread(db, here, "a")
        (manager,) = desk.notices.unread(db, here, "boss")
        assert learner.kind == manager.kind == "moved"
        assert learner.details["day"] == "1"
        assert desk.notices.mark_read(db, here, "a", learner.id, T0)
        assert desk.notices.unread(db, here, "a") == []


def test_cancelling_tells_everyone_sends_unregistered_and_refuses_registrations(desk: Desk) -> None:
    desk.register("boss", ["a", "b", "c"])
    with desk.database.session() as db:
        assert desk.planning.cancel(db, AUTUMN, actor="cli", now=T0) == 2
    here = Scope.of(launch("boss"))
    with desk.database.session() as db:
        assert {n.kind for sub in "abc" for n in desk.notices.unread(db, here, sub)} == {
            "cancelled"
        }
        assert desk.waiting.counts(db, [AUTUMN]) == {AUTUMN: 0}
        assert [e.action for e in desk.plans.audit_trail(db, AUTUMN)] == ["cancelled"]
    assert sorted(e.sub for kind, e in desk.events.events if kind == "unregistered") == ["a", "b"]
    with pytest.raises(OccasionCancelled):
        desk.register("boss", ["d"])


def test_two_managers_take_the_last_seat_and_the_first_place_in_line_at_once(desk: Desk) -> None:
    """One seat left: two managers of different municipalities register one person each
    at the same moment; exactly one gets the seat and the other is first in line."""
    desk.register("boss", ["a"])
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}
    errors: list[BaseException] = []

    def manager(name: str, issuer: str) -> None:
        start.wait()
        try:
            outcomes[name] = desk.register(name, [f"{name}-staff"], issuer=issuer)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [
        threading.Thread(target=manager, args=("x", "https://x.example.se")),
        threading.Thread(target=manager, args=("y", "https://y.example.se")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    registered = [n for n, o in outcomes.items() if o.registered]  # type: ignore[attr-defined]
    waiting = [n for n, o in outcomes.items() if o.waiting]  # type: ignore[attr-defined]
    assert len(registered) == 1
    assert len(waiting) == 1
    with desk.database.session() as db:
        assert desk.store.taken(db, [AUTUMN]) == {AUTUMN: 2}
        (first,) = desk.waiting.line(db, AUTUMN)
        assert (first.sub, first.position) == (f"{waiting[0]}-staff", 1)


def test_a_municipality_not_invited_is_refused(desk: Desk) -> None:
    with desk.database.session() as db:
        plan = desk.plans.get(db, AUTUMN)
        assert plan is not None
        desk.plans.save(
            db, replace(plan, municipalities=("https://other.example.se",)), source="x", now=T0
        )
    from yrkesresan_lti.exceptions import NotOpenToMunicipality

    with pytest.raises(NotOpenToMunicipality):
        desk.register("boss", ["a"])
