"""Registering staff for a course occasion and withdrawing them, in the caller's transaction.

:class:`Registrar` applies the rules of :mod:`yrkesresan_lti.occasions` (deadline, seats, no
withdrawing once the course days started) to the stored registrations and enqueues the
*registered* / *unregistered* statements through the pages'
:class:`~yrkesresan_adapter.pages.journal.Journal`, all in the one transaction the caller
commits. Registering and withdrawing first take the lock rows of *every* occasion of the
course (in IRI order, so two transactions never wait on each other in a cycle): concurrent
registrations never overbook an occasion, and two managers moving the same person at once
are serialized, so each sees where the other left her and the LRS gets the *unregistered* of
every occasion she leaves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from yrkesresan_adapter.pages.journal import Journal, OccasionEvent
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import Catalog, Course, CourseOccasion
from yrkesresan_lti.exceptions import NobodySelected, NotRegistered, UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext


@dataclass(frozen=True)
class Outcome:
    """Who a registration changed: newly registered, moved from another occasion, or
    already registered for this occasion (nothing changed for them)."""

    registered: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


@dataclass
class Registrar:
    store: OccasionStore
    catalog: Callable[[], Catalog]
    journal: Journal
    new_id: Callable[[], str]

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
    ) -> Outcome:
        """Register ``subs`` (of the launch's scope) for ``occasion``, all or none."""
        wanted = list(dict.fromkeys(subs))
        if not wanted:
            raise NobodySelected("choose at least one person to register")
        today = rules.swedish_date(now)
        rules.check_registration_open(occasion, today)
        self._lock(db, course, now)  # first: serializes seats and this course's moves
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
        rules.check_seats(occasion, taken, len(outcome.registered) + len(outcome.moved))
        for sub in [*outcome.registered, *outcome.moved]:
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
        return outcome

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
        return current.occasion_iri
