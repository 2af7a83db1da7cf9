"""The manager's staff table: who, how far per course or knowledge goal, last activity.

Pure functions over already-loaded data (people, completed task IRIs), so the manager
page needs a fixed number of queries however many people and tasks there are.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from yrkesresan_lti.catalog import Course, KnowledgeGoal
from yrkesresan_lti.progress import ProgressState, Tally, combined, course_progress

SORT_KEYS = ("name", "state", "progress", "activity")
STATE_ORDER = {ProgressState.NOT_STARTED: 0, ProgressState.IN_PROGRESS: 1, ProgressState.DONE: 2}


@dataclass(frozen=True)
class Person:
    sub: str
    name: str | None
    last_activity_at: datetime | None


@dataclass(frozen=True)
class Column:
    """A course (staff overview) or a knowledge goal (one course selected)."""

    iri: str
    title: Mapping[str, str]


@dataclass(frozen=True)
class StaffRow:
    person: Person
    overall: Tally
    cells: list[Tally]

    @property
    def state(self) -> ProgressState:
        return self.overall.state


def columns_for(courses: Sequence[Course], course: Course | None) -> list[Column]:
    if course is not None:
        return [Column(g.iri, g.title) for g in course.goals]
    return [Column(c.iri, c.title) for c in courses]


def staff_rows(
    people: Sequence[Person],
    courses: Sequence[Course],
    completed_by_user: Mapping[str, Collection[str]],
    course: Course | None = None,
) -> list[StaffRow]:
    rows = []
    for person in people:
        done = completed_by_user.get(person.sub, frozenset())
        if course is not None:
            progress = course_progress(course, done)
            rows.append(StaffRow(person, progress.overall, list(progress.goals.values())))
        else:
            tallies = [course_progress(c, done).overall for c in courses]
            rows.append(StaffRow(person, combined(tallies), tallies))
    return rows


def filter_rows(rows: list[StaffRow], query: str, state: str) -> list[StaffRow]:
    needle = query.strip().casefold()
    if needle:
        rows = [r for r in rows if needle in (r.person.name or r.person.sub).casefold()]
    if state in {s.value for s in ProgressState}:
        rows = [r for r in rows if r.state.value == state]
    return rows


def sort_rows(rows: list[StaffRow], key: str, descending: bool) -> list[StaffRow]:
    def name(row: StaffRow) -> str:
        return (row.person.name or row.person.sub).casefold()

    if key == "state":
        return sorted(rows, key=lambda r: (STATE_ORDER[r.state], name(r)), reverse=descending)
    if key == "progress":
        return sorted(rows, key=lambda r: (r.overall.percent, name(r)), reverse=descending)
    if key == "activity":
        never = datetime.min.replace(tzinfo=None)
        return sorted(
            rows,
            key=lambda r: (
                r.person.last_activity_at.replace(tzinfo=None)
                if r.person.last_activity_at
                else never
            ),
            reverse=descending,
        )
    return sorted(rows, key=name, reverse=descending)


@dataclass(frozen=True)
class GoalSummary:
    goal: KnowledgeGoal
    course: Course
    average_percent: int
    reached: int
    people: int


def goal_summaries(
    people: Sequence[Person],
    courses: Sequence[Course],
    completed_by_user: Mapping[str, Collection[str]],
) -> list[GoalSummary]:
    """Per knowledge goal: the group's average progress and how many reached it."""
    summaries = []
    per_person = [
        {c.iri: course_progress(c, completed_by_user.get(p.sub, frozenset())) for c in courses}
        for p in people
    ]
    for course in courses:
        for goal in course.goals:
            tallies = [progress[course.iri].goals[goal.iri] for progress in per_person]
            average = sum(t.percent for t in tallies) // len(tallies) if tallies else 0
            reached = sum(1 for t in tallies if t.state is ProgressState.DONE)
            summaries.append(GoalSummary(goal, course, average, reached, len(tallies)))
    return summaries
