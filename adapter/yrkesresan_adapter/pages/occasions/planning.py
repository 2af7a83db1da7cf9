"""Adding, changing, cancelling and importing occasions, in the caller's transaction.

:class:`Planning` is what both ``yrkesresan occasion`` and the admin page call. Every change
is checked first (:func:`yrkesresan_lti.occasion_plan.check_occasion`, the capacity against
those already registered), then written with an audit-trail entry. Moving a course day
bumps its calendar SEQUENCE, leaves a notice for every registered person and the
manager who registered them and sends each registered person's *rescheduled* statement;
cancelling leaves the notices, sends each registered person's *unregistered* statement
(reason ``occasion-cancelled``) and empties the waiting list (*left*, same reason); a
raised capacity promotes the first in line. Nothing is half-done: an error raises before
the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from yrkesresan_adapter.pages.journal import DayMovedEvent
from yrkesresan_adapter.pages.occasions.notices import NoticeStore
from yrkesresan_adapter.pages.occasions.plan_store import AuditActor, PlanStore
from yrkesresan_adapter.pages.occasions.registrar import Registrar, launch_of
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.occasions.waiting import WaitingStore
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import OccasionExists, UnknownCatalogNode, UnknownOccasion
from yrkesresan_lti.occasion_csv import parse_occasions
from yrkesresan_lti.occasion_plan import (
    OccasionStatus,
    PlannedDay,
    PlannedOccasion,
    course_iris,
    require_valid,
)

SWEDISH = ZoneInfo("Europe/Stockholm")
CANCELLED = "occasion-cancelled"
"""The reason on the statements of a cancellation."""


def _span(day: PlannedDay) -> tuple[datetime, datetime]:
    """The day's start and end in Swedish time (aware)."""
    start = datetime.combine(day.date, day.start, SWEDISH)
    return start, datetime.combine(day.date, day.end, SWEDISH)


