"""The catalog as a deep-linking picker sees it: placeable nodes, task counts, a text filter.

Placeable: journeys → phases/stages → courses → course parts → tasks (goals, occasions and
course days are not places of their own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from yrkesresan_lti.catalog import (
    AnyNode,
    Catalog,
    Checklist,
    Course,
    Journey,
    Phase,
    Stage,
    Task,
)
from yrkesresan_lti.lti.advantage.deep_linking import ResourceLinkItem

KIND_LABELS: dict[str, dict[str, str]] = {
    "journey": {"sv": "Yrkesresa", "en": "Journey"},
    "phase": {"sv": "Resväska", "en": "Phase"},
    "stage": {"sv": "Steg", "en": "Stage"},
    "course": {"sv": "Kurs", "en": "Course"},
    "part": {"sv": "Kursdel", "en": "Course part"},
    "task": {"sv": "Uppgift", "en": "Task"},
}


@dataclass(frozen=True)
class PickerEntry:
    iri: str
    kind: str
    title: str
    depth: int
    task_count: int
    parent_iri: str | None

    def kind_label(self, lang: str = "sv") -> str:
        return text_in(KIND_LABELS[self.kind], lang)


def text_in(langmap: dict[str, str], lang: str = "sv") -> str:
    return langmap.get(lang) or langmap.get("sv") or next(iter(langmap.values()), "")


def task_count(node: AnyNode) -> int:
    """How many tasks completing the node takes (the ``scoreMaximum`` of its line item)."""
    if isinstance(node, Task):
        return 1
    if isinstance(node, Checklist | Course):
        return len(node.tasks)
    if isinstance(node, Phase | Stage):
        return sum(len(c.tasks) for c in node.courses)
    if isinstance(node, Journey):
        unique = {c.iri: c for step in node.steps for c in step.courses}
        return sum(len(c.tasks) for c in unique.values())
    return 0


def entries(catalog: Catalog, lang: str = "sv") -> Iterator[PickerEntry]:
    """Every placeable node in catalog order, with its depth in the tree."""

    def entry(node: AnyNode, kind: str, depth: int, parent: str | None) -> PickerEntry:
        return PickerEntry(
            node.iri, kind, text_in(node.title, lang), depth, task_count(node), parent
        )

    for journey in catalog.journeys:
        yield entry(journey, "journey", 0, None)
        for step in journey.steps:
            yield entry(step, "phase" if isinstance(step, Phase) else "stage", 1, journey.iri)
            for course in step.courses:
                yield entry(course, "course", 2, step.iri)
                for part in course.parts:
                    yield entry(part, "part", 3, course.iri)
                    if isinstance(part, Checklist):
                        for task in part.tasks:
                            yield entry(task, "task", 4, part.iri)


def filtered(catalog: Catalog, query: str = "", lang: str = "sv") -> list[PickerEntry]:
    """Entries whose title contains ``query`` (case-insensitive), with their ancestors."""
    everything = list(entries(catalog, lang))
    words = query.casefold().split()
    if not words:
        return everything
    by_iri = {e.iri: e for e in everything}
    keep: set[str] = set()
    for e in everything:
        haystack = f"{e.title} {e.kind_label(lang)}".casefold()
        if all(w in haystack for w in words):
            current: PickerEntry | None = e
            while current is not None and current.iri not in keep:
                keep.add(current.iri)
                current = by_iri.get(current.parent_iri or "")
    return [e for e in everything if e.iri in keep]


def item_for(catalog: Catalog, iri: str, *, launch_url: str, lang: str = "sv") -> ResourceLinkItem:
    """The resource link for the node ``iri`` (raises ``UnknownCatalogNode``)."""
    node = catalog.node(iri)
    description: object = getattr(node, "description", None)
    lineage = catalog.lineage(iri)
    context = " › ".join(text_in(n.title, lang) for n in lineage[:-1])
    text = text_in(description, lang) if isinstance(description, dict) else None
    return ResourceLinkItem(
        node_iri=iri,
        title=text_in(node.title, lang),
        url=launch_url,
        text=" — ".join(t for t in (context, text) if t) or None,
        score_maximum=task_count(node) or None,
    )
