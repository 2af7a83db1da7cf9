"""The manager's staff table: who, how far per course or knowledge goal, last activity.

Pure functions over already-loaded data (people, completed task IRIs), so the manager
page needs a fixed number of queries however many people and tasks there are.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from yrkesresan_adapter.pages.numbers import average_percent, shown_percent
from yrkesresan_adapter.pages.progress.group_counts import GroupIndex, PersonCounts
from yrkesresan_lti.catalog import Course, KnowledgeGoal
from yrkesresan_lti.progress import ProgressState, Tally

SORT_KEYS = ("name", "state", "progress", "activity")
STATE_ORDER = {ProgressState.NOT_STARTED: 0, ProgressState.IN_PROGRESS: 1, ProgressState.DONE: 2}
_NONE = Tally()
_NO_DAYS: Mapping[str, Tally] = {}


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


class StaffRow:
    """A person's row: the done and total tasks in view (all that filtering, sorting and the
    dashboard read, so a region's rows stay cheap) and, built when first read, the overall
    :class:`Tally` and the cells per course or knowledge goal (only for the rows shown)."""

    def __init__(
        self,
        person: Person,
        counts: PersonCounts,
        view: RowView,
        open_days: Collection[str] = (),
        days: Mapping[str, Tally] = _NO_DAYS,
    ) -> None:
        self.person = person
        self.counts = counts
        self.view = view
        self.days = days
        """Course IRI → the person's course days counted like tasks (courses with days)."""
        self._days_part = view.days_part(days)
        done, total = view.done_total(counts)
        self.done, self.total = done + self._days_part.done, total + self._days_part.total
        """The tasks in view and, where a course counts them, its course days."""
        self.open_days = open_days
        """Courses in view whose course days the person has not all attended."""

    @property
    def state(self) -> ProgressState:
        """Done only when the tasks in view are done and no course in view has a course day
        left (the completion rule of :mod:`yrkesresan_lti.completion`)."""
        if self.done >= self.total:
            return (
                ProgressState.IN_PROGRESS
                if self.view.days_open(self.open_days)
                else ProgressState.DONE
            )
        return ProgressState.IN_PROGRESS if self.done else ProgressState.NOT_STARTED

    @property
    def percent(self) -> int:
        """:attr:`Tally.percent` of :attr:`overall` (rounded down), for sorting."""
        return 100 if self.total == 0 else (100 * self.done) // self.total

    @cached_property
    def overall(self) -> Tally:
        return self.view.overall(self.counts) + self._days_part

    @cached_property
    def cells(self) -> list[Tally]:
        """Per course (course days included, as its score counts them) or knowledge goal.
        Computed when first read: filtering and sorting need only the done and total, so a
        page builds cells just for the rows it shows."""
        return self.view.cells(self.counts, self.days)

    def percents(self) -> list[int]:
        """The shown percent of each cell (what the CSV writes), without building them."""
        return self.view.percents(self.counts, self.days)


class RowView:
    """What a row counts: every course in view, or the knowledge goals of one ``course``."""

    def __init__(self, index: GroupIndex, course: Course | None) -> None:
        self.index = index
        self.course = None if course is None else index.course_iris.index(course.iri)
        if self.course is None:
            self.columns: list[int] = list(range(len(index.course_iris)))
        else:
            self.columns = [g for g, owner in enumerate(index.goal_course) if owner == self.course]

    def days_open(self, open_days: Collection[str]) -> bool:
        """Whether a course in view has course days left (``open_days``: course IRIs)."""
        if self.course is None:
            return bool(open_days)
        return self.index.course_iris[self.course] in open_days

    def days_part(self, days: Mapping[str, Tally]) -> Tally:
        """The course days of the courses in view, counted like tasks."""
        if not days:
            return _NONE
        if self.course is None:
            return sum(days.values(), _NONE)
        return days.get(self.index.course_iris[self.course], _NONE)

    def done_total(self, counts: PersonCounts) -> tuple[int, int]:
        if self.course is None:
            return counts.done, self.index.total
        return counts.course_done[self.course], self.index.course_total[self.course][0]

    def overall(self, counts: PersonCounts) -> Tally:
        if self.course is None:
            return self.index.overall_tally(counts)
        return self.index.course_tally(counts, self.course)

    def cells(self, counts: PersonCounts, days: Mapping[str, Tally] = _NO_DAYS) -> list[Tally]:
        if self.course is not None:
            return [self.index.goal_tally(counts, i) for i in self.columns]
        iris = self.index.course_iris
        return [self.index.course_tally(counts, i) + days.get(iris[i], _NONE) for i in self.columns]

    @cached_property
    def _percent_of(self) -> list[list[int]]:
        """Per column, the shown percent of every possible number done (0 … its total)."""
        totals = self.index.course_total if self.course is None else self.index.goal_total
        return [
            [shown_percent(d, totals[i][0]) for d in range(totals[i][0] + 1)] for i in self.columns
        ]

    def percents(self, counts: PersonCounts, days: Mapping[str, Tally] = _NO_DAYS) -> list[int]:
        done = counts.course_done if self.course is None else counts.goal_done
        found = [shown[done[i]] for shown, i in zip(self._percent_of, self.columns, strict=True)]
        if days and self.course is None:  # a course's cell counts its course days too
            for i, iri in enumerate(self.index.course_iris):
                part = days.get(iri)
                if part is not None:
                    total = self.index.course_total[i][0] + part.total
                    found[i] = shown_percent(done[i] + part.done, total)
        return found


def columns_for(courses: Sequence[Course], course: Course | None) -> list[Column]:
    if course is not None:
        return [Column(g.iri, g.title) for g in course.goals]
    return [Column(c.iri, c.title) for c in courses]


def staff_rows(
    people: Sequence[Person],
    index: GroupIndex,
    counts: Mapping[str, PersonCounts],
    course: Course | None = None,
    open_days: Callable[[str], Collection[str]] = lambda sub: (),
    days: Callable[[str], Mapping[str, Tally]] = lambda sub: _NO_DAYS,
) -> list[StaffRow]:
    """One row per person: per course (overview) or per knowledge goal of ``course``;
    ``open_days`` gives each person's courses with course days left, ``days`` their course
    days counted like tasks (course IRI → tally)."""
    view = RowView(index, course)
    return [StaffRow(p, counts[p.sub], view, open_days(p.sub), days(p.sub)) for p in people]


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
        return sorted(rows, key=lambda r: (r.percent, name(r)), reverse=descending)
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
    index: GroupIndex,
    counts: Mapping[str, PersonCounts],
) -> list[GoalSummary]:
    """Per knowledge goal of ``courses``: the group's average progress, how many reached it."""
    summaries = []
    # One column per goal: everyone's done tasks of it (a person never has more than all).
    per_goal = list(zip(*(counts[p.sub].goal_done for p in people), strict=True)) or [
        () for _ in index.goal_iris
    ]
    goal_of = dict(zip(index.goal_iris, range(len(index.goal_iris)), strict=True))
    for course in courses:
        for goal in course.goals:
            g = goal_of[goal.iri]
            total = index.goal_total[g][0]
            done = per_goal[g]
            reached = done.count(total)
            summaries.append(GoalSummary(goal, course, _average(done, total), reached, len(done)))
    return summaries


def _average(done: Sequence[int], total: int) -> int:
    """:func:`average_percent` of ``done`` shares of one ``total`` (a hot loop: a goal's
    shares all have the same total, so their mean is one sum over one product; a count is
    a popcount of the goal's own mask, so never above its total)."""
    if total <= 0 or not done:
        return average_percent((d, total) for d in done)
    return shown_percent(sum(done), total * len(done))
