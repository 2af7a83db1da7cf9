"""When a course counts as completed (kursen är genomförd).

Framework-free and storage-free, like :mod:`yrkesresan_lti.progress`: the caller gives the
learner's checklist progress, the occasion they are registered for and the course days
they attended; :func:`course_completion` decides.

**The rule.** A course is completed when

1. every task of its preparation (*Förberedelser*) is done,
2. every course day of the learner's occasion is attended — when the course has course
   days, that is when the catalog has occasions for it; a course without occasions is
   completed from its checklists alone — and
3. every task of its follow-up (*Efterarbete*) is done.

A learner of a course with occasions who is registered for none has not completed it
(there are days to attend, but not yet which). Attendance on days that are not the
occasion's (say, of an earlier occasion) does not count.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from yrkesresan_lti.progress import CourseProgress, ProgressState, Tally


class DayLike(Protocol):
    @property
    def iri(self) -> str: ...


class OccasionLike(Protocol):
    @property
    def iri(self) -> str: ...
    @property
    def days(self) -> Sequence[DayLike]: ...


class CourseWithOccasions(Protocol):
    @property
    def occasions(self) -> Sequence[OccasionLike]: ...


class Missing(StrEnum):
    """What stands between a learner and a completed course, in course order."""

    PREPARATION = "preparation"
    OCCASION = "occasion"
    """The course has course days but the learner is registered for no occasion."""
    COURSE_DAYS = "course-days"
    """Some course day of the learner's occasion is not attended."""
    FOLLOW_UP = "follow-up"


@dataclass(frozen=True)
class CourseDaysState:
    """The course-day half of the rule: registered where, and how many days attended."""

    has_days: bool
    """The course has course days (occasions in the catalog)."""
    occasion_iri: str | None = None
    attended: int = 0
    total: int = 0

    @property
    def done(self) -> bool:
        if not self.has_days:
            return True
        return self.occasion_iri is not None and self.attended >= self.total

    @property
    def missing(self) -> Missing | None:
        if self.done:
            return None
        return Missing.OCCASION if self.occasion_iri is None else Missing.COURSE_DAYS

    @property
    def tally(self) -> Tally:
        """The course days counted like tasks: each day of the learner's occasion, attended
        ones done; before a registration one day, not done (so a course with course days is
        never at 100 % before it is completed). What the course's score and its "whole
        course" meter add to the tasks."""
        if not self.has_days:
            return Tally()
        attended = self.attended if self.occasion_iri is not None else 0
        return Tally(done=attended, total=max(self.total, 1))


NO_DAYS = CourseDaysState(has_days=False)
"""A course without course days: only its checklists count."""


def course_days_state(
    course: CourseWithOccasions, occasion: OccasionLike | None, attended: Collection[str]
) -> CourseDaysState:
    """Where ``occasion`` (the learner's, None: not registered) and ``attended`` (course-day
    IRIs) leave the course-day part of ``course``."""
    if not course.occasions:
        return NO_DAYS
    if occasion is None:
        return CourseDaysState(has_days=True)
    days = {day.iri for day in occasion.days}
    return CourseDaysState(
        has_days=True,
        occasion_iri=occasion.iri,
        attended=len(days & set(attended)),
        total=len(days),
    )


@dataclass(frozen=True)
class CourseCompletion:
    """One learner's standing against the rule in one course."""

    progress: CourseProgress
    days: CourseDaysState

    @property
    def missing(self) -> tuple[Missing, ...]:
        """What is left, in course order (empty: completed)."""
        found = []
        if self.progress.preparation.state is not ProgressState.DONE:
            found.append(Missing.PREPARATION)
        if self.days.missing is not None:
            found.append(self.days.missing)
        if self.progress.follow_up.state is not ProgressState.DONE:
            found.append(Missing.FOLLOW_UP)
        return tuple(found)

    @property
    def done(self) -> bool:
        return not self.missing

    @property
    def overall(self) -> Tally:
        """The whole course: its tasks and its course days (:attr:`CourseDaysState.tally`),
        as the course placement's score counts them. The estimated times are the tasks'."""
        return self.progress.overall + self.days.tally

    @property
    def state(self) -> ProgressState:
        """:attr:`ProgressState.DONE` only when completed by the rule; a learner whose
        checklists are done but whose days are not is still in progress."""
        if self.done:
            return ProgressState.DONE
        started = self.progress.overall.done or self.days.attended
        return ProgressState.IN_PROGRESS if started else ProgressState.NOT_STARTED


def course_completion(progress: CourseProgress, days: CourseDaysState) -> CourseCompletion:
    """The learner's completion of a course from their checklists and course days."""
    return CourseCompletion(progress, days)
