"""Recording attendance on an occasion's course days, in the caller's transaction.

:class:`AttendanceRecorder` applies a change a manager made in the attendance table — newly
ticked (person, day) pairs are recorded, unticked ones withdrawn — after the rules of
:mod:`yrkesresan_lti.attendance` (only days that have begun, only people registered for the
occasion in the launch's scope), and enqueues the *attended* / *voided* statements through
the pages' :class:`~yrkesresan_adapter.pages.journal.Journal`, all in the one transaction
the caller commits; then, per person whose attendance changed, the journal's
:meth:`~yrkesresan_adapter.pages.journal.Journal.course_days_changed` (the last missing day
completes the course, a withdrawal may void its completion). The change is applied relative
to what is stored now, so a page opened before another manager saved changes only what this
manager changed; the occasion's lock row
(``page_occasion_locks``) serializes saves of one occasion, so two saves at the same moment
never both insert the same tick. A save holds that one lock row only, so it cannot wait in a
cycle with a registration, which locks rows of the course's occasions in IRI order."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime

from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.journal import AttendanceEvent, CourseDaysEvent, Journal
from yrkesresan_adapter.pages.occasions import OccasionStore
from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti import attendance as rules
from yrkesresan_lti.catalog import Course, CourseOccasion
from yrkesresan_lti.exceptions import NotRegisteredForOccasion
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.occasions import swedish_date

Mark = tuple[str, str]
"""(person's ``sub``, course-day IRI)."""


@dataclass(frozen=True)
class Change:
    """What a save changed: attendance recorded and attendance withdrawn."""

    recorded: list[Mark] = field(default_factory=list)
    withdrawn: list[Mark] = field(default_factory=list)


@dataclass
class AttendanceRecorder:
    store: AttendanceStore
    registrations: OccasionStore
    journal: Journal
    new_id: Callable[[], str]

    def registered(
        self, db: Executor, scope: Scope, course: Course, occasion: CourseOccasion
    ) -> set[str]:
        """Who of the scope is registered for the occasion."""
        found = self.registrations.of_course(db, scope, course.iri)
        return {sub for sub, r in found.items() if r.occasion_iri == occasion.iri}

    def apply(
        self,
        db: Executor,
        launch: LaunchContext,
        course: Course,
        occasion: CourseOccasion,
        *,
        add: Collection[Mark],
        remove: Collection[Mark],
        now: datetime,
        recorder: LaunchContext | None = None,
        recorded_by: str | None = None,
    ) -> Change:
        """Record ``add`` and withdraw ``remove`` (all or nothing); marks already in that
        state are left as they are. ``launch`` gives the people's tenant and context; a
        trainer recording for another municipality passes a stand-in launch of that scope
        (:func:`~yrkesresan_adapter.pages.occasions.launch_of`), their own launch as
        ``recorder`` (the statements' instructor) and ``recorded_by`` (what the row keeps
        instead of a ``sub`` of another tenant)."""
        scope = Scope.of(launch)
        today = swedish_date(now)
        # First, before reading: the occasion's lock row (as when registering) holds a
        # second save of the same occasion until this one commits, so it reads our rows.
        self.registrations.lock(db, occasion.iri, now=now)
        registered = self.registered(db, scope, course, occasion)
        for sub, day_iri in [*add, *remove]:
            rules.check_day_begun(rules.find_day(occasion, day_iri), today)
            if sub not in registered:
                raise NotRegisteredForOccasion(
                    f"the person is not registered for occasion '{occasion.iri}' from this "
                    "course (any more): reload the page"
                )
        stored = self.store.of_occasion(db, scope, occasion.iri)
        change = Change(
            recorded=sorted(set(add) - set(stored)),
            withdrawn=sorted(set(remove) & set(stored) - set(add)),
        )
        for sub, day_iri in change.recorded:
            event = AttendanceEvent(launch, sub, day_iri, self.new_id(), now, recorder=recorder)
            statement_id = self.journal.attended(db, event) or event.statement_id
            self.store.record(
                db,
                scope,
                sub,
                occasion_iri=occasion.iri,
                day_iri=day_iri,
                by=recorded_by or launch.sub,
                statement_id=statement_id,
                now=now,
            )
        for sub, day_iri in change.withdrawn:
            voided = self.store.withdraw(db, scope, sub, day_iri)
            if voided is not None:
                event = AttendanceEvent(
                    launch, sub, day_iri, self.new_id(), now, voided, recorder=recorder
                )
                self.journal.withdrawn(db, event)
        withdrawn = {sub for sub, _ in change.withdrawn}
        for sub in sorted({sub for sub, _ in [*change.recorded, *change.withdrawn]}):
            days = CourseDaysEvent(launch, sub, course, now, withdrawn=sub in withdrawn)
            self.journal.course_days_changed(db, days)
        return change
