"""Checks that span several fields or nodes; each finding names its path in the catalog.

Single-field rules (slug syntax, URLs, durations, capacity >= 1) live on the field types;
these run once the tree is built, before IRIs are assigned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Protocol

from yrkesresan_lti.catalog.locations import Loc, format_loc
from yrkesresan_lti.catalog.models import Course, CourseOccasion, Journey, Phase, Stage
from yrkesresan_lti.catalog.problems import problem
from yrkesresan_lti.exceptions import CatalogProblem

if TYPE_CHECKING:
    from yrkesresan_lti.catalog.root import Catalog


class _Slugged(Protocol):
    @property
    def slug(self) -> str: ...


class Findings:
    """Collects problems with their locations."""

    def __init__(self) -> None:
        self.problems: list[CatalogProblem] = []

    def error(self, loc: Loc, reason: str, **details: object) -> None:
        texts = {name: str(value) for name, value in details.items()}
        self.problems.append(problem(reason, path=format_loc(loc), **texts))

    def warning(self, loc: Loc, reason: str, **details: object) -> None:
        texts = {name: str(value) for name, value in details.items()}
        self.problems.append(problem(reason, path=format_loc(loc), severity="warning", **texts))

    def unique(self, items: Iterable[tuple[Loc, _Slugged]], what: str, scope: str) -> None:
        seen: dict[str, Loc] = {}
        for loc, item in items:
            if item.slug in seen:
                self.error(
                    (*loc, "slug"),
                    "duplicate_slug",
                    what=what,
                    slug=item.slug,
                    first=format_loc(seen[item.slug]),
                    scope=scope,
                )
            else:
                seen[item.slug] = loc


def check_catalog(catalog: Catalog) -> list[CatalogProblem]:
    """Every cross-node problem of ``catalog`` (errors and warnings), in document order."""
    found = Findings()
    if not catalog.journeys:
        found.error(("journeys",), "no_journeys")
    found.unique(
        ((("journeys", i), j) for i, j in enumerate(catalog.journeys)), "journey", "in a catalog"
    )
    for i, journey in enumerate(catalog.journeys):
        _check_journey(found, ("journeys", i), journey)
    return found.problems


def _check_journey(found: Findings, loc: Loc, journey: Journey) -> None:
    if not journey.phases and not journey.stages:
        found.error(loc, "no_steps")
    found.unique(
        (((*loc, "phases", i), p) for i, p in enumerate(journey.phases)), "phase", "of a journey"
    )
    found.unique(
        (((*loc, "stages", i), s) for i, s in enumerate(journey.stages)), "stage", "of a journey"
    )
    _check_phase_years(found, loc, journey.phases)
    courses: list[tuple[Loc, Course]] = []
    groups: tuple[tuple[str, Sequence[Phase | Stage]], ...] = (
        ("phases", journey.phases),
        ("stages", journey.stages),
    )
    for kind, steps in groups:
        for i, step in enumerate(steps):
            for k, course in enumerate(step.courses):
                courses.append(((*loc, kind, i, "courses", k), course))
    found.unique(courses, "course", "in a journey (course IRIs do not include the phase)")
    for c_loc, course in courses:
        _check_course(found, c_loc, course)


def _years(phase: Phase) -> str:
    return f"{phase.years_min}-{'' if phase.years_max is None else phase.years_max}"


def _check_phase_years(found: Findings, loc: Loc, phases: Sequence[Phase]) -> None:
    for i, phase in enumerate(phases):
        if phase.years_max is not None and phase.years_max <= phase.years_min:
            found.error(
                (*loc, "phases", i, "years_max"),
                "years_order",
                max=phase.years_max,
                min=phase.years_min,
            )
    ordered = sorted(enumerate(phases), key=lambda item: item[1].years_min)
    for (_, before), (i, after) in pairwise(ordered):
        if before.years_max is None or before.years_max > after.years_min:
            found.error(
                (*loc, "phases", i, "years_min"),
                "years_overlap",
                after=after.slug,
                after_years=_years(after),
                before=before.slug,
                before_years=_years(before),
            )


def _check_course(found: Findings, loc: Loc, course: Course) -> None:
    found.unique(
        (((*loc, "goals", i), g) for i, g in enumerate(course.goals)), "goal", "of a course"
    )
    tasks = [
        ((*loc, part, "tasks", i), task)
        for part, checklist in (
            ("preparation", course.preparation),
            ("follow_up", course.follow_up),
        )
        for i, task in enumerate(checklist.tasks)
    ]
    found.unique(tasks, "task", "of a course")
    goal_slugs = [goal.slug for goal in course.goals]
    used: set[str] = set()
    for t_loc, task in tasks:
        for k, slug in enumerate(task.goals):
            used.add(slug)
            if slug not in goal_slugs:
                found.error(
                    (*t_loc, "goals", k),
                    "unknown_goal",
                    task=task.slug,
                    goal=slug,
                    course=course.slug,
                    goals=", ".join(goal_slugs),
                )
    for i, goal in enumerate(course.goals):
        if goal.slug not in used:
            found.warning((*loc, "goals", i), "unused_goal", goal=goal.slug)
    found.unique(
        (((*loc, "occasions", i), o) for i, o in enumerate(course.occasions)),
        "occasion",
        "of a course",
    )
    for i, occasion in enumerate(course.occasions):
        _check_occasion(found, (*loc, "occasions", i), occasion)


def _check_occasion(found: Findings, loc: Loc, occasion: CourseOccasion) -> None:
    if occasion.place is None and occasion.meeting_url is None:
        found.error(loc, "no_place")
    for i, (before, after) in enumerate(pairwise(occasion.days)):
        if after.date <= before.date:
            found.error(
                (*loc, "days", i + 1, "date"),
                "days_order",
                later=i + 2,
                after=after.date,
                earlier=i + 1,
                before=before.date,
            )
    for i, day in enumerate(occasion.days):
        if day.start is not None and day.end is not None and day.end <= day.start:
            found.error((*loc, "days", i, "end"), "day_ends_first", end=day.end, start=day.start)
    first = occasion.days[0].date
    if occasion.registration_deadline >= first:
        found.error(
            (*loc, "registration_deadline"),
            "deadline_late",
            deadline=occasion.registration_deadline,
            first=first,
        )
