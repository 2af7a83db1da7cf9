"""The IRI scheme: every node's IRI follows from the catalog's ``iri_base`` and slugs.

Courses hang under their journey, not under their phase or stage, so moving a course
between phases keeps its IRI. See ``docs/catalog.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yrkesresan_lti.catalog.models import AnyNode, Checklist, Course, PartName, Phase, Stage

if TYPE_CHECKING:
    from yrkesresan_lti.catalog.root import Catalog

Lineage = tuple[AnyNode, ...]
"""A node and its ancestors, journey first."""


def profile_iri(base: str) -> str:
    """IRI of the Yrkesresan xAPI profile under ``base``."""
    return f"{base}profile"


def activity_type_iri(base: str, name: str) -> str:
    """IRI of one of our own activity types (``journey``, ``phase``, ``stage``)."""
    return f"{base}activity-types/{name}"


def extension_iri(base: str, name: str) -> str:
    """IRI of one of our own xAPI extensions."""
    return f"{base}extensions/{name}"


def journey_iri(base: str, journey: str) -> str:
    """``{base}journeys/{journey}``."""
    return f"{base}journeys/{journey}"


def step_iri(base: str, journey: str, step: Phase | Stage) -> str:
    """``.../phases/{slug}`` or ``.../stages/{slug}`` under the journey."""
    kind = "phases" if isinstance(step, Phase) else "stages"
    return f"{journey_iri(base, journey)}/{kind}/{step.slug}"


def course_iri(base: str, journey: str, course: str) -> str:
    """``{base}journeys/{journey}/courses/{course}`` (independent of phase or stage)."""
    return f"{journey_iri(base, journey)}/courses/{course}"


class _Indexer:
    def __init__(self) -> None:
        self.index: dict[str, Lineage] = {}

    def put(self, node: AnyNode, iri: str, parents: Lineage) -> Lineage:
        node._iri = iri
        self.index[iri] = (*parents, node)
        return self.index[iri]

    def checklist(self, checklist: Checklist, name: PartName, c_iri: str, parents: Lineage) -> None:
        checklist._part = name
        p_line = self.put(checklist, f"{c_iri}/{name}", parents)
        for task in checklist.tasks:
            self.put(task, f"{c_iri}/{name}/tasks/{task.slug}", p_line)
            task._goal_iris = tuple(f"{c_iri}/goals/{slug}" for slug in task.goals)

    def course(self, course: Course, c_iri: str, parents: Lineage) -> None:
        c_line = self.put(course, c_iri, parents)
        for goal in course.goals:
            self.put(goal, f"{c_iri}/goals/{goal.slug}", c_line)
        self.checklist(course.preparation, "preparation", c_iri, c_line)
        course.course_days._part = "course-days"
        self.put(course.course_days, f"{c_iri}/course-days", c_line)
        self.checklist(course.follow_up, "follow-up", c_iri, c_line)
        for occasion in course.occasions:
            o_iri = f"{c_iri}/occasions/{occasion.slug}"
            o_line = self.put(occasion, o_iri, c_line)
            for number, day in enumerate(occasion.days, start=1):
                day._number = number
                self.put(day, f"{o_iri}/days/{number}", o_line)


def assign_iris(catalog: Catalog) -> dict[str, Lineage]:
    """Give every node of a checked catalog its IRI; return IRI -> lineage (journey first)."""
    base = catalog.iri_base
    indexer = _Indexer()
    for journey in catalog.journeys:
        j_line = indexer.put(journey, journey_iri(base, journey.slug), ())
        for step in journey.steps:
            s_line = indexer.put(step, step_iri(base, journey.slug, step), j_line)
            for course in step.courses:
                indexer.course(course, course_iri(base, journey.slug, course.slug), s_line)
    return indexer.index
