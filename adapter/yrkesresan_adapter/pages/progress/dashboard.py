"""The manager's dashboard: who needs help, and where.

From what the staff page has already loaded (people, their completed tasks counted per
course by :class:`GroupIndex`) plus one query for the context's registrations:

- per course in view, how many have not started, are in progress, are done (done: the
  tasks and, for a course with course days, every day of the person's occasion attended);
- who has stalled: started, not done, and no activity for ``stalled_after_weeks`` weeks;
- who is registered for an occasion that has not begun yet but has not done the course's
  preparation (*Förberedelser*).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from yrkesresan_adapter.pages.progress.group_counts import GroupIndex, PersonCounts
from yrkesresan_adapter.pages.progress.staff import Person
from yrkesresan_lti.catalog import Course, CourseOccasion
from yrkesresan_lti.progress import ProgressState


@dataclass(frozen=True)
class CourseGlance:
    course: Course
    not_started: int
    in_progress: int
    done: int


@dataclass(frozen=True)
class Stalled:
    person: Person
    weeks: int
    """Whole weeks since the last activity."""


@dataclass(frozen=True)
class Unprepared:
    person: Person
    course: Course
    occasion: CourseOccasion
    done: int
    total: int
    """Preparation tasks done of all."""


def course_glance(
    people: Sequence[Person],
    courses: Sequence[Course],
    index: GroupIndex,
    counts: Mapping[str, PersonCounts],
    open_days: Callable[[str], Collection[str]] = lambda sub: (),
) -> list[CourseGlance]:
    """Per course: not started / in progress / done among ``people``; ``open_days`` gives
    the courses whose course days a person has not all attended (not done)."""
    glances = []
    # One column per course: everyone's done tasks of it (never more than all of them).
    per_course = list(zip(*(counts[p.sub].course_done for p in people), strict=True)) or [
        () for _ in index.course_iris
    ]
    for course in courses:
        c_index = index.course_iris.index(course.iri)
        total = index.course_total[c_index][0]
        done = per_course[c_index]
        if course.occasions:  # checklists done but a day missing: in progress
            finished = sum(
                1
                for p, d in zip(people, done, strict=True)
                if d == total and course.iri not in open_days(p.sub)
            )
        else:
            finished = done.count(total)
        untouched = done.count(0) if total else 0
        glances.append(CourseGlance(course, untouched, len(done) - untouched - finished, finished))
    return glances


def stalled(
    people: Sequence[Person],
    states: Mapping[str, ProgressState],
    now: datetime,
    weeks: int,
) -> list[Stalled]:
    """Who started and is not done, with no activity for ``weeks`` weeks; longest first."""
    found, _ = stalled_first(people, states, now, weeks, len(people))
    return found


def stalled_first(
    people: Sequence[Person],
    states: Mapping[str, ProgressState],
    now: datetime,
    weeks: int,
    shown: int,
) -> tuple[list[Stalled], int]:
    """The first ``shown`` of :func:`stalled` and how many there are in all: a region's
    page names a few and counts the rest, so only those are built and ordered."""
    limit = now - timedelta(weeks=weeks)
    quiet = [
        p
        for p in people
        if states.get(p.sub) is ProgressState.IN_PROGRESS
        and p.last_activity_at is not None
        and _aware(p.last_activity_at, now) <= limit
    ]
    # Longest quiet first is earliest activity first (whole weeks, then the name).
    first = heapq.nsmallest(
        shown, quiet, key=lambda p: (-_quiet_weeks(p, now), (p.name or p.sub).casefold())
    )
    return [Stalled(p, _quiet_weeks(p, now)) for p in first], len(quiet)


def _quiet_weeks(person: Person, now: datetime) -> int:
    quiet_since = person.last_activity_at
    return 0 if quiet_since is None else (now - quiet_since).days // 7


def _aware(moment: datetime, like: datetime) -> datetime:
    return moment if moment.tzinfo or like.tzinfo is None else moment.replace(tzinfo=like.tzinfo)


@dataclass(frozen=True)
class RegistrationSeen:
    sub: str
    course_iri: str
    occasion_iri: str


def unprepared(
    people: Sequence[Person],
    courses: Sequence[Course],
    registrations: Sequence[RegistrationSeen],
    completed: Mapping[str, Collection[str]],
    today: date,
) -> list[Unprepared]:
    """Who is registered for an occasion whose first day is today or later and has not
    done every preparation task of that course; soonest occasion first."""
    by_sub = {p.sub: p for p in people}
    by_course = {c.iri: c for c in courses}
    found = []
    for registration in registrations:
        person = by_sub.get(registration.sub)
        course = by_course.get(registration.course_iri)
        if person is None or course is None:
            continue
        occasion = next((o for o in course.occasions if o.iri == registration.occasion_iri), None)
        if occasion is None or not occasion.days or occasion.days[0].date < today:
            continue
        tasks = [t.iri for t in course.preparation.tasks]
        mine = set(completed.get(person.sub, ()))
        done = sum(1 for t in tasks if t in mine)
        if done < len(tasks):
            found.append(Unprepared(person, course, occasion, done, len(tasks)))
    return sorted(
        found,
        key=lambda u: (u.occasion.days[0].date, (u.person.name or u.person.sub).casefold()),
    )
