"""Counting a whole group's progress at once: O(completed tasks), not O(people × tasks).

Built once per page from the courses in view, a :class:`GroupIndex` maps every task IRI to
its course and knowledge goals and a bit of its own (the context's task number of
:mod:`~yrkesresan_adapter.pages.done_bits`, so a person's done tasks arrive from the
database as one integer); :meth:`GroupIndex.count_mask` counts per course and goal with
C-level popcounts, and the done *time* per course or goal only when a row's cells are
shown. Figures are identical to :func:`yrkesresan_lti.progress.course_progress` (tests
compare them).
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property, reduce
from itertools import repeat
from operator import and_, or_

from yrkesresan_adapter.pages.done_bits import set_bits
from yrkesresan_lti.catalog import Course
from yrkesresan_lti.progress import Tally


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a whole group is counted and shown.

    A region's page allocates ~100,000 short-lived containers (counters, rows, cells) and
    no reference cycles: reference counting frees them all, but the allocations alone set
    off collections that walk every object in the process, ~40 % of the page's time at
    5,000 staff (``bench/manager_view.py``). Collection resumes afterwards (it stays off
    if something else had turned it off)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class PersonCounts:
    """One person's done tasks per course and per knowledge goal (list index = the
    :class:`GroupIndex` position); the done seconds are summed when first read."""

    course_done: list[int]
    goal_done: list[int]
    done: int
    """Done tasks of all courses in view."""
    mask: int = field(repr=False, compare=False)
    """The done tasks in view, bit *n* for task number *n*."""
    index: GroupIndex = field(repr=False, compare=False)

    @cached_property
    def _done_tasks(self) -> list[tuple[int, int, tuple[int, ...]]]:
        return list(map(self.index.by_number.__getitem__, set_bits(self.mask)))

    @cached_property
    def done_seconds(self) -> int:
        return sum(task_seconds for _, task_seconds, _ in self._done_tasks)

    @cached_property
    def course_done_seconds(self) -> list[int]:
        seconds = [0] * len(self.index.course_iris)
        for c_index, task_seconds, _ in self._done_tasks:
            seconds[c_index] += task_seconds
        return seconds

    @cached_property
    def goal_done_seconds(self) -> list[int]:
        seconds = [0] * len(self.index.goal_iris)
        for _, task_seconds, goals in self._done_tasks:
            for g in goals:
                seconds[g] += task_seconds
        return seconds


class GroupIndex:
    """The courses in view, each task a bit: its number in ``numbers`` (task IRI → number,
    the context's :class:`~yrkesresan_adapter.pages.done_bits.DoneTasks`), or by default its
    position here. A task without a number has no bit (nobody has done it)."""

    def __init__(self, courses: Sequence[Course], numbers: Mapping[str, int] | None = None) -> None:
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
        # Each task is one bit: a person's completed tasks are one integer, and what they
        # did of a course or goal is the popcount of that integer and the course's or
        # goal's own mask (C-level ``int.bit_count``; people with the same tasks done share
        # one count).
        if numbers is None:
            numbers = {iri: n for n, iri in enumerate(self.tasks)}
        self._bit = {iri: 1 << numbers[iri] for iri in self.tasks if iri in numbers}
        self.by_number = {numbers[iri]: info for iri, info in self.tasks.items() if iri in numbers}
        self._in_view = reduce(or_, self._bit.values(), 0)
        self._course_masks = [0] * len(self.course_iris)
        self._goal_masks = [0] * len(self.goal_iris)
        for iri, (c_index, _, goals) in self.tasks.items():
            if iri not in self._bit:
                continue
            self._course_masks[c_index] |= self._bit[iri]
            for g in goals:
                self._goal_masks[g] |= self._bit[iri]
        self._masks = self._course_masks + self._goal_masks
        self._courses = len(self._course_masks)
        self._counted: dict[int, PersonCounts] = {}
        self.total = sum(t for t, _ in self.course_total)
        self._total_seconds = sum(s for _, s in self.course_total)

    def count(self, completed: Collection[str]) -> PersonCounts:
        """What ``completed`` (task IRIs; unknown ones are ignored) makes per course and
        knowledge goal. The lists are shared between people with the same tasks done:
        read them, never change them."""
        return self.count_mask(reduce(or_, map(self._bit.get, completed, repeat(0)), 0))

    def count_mask(self, mask: int) -> PersonCounts:
        """What the done tasks ``mask`` (bit *n*: task number *n*; tasks not in view are
        ignored) makes per course and knowledge goal. The lists are shared between people
        with the same tasks done (and the :class:`PersonCounts` itself: its done
        seconds depend on the mask alone): read them, never change them."""
        done_mask = mask & self._in_view
        known = self._counted.get(done_mask)
        if known is None:
            # One C-level pass over the course masks and then the goal masks; the courses'
            # masks are disjoint, so all done in view is the popcount of ``done_mask``.
            done = list(map(int.bit_count, map(and_, repeat(done_mask), self._masks)))
            known = self._counted[done_mask] = PersonCounts(
                done[: self._courses], done[self._courses :], done_mask.bit_count(), done_mask, self
            )
        return known

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
        return Tally(
            counts.done,
            self.total,
            timedelta(seconds=self._total_seconds),
            timedelta(seconds=self._total_seconds - counts.done_seconds),
        )