@dataclass
class Planning:
    plans: PlanStore
    registrations: OccasionStore
    waiting: WaitingStore
    notices: NoticeStore
    registrar: Registrar
    catalog: Callable[[], Catalog]

    def _get(self, db: Executor, iri: str) -> PlannedOccasion:
        found = self.plans.get(db, iri)
        if found is None:
            raise UnknownOccasion(f"no occasion '{iri}': see 'yrkesresan occasion list'", iri=iri)
        return found

    def _check(self, db: Executor, occasion: PlannedOccasion) -> None:
        taken = self.registrations.taken(db, [occasion.iri])[occasion.iri]
        trainers = {t.key for t in self.plans.trainers(db)}
        require_valid(
            occasion, courses=course_iris(self.catalog()), trainers=trainers, registered=taken
        )

    def add(
        self, db: Executor, occasion: PlannedOccasion, *, actor: str | AuditActor, now: datetime
    ) -> None:
        if self.plans.get(db, occasion.iri) is not None:
            raise OccasionExists(f"occasion '{occasion.iri}' exists: edit it", iri=occasion.iri)
        self._check(db, occasion)
        self.plans.save(db, occasion, source="admin", now=now)
        self.plans.audit(db, occasion.iri, "created", actor=actor, now=now)

    def edit(
        self, db: Executor, changed: PlannedOccasion, *, actor: str | AuditActor, now: datetime
    ) -> PlannedOccasion:
        """Store ``changed`` over the occasion with its IRI; returns what was stored."""
        self.registrations.lock(db, changed.iri, now=now)
        old = self._get(db, changed.iri)
        if old.status == OccasionStatus.CANCELLED:
            changed = replace(changed, status=OccasionStatus.CANCELLED)
        elif changed.status == OccasionStatus.CANCELLED:
            changed = replace(changed, status=old.status)  # cancel() tells everyone
        new = old.with_days(changed.days)
        new = replace(changed, days=new.days)
        self._check(db, new)
        self.plans.save(db, new, source="admin", now=now)
        moved = [
            (number, before, after)
            for number, (before, after) in enumerate(zip(old.days, new.days, strict=False), 1)
            if (before.date, before.start, before.end) != (after.date, after.start, after.end)
        ]
        details: dict[str, object] = {
            k: [str(getattr(old, k)), str(getattr(new, k))]
            for k in ("capacity", "place", "meeting_url", "registration_deadline", "status")
            if getattr(old, k) != getattr(new, k)
        }
        for number, before, after in moved:
            self._tell_statements(db, new.iri, number, before, after)
            details[f"day_{number}"] = [
                f"{before.date} {before.start:%H:%M}-{before.end:%H:%M}",
                f"{after.date} {after.start:%H:%M}-{after.end:%H:%M}",
            ]
            self._tell_everyone(
                db,
                new.iri,
                "moved",
                {
                    "day": str(number),
                    "before": before.date.isoformat(),
                    "after": after.date.isoformat(),
                    "start": f"{after.start:%H:%M}",
                },
                now,
                include_waiting=False,
            )
        self.plans.audit(db, new.iri, "edited", actor=actor, now=now, details=details)
        if new.capacity > old.capacity:
            self._promote(db, new, now)
        return new

    def _tell_statements(
        self, db: Executor, iri: str, number: int, before: PlannedDay, after: PlannedDay
    ) -> None:
        """*rescheduled* for every person registered for the occasion whose day moved."""
        day_iri = f"{iri}/days/{number}"
        for scope, registration in self.registrations.of_occasion(db, iri):
            launch = launch_of(scope, registration.registered_by)
            event = DayMovedEvent(launch, registration.sub, day_iri, _span(before), _span(after))
            self.registrar.journal.day_moved(db, event)

    def _promote(self, db: Executor, occasion: PlannedOccasion, now: datetime) -> None:
        try:
            course, node = rules.find_occasion(self.catalog(), occasion.iri)
        except UnknownCatalogNode:
            return
        node = node.model_copy(update={"capacity": occasion.capacity})
        for iri in sorted(o.iri for o in course.occasions):
            self.registrations.lock(db, iri, now=now)
        self.registrar.promote(db, course, node, now=now)

    def _tell_everyone(
        self,
        db: Executor,
        occasion_iri: str,
        kind: str,
        details: dict[str, str],
        now: datetime,
        *,
        include_waiting: bool,
    ) -> None:
        told: set[tuple[object, str]] = set()
        people = [
            (s, r.sub, r.registered_by) for s, r in self.registrations.of_occasion(db, occasion_iri)
        ]
        if include_waiting:
            people += [(w.scope, w.sub, w.added_by) for w in self.waiting.line(db, occasion_iri)]
        for scope, sub, manager in people:
            for who in (sub, manager):
                if (scope, who) not in told:
                    told.add((scope, who))
                    self.notices.add(
                        db,
                        scope,
                        who,
                        occasion_iri=occasion_iri,
                        kind=kind,
                        details=details,
                        now=now,
                    )

    def cancel(self, db: Executor, iri: str, *, actor: str | AuditActor, now: datetime) -> int:
        """Cancel the occasion; returns how many registrations it had."""
        self.registrations.lock(db, iri, now=now)
        occasion = self._get(db, iri)
        if occasion.status == OccasionStatus.CANCELLED:
            return 0
        self.plans.save(
            db, replace(occasion, status=OccasionStatus.CANCELLED), source="admin", now=now
        )
        self._tell_everyone(db, iri, "cancelled", {}, now, include_waiting=True)
        registered = self.registrations.of_occasion(db, iri)
        journal = self.registrar.journal
        for scope, registration in registered:
            launch = launch_of(scope, registration.registered_by)
            event = self.registrar._event(launch, registration.sub, iri, now)
            journal.unregistered(db, replace(event, reason=CANCELLED))
        for waiting in self.waiting.line(db, iri):
            self.waiting.remove(db, waiting.scope, waiting.sub, iri)
            launch = launch_of(waiting.scope, waiting.added_by)
            event = self.registrar._event(launch, waiting.sub, iri, now)
            journal.waiting_left(db, replace(event, reason=CANCELLED))
        self.plans.audit(
            db, iri, "cancelled", actor=actor, now=now, details={"registered": len(registered)}
        )
        return len(registered)

    def import_csv(
        self, db: Executor, data: bytes, *, actor: str | AuditActor, now: datetime
    ) -> tuple[int, int]:
        """Import every occasion of the CSV or none; (added, changed)."""
        existing = {o.iri: o for o in self.plans.find(db)}
        for iri in sorted(existing):
            self.registrations.lock(db, iri, now=now)
        taken = self.registrations.taken(db, list(existing))
        occasions = parse_occasions(
            data,
            courses=course_iris(self.catalog()),
            trainers={t.key for t in self.plans.trainers(db)},
            registered=taken,
            statuses={iri: o.status for iri, o in existing.items()},
        )
        added = changed = 0
        for occasion in occasions:
            if occasion.iri in existing:
                self.edit(db, occasion, actor=actor, now=now)
                changed += 1
            else:
                self.plans.save(db, occasion, source="csv", now=now)
                self.plans.audit(db, occasion.iri, "imported", actor=actor, now=now)
                added += 1
        return added, changed
