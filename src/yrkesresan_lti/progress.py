"""Progress of one learner through a course: per part, per knowledge goal, per course.

Framework-free and storage-free: give it a catalog course (or anything shaped like one)
and the set of task IRIs the learner has completed; it counts tasks and sums the
estimated time of what is left. Completed IRIs that are not tasks of the course are
ignored, so a stale record of a task removed from the catalog does nothing.

A knowledge goal's progress counts the tasks that serve it (a task serving two goals
counts for both). The course's progress counts each task once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Protocol


class TaskLike(Protocol):
    @property
    def iri(self) -> str: ...
    @property
    def duration(self) -> timedelta: ...
    @property
    def goal_iris(self) -> Sequence[str]: ...


class ChecklistLike(Protocol):
    @property
    def tasks(self) -> Sequence[TaskLike]: ...


class GoalLike(Protocol):
    @property
    def iri(self) -> str: ...


class CourseLike(Protocol):
    @property
    def iri(self) -> str: ...
    @property
    def goals(self) -> Sequence[GoalLike]: ...
    @property
    def preparation(self) -> ChecklistLike: ...
    @property
    def follow_up(self) -> ChecklistLike: ...


class ProgressState(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"


@dataclass(frozen=True)
class Tally:
    """Done and total tasks, with the estimated time of the whole and of what is left."""

    done: int = 0
    total: int = 0
    total_time: timedelta = timedelta()
    remaining_time: timedelta = timedelta()

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: 100 only when everything is done (or nothing is due)."""
        return 100 if self.total == 0 else (100 * self.done) // self.total

    @property
    def state(self) -> ProgressState:
        if self.done >= self.total:
            return ProgressState.DONE
        return ProgressState.IN_PROGRESS if self.done else ProgressState.NOT_STARTED

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            done=self.done + other.done,
            total=self.total + other.total,
            total_time=self.total_time + other.total_time,
            remaining_time=self.remaining_time + other.remaining_time,
        )


def tally(tasks: Iterable[TaskLike], completed: Collection[str]) -> Tally:
    """Count ``tasks`` (each IRI once) against the completed IRIs."""
    seen: set[str] = set()
    result = Tally()
    for task in tasks:
        if task.iri in seen:
            continue
        seen.add(task.iri)
        is_done = task.iri in completed
        result += Tally(
            done=int(is_done),
            total=1,
            total_time=task.duration,
            remaining_time=timedelta() if is_done else task.duration,
        )
    return result


@dataclass(frozen=True)
class CourseProgress:
    """One learner's progress in one course."""

    course_iri: str
    preparation: Tally
    follow_up: Tally
    goals: dict[str, Tally] = field(default_factory=dict)
    """Knowledge goal IRI → progress over the tasks that serve it (in catalog order)."""

    @property
    def overall(self) -> Tally:
        return self.preparation + self.follow_up

    @property
    def state(self) -> ProgressState:
        return self.overall.state


PlainTasks = tuple[tuple[str, int], ...]
"""(task IRI, estimated seconds) pairs."""


@dataclass(frozen=True)
class CompiledCourse:
    """A course reduced to plain tuples, for computing many learners' progress quickly
    (catalog nodes compute ``iri``/``duration`` on every access)."""

    iri: str
    preparation: PlainTasks
    follow_up: PlainTasks
    goals: tuple[tuple[str, PlainTasks], ...]


def compile_course(course: CourseLike) -> CompiledCourse:
    def plain(tasks: Sequence[TaskLike]) -> PlainTasks:
        seen: dict[str, int] = {}
        for task in tasks:
            seen.setdefault(task.iri, int(task.duration.total_seconds()))
        return tuple(seen.items())

    tasks = [*course.preparation.tasks, *course.follow_up.tasks]
    serving = [(task, set(task.goal_iris)) for task in tasks]
    return CompiledCourse(
        iri=course.iri,
        preparation=plain(course.preparation.tasks),
        follow_up=plain(course.follow_up.tasks),
        goals=tuple(
            (goal.iri, plain([t for t, goals in serving if goal.iri in goals]))
            for goal in course.goals
        ),
    )


def _count(tasks: PlainTasks, completed: Collection[str]) -> Tally:
    done = [seconds for iri, seconds in tasks if iri in completed]
    total = sum(seconds for _, seconds in tasks)
    return Tally(
        done=len(done),
        total=len(tasks),
        total_time=timedelta(seconds=total),
        remaining_time=timedelta(seconds=total - sum(done)),
    )


def compiled_progress(course: CompiledCourse, completed: Collection[str]) -> CourseProgress:
    return CourseProgress(
        course_iri=course.iri,
        preparation=_count(course.preparation, completed),
        follow_up=_count(course.follow_up, completed),
        goals={iri: _count(tasks, completed) for iri, tasks in course.goals},
    )


def course_progress(
    course: CourseLike | CompiledCourse, completed: Collection[str]
) -> CourseProgress:
    """Progress per part and per knowledge goal of ``course``."""
    compiled = course if isinstance(course, CompiledCourse) else compile_course(course)
    return compiled_progress(compiled, completed)


def combined(tallies: Iterable[Tally]) -> Tally:
    """The sum of several tallies, e.g. of all courses in a phase or journey."""
    return sum(tallies, Tally())
