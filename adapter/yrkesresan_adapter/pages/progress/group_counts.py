"""Counting a whole group's progress at once: O(completed tasks), not O(people × tasks).

Built once per page from the courses in view, a :class:`GroupIndex` maps every task IRI to
its course and knowledge goals; :meth:`GroupIndex.count` then walks only the tasks a person
has completed. Figures are identical to :func:`yrkesresan_lti.progress.course_progress`
(tests compare them).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

from yrkesresan_lti.catalog import Course
from yrkesresan_lti.progress import Tally


@dataclass(frozen=True)
class PersonCounts:
    course_done: list[int]
    course_done_seconds: list[int]
    goal_done: list[int]
    goal_done_seconds: list[int]


class GroupIndex:
    def __init__(self, courses: Sequence[Course]) -> None:
        self.course_iris = [c.iri for c in courses]
        self.goal_iris: list[str] = []
        self.goal_course: list[int] = []
        self.course_total: list[tuple[int, int]] = []
        goal_totals: dict[int, list[int]] = {}
        self.tasks: dict[str, tuple[int, int, tuple[int, ...]]] = {}
        for c_index, course in enumerate(courses):
            goal_index = {}
            for goal in course.goals:
                goal_index[goal.iri] = len(self.goal_iris)
                self.goal_iris.append(goal.iri)
                self.goal_course.append(c_index)
                goal_totals[goal_index[goal.iri]] = [0, 0]
            count = seconds = 0
            for task in course.tasks:
                if task.iri in self.tasks:
                    continue
                task_seconds = int(task.duration.total_seconds())
                goals = tuple(goal_index[g] for g in task.goal_iris if g in goal_index)
                self.tasks[task.iri] = (c_index, task_seconds, goals)
                count, seconds = count + 1, seconds + task_seconds
                for g in goals:
                    goal_totals[g][0] += 1
                    goal_totals[g][1] += task_seconds
            self.course_total.append((count, seconds))
        self.goal_total = [tuple(goal_totals[g]) for g in range(len(self.goal_iris))]

    def count(self, completed: Collection[str]) -> PersonCounts:
        courses = len(self.course_iris)
        goals = len(self.goal_iris)
        counts = PersonCounts([0] * courses, [0] * courses, [0] * goals, [0] * goals)
        for iri in completed:
            found = self.tasks.get(iri)
            if found is None:
                continue
            c_index, seconds, goal_indexes = found
            counts.course_done[c_index] += 1
            counts.course_done_seconds[c_index] += seconds
            for g in goal_indexes:
                counts.goal_done[g] += 1
                counts.goal_done_seconds[g] += seconds
        return counts

    def course_tally(self, counts: PersonCounts, c_index: int) -> Tally:
        total, seconds = self.course_total[c_index]
        done_seconds = counts.course_done_seconds[c_index]
        return Tally(
            counts.course_done[c_index],
            total,
            timedelta(seconds=seconds),
            timedelta(seconds=seconds - done_seconds),
        )

    def goal_tally(self, counts: PersonCounts, g_index: int) -> Tally:
        total, seconds = self.goal_total[g_index]
        done_seconds = counts.goal_done_seconds[g_index]
        return Tally(
            counts.goal_done[g_index],
            total,
            timedelta(seconds=seconds),
            timedelta(seconds=seconds - done_seconds),
        )

    def overall_tally(self, counts: PersonCounts) -> Tally:
        """All courses in view together (what :func:`~yrkesresan_lti.progress.combined` of
        every course tally gives, without building them)."""
        total = sum(t for t, _ in self.course_total)
        seconds = sum(s for _, s in self.course_total)
        return Tally(
            sum(counts.course_done),
            total,
            timedelta(seconds=seconds),
            timedelta(seconds=seconds - sum(counts.course_done_seconds)),
        )
