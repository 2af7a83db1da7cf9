"""Course completion from the stored rows: task states, registrations and attendance.

:class:`StoredCompletion` is the pages'
:class:`~yrkesresan_adapter.pages.journal.CompletionReader` (used by the statements and the
AGS scores, in the transaction of the click or the save) and gives the learner's and the
manager's pages the same notion of a completed course
(:mod:`yrkesresan_lti.completion`): every query is filtered by the caller's scope.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.compiled import CompiledCourses
from yrkesresan_adapter.pages.occasions import OccasionStore
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti.catalog import Course
from yrkesresan_lti.completion import (
    NO_DAYS,
    CourseCompletion,
    CourseDaysState,
    course_completion,
    course_days_state,
)
from yrkesresan_lti.progress import Tally, course_progress

DaysByCourse = dict[str, CourseDaysState]
"""Course IRI → the course-day state of one person."""


def days_of(
    courses: Iterable[Course], occasion_of: Mapping[str, str], attended: Collection[str]
) -> DaysByCourse:
    """Each course's day state from the person's registrations (course IRI → occasion
    IRI) and attended day IRIs; an occasion the catalog no longer has counts as none."""
    found: DaysByCourse = {}
    for course in courses:
        wanted = occasion_of.get(course.iri)
        occasion = next((o for o in course.occasions if o.iri == wanted), None)
        found[course.iri] = course_days_state(course, occasion, attended)
    return found


@dataclass
class StoredCompletion:
    progress: ProgressStore
    registrations: OccasionStore
    attendance: AttendanceStore
    compiled: CompiledCourses

    def days(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        course: Course,
        *,
        lock_at: datetime | None = None,
    ) -> CourseDaysState:
        if not course.occasions:
            return NO_DAYS
        registration = self.registrations.of_person(db, scope, sub, course.iri)
        if registration is None:
            return course_days_state(course, None, ())
        if lock_at is not None:  # wait for a save of this occasion's attendance to commit
            self.registrations.lock(db, registration.occasion_iri, now=lock_at)
        attended = self.attendance.days_of(db, scope, sub, registration.occasion_iri)
        return days_of([course], {course.iri: registration.occasion_iri}, attended)[course.iri]

    def completion(self, db: Executor, scope: Scope, sub: str, course: Course) -> CourseCompletion:
        completed = self.progress.completed(db, scope, sub)
        progress = course_progress(self.compiled(course), completed)
        return course_completion(progress, self.days(db, scope, sub, course))


class OpenDays:
    """Per person, the courses in view whose course days are not all attended (the manager's
    view: a row is done only when these are none), and the course days counted like tasks
    (:attr:`~yrkesresan_lti.completion.CourseDaysState.tally`, what each course's score and
    meter add to its tasks). Built from what the page already loaded (registrations of the
    courses in view) and one query of attendance; someone registered for no occasion has
    every course with course days open, each counted as one day not done."""

    def __init__(
        self,
        courses: Iterable[Course],
        registrations: Iterable[tuple[str, str, str]],
        attended: Mapping[str, Collection[str]],
    ) -> None:
        with_days = [c for c in courses if c.occasions]
        self.every = frozenset(c.iri for c in with_days)
        self.every_tally: Mapping[str, Tally] = {
            c.iri: course_days_state(c, None, ()).tally for c in with_days
        }
        occasion_of: dict[str, dict[str, str]] = {}
        for sub, course_iri, occasion_iri in registrations:
            occasion_of.setdefault(sub, {})[course_iri] = occasion_iri
        states = {
            sub: days_of(with_days, mine, attended.get(sub, ()))
            for sub, mine in occasion_of.items()
        }
        self._by_sub = {
            sub: frozenset(iri for iri, state in mine.items() if not state.done)
            for sub, mine in states.items()
        }
        self._tally_by_sub = {
            sub: {iri: state.tally for iri, state in mine.items()} for sub, mine in states.items()
        }

    def of(self, sub: str) -> frozenset[str]:
        return self._by_sub.get(sub, self.every)

    def tallies(self, sub: str) -> Mapping[str, Tally]:
        """Course IRI → the person's course days counted like tasks (courses with days)."""
        return self._tally_by_sub.get(sub, self.every_tally)
