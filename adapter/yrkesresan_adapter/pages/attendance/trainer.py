"""The trainers' people: everyone registered for an occasion the trainer trains, over every
municipality, and attendance recorded for them in each one's own tenant scope.

Registrations and attendance rows are per tenant and context (:class:`Scope`). A trainer
named on an occasion (or an administrator) is the one reader across tenants, and only for
that occasion's registrations (:meth:`OccasionStore.of_occasion`). A person is identified
on the page by an opaque key (a hash of scope and ``sub``), so a form never carries another
tenant's identifiers and a posted key that names no one registered is refused. Saving
groups the marks by scope and applies each group through the one
:class:`~.recorder.AttendanceRecorder` (the existing rules: only days that have begun, only
people registered), with a stand-in launch of that scope for a person of another platform
or course, all in the caller's transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from yrkesresan_adapter.pages.attendance.recorder import AttendanceRecorder, Change, Mark
from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.occasions import OccasionStore, launch_of
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti.catalog import Course, CourseOccasion
from yrkesresan_lti.lti.context import LaunchContext

PlatformName = Callable[[str, str], str]
"""(issuer, client_id) → the platform's registered name (the issuer when unknown)."""


@dataclass(frozen=True)
class Participant:
    key: str
    """Opaque and stable: what the page's form names the person by."""
    scope: Scope
    sub: str
    name: str
    municipality: str


def participant_key(scope: Scope, sub: str) -> str:
    parts = (scope.issuer, scope.client_id, scope.deployment_id, scope.context_id, sub)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


@dataclass
class TrainerRoster:
    registrations: OccasionStore
    people: ProgressStore
    attendance: AttendanceStore
    platform_name: PlatformName

    def participants(self, db: Executor, occasion_iri: str) -> list[Participant]:
        """Everyone registered for the occasion, by municipality then name; the name is the
        one the person's own launches stored (else their ``sub``)."""
        by_scope: dict[Scope, list[str]] = {}
        for scope, registration in self.registrations.of_occasion(db, occasion_iri):
            by_scope.setdefault(scope, []).append(registration.sub)
        found = []
        for scope, subs in by_scope.items():
            names = self.people.learners_by_sub(db, scope, subs)
            place = self.platform_name(scope.issuer, scope.client_id)
            for sub in subs:
                stored = names.get(sub)
                name = stored.name if stored is not None and stored.name else sub
                found.append(Participant(participant_key(scope, sub), scope, sub, name, place))
        return sorted(found, key=lambda p: (p.municipality.casefold(), p.name.casefold(), p.key))

    def attended(
        self, db: Executor, occasion_iri: str, people: Collection[Participant]
    ) -> set[tuple[str, str]]:
        """(participant key, day IRI) of every attendance recorded for ``people``."""
        by_scope: dict[Scope, dict[str, str]] = {}
        for person in people:
            by_scope.setdefault(person.scope, {})[person.sub] = person.key
        marks = set()
        for scope, keys in by_scope.items():
            stored = self.attendance.of_occasion(db, scope, occasion_iri, list(keys))
            marks |= {(keys[sub], day) for sub, day in stored}
        return marks


def record(
    db: Executor,
    recorder: AttendanceRecorder,
    trainer: LaunchContext,
    course: Course,
    occasion: CourseOccasion,
    people: Collection[Participant],
    *,
    add: Collection[tuple[Participant, str]],
    remove: Collection[tuple[Participant, str]],
    recorded_by: str,
    now: datetime,
) -> Change:
    """Apply the trainer's ticks per tenant scope; ``recorded_by`` is what the rows of
    another scope keep as the recorder (the trainer's own ``sub`` means nothing there)."""
    own = Scope.of(trainer)
    scopes = sorted({p.scope for p in people}, key=lambda s: tuple(s.values().values()))
    total = Change()
    for scope in scopes:
        adds: list[Mark] = [(p.sub, day) for p, day in add if p.scope == scope]
        removes: list[Mark] = [(p.sub, day) for p, day in remove if p.scope == scope]
        if not adds and not removes:
            continue
        if scope == own:
            change = recorder.apply(
                db, trainer, course, occasion, add=adds, remove=removes, now=now
            )
        else:
            change = recorder.apply(
                db,
                launch_of(scope, recorded_by),
                course,
                occasion,
                add=adds,
                remove=removes,
                now=now,
                recorder=trainer,
                recorded_by=recorded_by,
            )
        total.recorded.extend(change.recorded)
        total.withdrawn.extend(change.withdrawn)
    return total
