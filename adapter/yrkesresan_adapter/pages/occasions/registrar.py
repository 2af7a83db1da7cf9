"""Registering staff for a course occasion and withdrawing them, in the caller's transaction.

:class:`Registrar` applies the rules of :mod:`yrkesresan_lti.occasions` (deadline, seats, no
withdrawing once the course days started) to the stored registrations and enqueues the
*registered* / *unregistered* statements through the pages'
:class:`~yrkesresan_adapter.pages.journal.Journal`, all in the one transaction the caller
commits. Registering and withdrawing first take the lock rows of *every* occasion of the
course (in IRI order, so two transactions never wait on each other in a cycle): concurrent
registrations never overbook an occasion, and two managers moving the same person at once
are serialized, so each sees where the other left her and the LRS gets the *unregistered* of
every occasion she leaves.

With the occasions of the database (``plans``), a cancelled occasion or one not open to the
launch's municipality refuses registrations, and the capacity is the stored one. With a
waiting list (``waiting``), a registration that does not fit puts the rest in line
(``waitlist=True``), and a withdrawal promotes the first in line, in order, in the same
transaction (:meth:`Registrar.promote`, also called when the capacity is raised): each
promotion is a *registered* statement saying it came from the waiting list; joining the
list is *joined*, leaving it without a seat from it *left* with the reason (profile 1.5)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from yrkesresan_adapter.pages.journal import Journal, OccasionEvent
from yrkesresan_adapter.pages.occasions.plan_store import PlanStore
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.occasions.waiting import Waiting, WaitingStore
from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import Catalog, Course, CourseOccasion
from yrkesresan_lti.exceptions import (
    NobodySelected,
    NotOpenToMunicipality,
    NotRegistered,
    NotWaiting,
    OccasionCancelled,
    OccasionStarted,
    RegistrationClosed,
    UnknownCatalogNode,
)
from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole
from yrkesresan_lti.occasion_plan import OccasionStatus


@dataclass(frozen=True)
class Outcome:
    """Who a registration changed: newly registered, moved from another occasion, or
    already registered for this occasion (nothing changed for them)."""

    registered: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    """Put on the waiting list (``waitlist=True`` and no seat left for them)."""


def launch_of(scope: Scope, by: str) -> LaunchContext:
    """A stand-in launch of ``by`` (the manager who put someone in line) in ``scope``: the
    tenant and context of a person promoted from the waiting list."""
    return LaunchContext(
        launch_id="occasion-waiting-list",
        issuer=scope.issuer,
        client_id=scope.client_id,
        deployment_id=scope.deployment_id,
        sub=by,
        message_type=MessageType.RESOURCE_LINK,
        role=ToolRole.MANAGER,
        context_id=scope.context_id,
    )


@dataclass
class Registrar:
    store: OccasionStore
    catalog: Callable[[], Catalog]
    journal: Journal
    new_id: Callable[[], str]
    plans: PlanStore | None = None
    waiting: WaitingStore | None = None

    def capacity(self, db: Executor, occasion: CourseOccasion) -> int:
        """The stored capacity (read in the transaction), else the catalog's."""
        plan = self.plans.get(db, occasion.iri) if self.plans else None
        return plan.capacity if plan else occasion.capacity

    def _check_plan(self, db: Executor, launch: LaunchContext, occasion: CourseOccasion) -> None:
        plan = self.plans.get(db, occasion.iri) if self.plans else None
        if plan is None:
            return
        if plan.status == OccasionStatus.CANCELLED:
            raise OccasionCancelled(f"occasion '{occasion.iri}' is cancelled: choose another")
        if plan.status != OccasionStatus.OPEN:
            raise RegistrationClosed(
                f"occasion '{occasion.iri}' is {plan.status.value}, not open for registration"
            )
        if not plan.open_to(launch.issuer):
            raise NotOpenToMunicipality(
                f"occasion '{occasion.iri}' is not open to this municipality: choose another"
            )

    def _old_occasion(self, iri: str) -> CourseOccasion | None:
        """The occasion of an existing registration (None if the catalog dropped it)."""
        try:
            return rules.find_occasion(self.catalog(), iri)[1]
        except UnknownCatalogNode:
            return None

    def _lock(self, db: Executor, course: Course, now: datetime) -> None:
        for iri in sorted(o.iri for o in course.occasions):
            self.store.lock(db, iri, now=now)

    def _event(self, launch: LaunchContext, sub: str, iri: str, now: datetime) -> OccasionEvent:
        return OccasionEvent(launch, sub, iri, self.new_id(), now)

    def register(
        self,
        db: Executor,
        launch: LaunchContext,
        course: Course,
        occasion: CourseOccasion,
        subs: Sequence[str],
        *,
        now: datetime,
        waitlist: bool = False,
    ) -> Outcome:
        """Register ``subs`` (of the launch's scope) for ``occasion``, all or none; with
        ``waitlist``, those beyond the seats left go on the waiting list, in order."""
        wanted = list(dict.fromkeys(subs))
        if not wanted:
            raise NobodySelected("choose at least one person to register")
        today = rules.swedish_date(now)
        rules.check_registration_open(occasion, today)
        self._lock(db, course, now)  # first: serializes seats and this course's moves
        self._check_plan(db, launch, occasion)
        scope = Scope.of(launch)
        existing = self.store.of_course(db, scope, course.iri, wanted)
        outcome = Outcome()
        leaving: dict[str, CourseOccasion | None] = {}  # moved: sub → the occasion left
        for sub in wanted:
            current = existing.get(sub)
            if current is None:
                outcome.registered.append(sub)
            elif current.occasion_iri == occasion.iri:
                outcome.already.append(sub)
            else:
                old = leaving[sub] = self._old_occasion(current.occasion_iri)
                if old is not None:
                    rules.check_withdrawal_open(old, today)
                outcome.moved.append(sub)
        taken = self.store.taken(db, [occasion.iri])[occasion.iri]
        capacity = self.capacity(db, occasion)
        if waitlist and self.waiting is not None:
            self._queue_overflow(db, launch, course, occasion, outcome, capacity - taken, now)
        else:
            rules.check_seats(
                occasion.model_copy(update={"capacity": capacity}),
                taken,
                len(outcome.registered) + len(outcome.moved),
            )
        for sub in [*outcome.registered, *outcome.moved]:
            if self.waiting is not None and self.waiting.remove(db, scope, sub, occasion.iri):
                self._left(db, launch, sub, occasion.iri, "registered", now)
            event = self._event(launch, sub, occasion.iri, now)
            old = leaving.get(sub)
            if old is not None:
                self.journal.unregistered(db, self._event(launch, sub, old.iri, now))
            statement_id = self.journal.registered(db, event) or event.statement_id
            self.store.register(
                db,
                scope,
                sub,
                course_iri=course.iri,
                occasion_iri=occasion.iri,
                by=launch.sub,
                statement_id=statement_id,
                now=now,
            )
        for left in {o.iri: o for o in leaving.values() if o is not None}.values():
            self.promote(db, course, left, now=now)  # a moved person's seat frees up
        return outcome

    def _queue_overflow(
        self,
        db: Executor,
        launch: LaunchContext,
        course: Course,
        occasion: CourseOccasion,
        outcome: Outcome,
        left: int,
        now: datetime,
    ) -> None:
        """Keep the first ``left`` of those to register; put the rest in line."""
        assert self.waiting is not None
        scope = Scope.of(launch)
        order = [*outcome.registered, *outcome.moved]
        line = {w.sub for w in self.waiting.line(db, occasion.iri) if w.scope == scope}
        for sub in order[max(0, left) :]:
            for group in (outcome.registered, outcome.moved):
                if sub in group:
                    group.remove(sub)
            outcome.waiting.append(sub)
            if sub not in line:
                self.waiting.add(
                    db,
                    scope,
                    sub,
                    course_iri=course.iri,
                    occasion_iri=occasion.iri,
                    by=launch.sub,
                    now=now,
                )
                position = len(self.waiting.line(db, occasion.iri))  # the last in line
                event = replace(self._event(launch, sub, occasion.iri, now), position=position)
                self.journal.waiting_joined(db, event)

    def leave_waiting(
        self,
        db: Executor,
        launch: LaunchContext,
        course: Course,
        occasion: CourseOccasion,
        sub: str,
        *,
        now: datetime,
    ) -> None:
        """Take ``sub`` off the occasion's waiting list."""
        self._lock(db, course, now)
        if self.waiting is None or not self.waiting.remove(db, Scope.of(launch), sub, occasion.iri):
            raise NotWaiting("the person is not on the waiting list (any more): reload the page")
        self._left(db, launch, sub, occasion.iri, "withdrawn", now)

    def _left(
        self, db: Executor, launch: LaunchContext, sub: str, iri: str, reason: str, now: datetime
    ) -> None:
        """*left* the occasion's waiting list, for ``reason``."""
        event = replace(self._event(launch, sub, iri, now), reason=reason)
        self.journal.waiting_left(db, event)

    def promote(
        self, db: Executor, course: Course, occasion: CourseOccasion, *, now: datetime
    ) -> list[Waiting]:
        """Fill free seats from the waiting list, first in line first (the caller holds the
        course's locks). Someone whose current occasion already started is skipped and
        taken off the list."""
        if self.waiting is None:
            return []
        promoted: list[Waiting] = []
        today = rules.swedish_date(now)
        if not rules.withdrawal_open(occasion, today):
            return []  # from the first course day the list is closed
        capacity = self.capacity(db, occasion)
        for waiting in self.waiting.line(db, occasion.iri):
            if self.store.taken(db, [occasion.iri])[occasion.iri] >= capacity:
                break
            self.waiting.remove(db, waiting.scope, waiting.sub, occasion.iri)
            launch = launch_of(waiting.scope, waiting.added_by)
            current = self.store.of_person(db, waiting.scope, waiting.sub, course.iri)
            if current is not None and current.occasion_iri != occasion.iri:
                old = self._old_occasion(current.occasion_iri)
                try:
                    if old is not None:
                        rules.check_withdrawal_open(old, today)
                except OccasionStarted:
                    self._left(db, launch, waiting.sub, occasion.iri, "occasion-started", now)
                    continue
                if old is not None:
                    self.journal.unregistered(
                        db, self._event(launch, waiting.sub, current.occasion_iri, now)
                    )
            elif current is not None:
                self._left(db, launch, waiting.sub, occasion.iri, "registered", now)
                continue
            event = replace(
                self._event(launch, waiting.sub, occasion.iri, now), waiting_since=waiting.added_at
            )
            statement_id = self.journal.registered(db, event) or event.statement_id
            self.store.register(
                db,
                waiting.scope,
                waiting.sub,
                course_iri=course.iri,
                occasion_iri=occasion.iri,
                by=waiting.added_by,
                statement_id=statement_id,
                now=now,
            )
            promoted.append(waiting)
        return promoted

    def withdraw(
        self, db: Executor, launch: LaunchContext, course: Course, sub: str, *, now: datetime
    ) -> str:
        """Withdraw ``sub``'s registration for the course; returns the occasion's IRI."""
        self._lock(db, course, now)
        scope = Scope.of(launch)
        current = self.store.of_person(db, scope, sub, course.iri)
        if current is None:
            raise NotRegistered(
                "the person is not registered for an occasion of this course (any more): "
                "reload the page"
            )
        old = self._old_occasion(current.occasion_iri)
        if old is not None:
            rules.check_withdrawal_open(old, rules.swedish_date(now))
        if not self.store.withdraw(db, scope, sub, course.iri):
            raise NotRegistered("the registration was withdrawn meanwhile: reload the page")
        if old is not None:
            self.journal.unregistered(db, self._event(launch, sub, current.occasion_iri, now))
            self.promote(db, course, old, now=now)
        return current.occasion_iri
