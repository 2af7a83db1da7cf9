"""Where a catalog node sits: its direct container (parent) and everything above (grouping).

The catalog's lineage gives the chain journey → phase/stage → course → part/goal/occasion
→ task/day; the parent is the nearest container, the grouping the rest, nearest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from yrkesresan_lti.catalog import AnyNode, Catalog, Course, CourseOccasion


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
    above = tuple(reversed(lineage[:-1]))
    return Placement(
        node=node,
        parents=above[:1],
        grouping=above[1:],
        course=next((n for n in lineage if isinstance(n, Course)), None),
        occasion=next((n for n in lineage if isinstance(n, CourseOccasion)), None),
    )
