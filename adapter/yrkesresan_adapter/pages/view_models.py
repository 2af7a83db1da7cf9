"""View models: what a page shows, computed from the catalog and the stored task states."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta

from yrkesresan_lti.catalog import Catalog, Course, Journey, Phase, Stage, Task
from yrkesresan_lti.completion import NO_DAYS, CourseDaysState, course_completion
from yrkesresan_lti.exceptions import UnknownCatalogNode
from yrkesresan_lti.progress import (
    CourseProgress,
    ProgressState,
    Tally,
    combined,
    course_progress,
)


@dataclass(frozen=True)
class CourseStop:
    course: Course
    progress: CourseProgress
    days: CourseDaysState = NO_DAYS

    @property
    def state(self) -> ProgressState:
        """By the completion rule: done only with every course day attended too."""
        return course_completion(self.progress, self.days).state

    @property
    def overall(self) -> Tally:
        """The whole course, course days included, as its score counts it."""
        return course_completion(self.progress, self.days).overall


@dataclass(frozen=True)
class RoadStop:
    """One stop on the road: a phase (Ny/Van/Erfaren) or a stage (Bas/Fördjupning/Spets)."""

    step: Phase | Stage
    courses: list[CourseStop]

    @property
    def tally(self) -> Tally:
        return combined(c.progress.overall for c in self.courses)

    @property
    def state(self) -> ProgressState:
        """Done when every course of the step is completed (course days included)."""
        if all(c.state is ProgressState.DONE for c in self.courses):
            return ProgressState.DONE
        found = self.tally.state
        return ProgressState.IN_PROGRESS if found is ProgressState.DONE else found


@dataclass(frozen=True)
class Road:
    journey: Journey
    stops: list[RoadStop]

    @property
    def tally(self) -> Tally:
        return combined(s.tally for s in self.stops)


def road(
    journey: Journey,
    completed: Collection[str],
    days: Mapping[str, CourseDaysState] | None = None,
) -> Road:
    """The journey's steps and courses for one learner; ``days``: course IRI → the course-day
    state of each course with course days (missing: counted from checklists alone)."""
    days = days or {}
    return Road(
        journey,
        [
            RoadStop(
                step,
                [
                    CourseStop(c, course_progress(c, completed), days.get(c.iri, NO_DAYS))
                    for c in step.courses
                ],
            )
            for step in journey.steps
        ],
    )


@dataclass(frozen=True)
class Place:
    """Where a node sits: its journey, step and course (when it is inside one)."""

    journey: Journey
    step: Phase | Stage | None = None
    course: Course | None = None
    anchor: str | None = None


def place_of(catalog: Catalog, iri: str) -> Place:
    """The journey (and step, course) of any node IRI; UnknownCatalogNode if none."""
    lineage = catalog.lineage(iri)
    journey = lineage[0]
    if not isinstance(journey, Journey):  # pragma: no cover - lineage starts at a journey
        raise UnknownCatalogNode(f"'{iri}' is not inside a journey")
    step = next((n for n in lineage if isinstance(n, Phase | Stage)), None)
    course = next((n for n in lineage if isinstance(n, Course)), None)
    if course is not None and step is None:
        step = next((s for s in journey.steps if course in s.courses), None)
    anchor = None if lineage[-1] in (journey, step, course) else f"n-{lineage[-1].slug}"
    if course is None and step is not None:
        anchor = f"stop-{step.slug}"
    return Place(journey, step, course, anchor)


def find_task(catalog: Catalog, iri: str) -> tuple[Course, Task]:
    node = catalog.node(iri)
    if not isinstance(node, Task):
        raise UnknownCatalogNode(f"'{iri}' is not a task: pick a task of a course")
    course = next(n for n in catalog.lineage(iri) if isinstance(n, Course))
    return course, node


def find_course(catalog: Catalog, iri: str) -> Course:
    node = catalog.node(iri)
    if not isinstance(node, Course):
        raise UnknownCatalogNode(f"'{iri}' is not a course")
    return node


def minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)
