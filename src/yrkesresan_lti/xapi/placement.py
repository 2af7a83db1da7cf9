"""Where a catalog node sits: its direct container (parent) and everything above (grouping).

A course may be listed under several phases or stages; then each of them is a parent of
the course (and part of the grouping of everything inside the course).
"""

from __future__ import annotations

from dataclasses import dataclass

from yrkesresan_lti.catalog import AnyNode, Catalog, Course, CourseOccasion, Journey, Phase, Stage


@dataclass(frozen=True)
class Placement:
    """A node with its parents (direct containers) and groupings (further up, nearest first)."""

    node: AnyNode
    parents: tuple[AnyNode, ...]
    grouping: tuple[AnyNode, ...]
    course: Course | None
    occasion: CourseOccasion | None


def place(catalog: Catalog, iri: str) -> Placement:
    """The placement of the node with IRI ``iri`` (raises ``UnknownCatalogNode``)."""
    lineage = catalog.lineage(iri)
    node = lineage[-1]
    journey = lineage[0]
    course = next((n for n in lineage if isinstance(n, Course)), None)
    occasion = next((n for n in lineage if isinstance(n, CourseOccasion)), None)
    steps: tuple[AnyNode, ...] = ()
    if course is not None:
        steps = tuple(_steps_of(catalog, course))
    # Everything above the node, nearest first, with the course's steps in place of the one
    # step the lineage happens to record.
    above: list[AnyNode] = []
    for ancestor in reversed(lineage[:-1]):
        if isinstance(ancestor, Phase | Stage) and course is not None:
            above.extend(steps)
        else:
            above.append(ancestor)
    if isinstance(node, Course):
        parents: tuple[AnyNode, ...] = steps
        grouping: tuple[AnyNode, ...] = (journey,)
    elif isinstance(node, Journey):
        parents, grouping = (), ()
    else:
        parents = (above[0],)
        grouping = tuple(above[1:])
    return Placement(node, parents, grouping, course, occasion)


def _steps_of(catalog: Catalog, course: Course) -> list[Phase | Stage]:
    return [step for _, step, listed in catalog.courses() if listed.iri == course.iri]
