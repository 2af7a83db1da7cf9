"""Plain-text views of a catalog for the command line."""

from __future__ import annotations

from collections.abc import Iterator

from yrkesresan_lti.catalog.models import (
    AnyNode,
    Checklist,
    Course,
    CourseDay,
    CourseDays,
    CourseOccasion,
    Journey,
    KnowledgeGoal,
    Phase,
    Stage,
    Task,
)
from yrkesresan_lti.catalog.root import Catalog

KIND_LABELS: dict[type, str] = {
    Journey: "resa",
    Phase: "resväska",
    Stage: "steg",
    Course: "kurs",
    KnowledgeGoal: "mål",
    Checklist: "del",
    CourseDays: "del",
    Task: "uppgift",
    CourseOccasion: "tillfälle",
    CourseDay: "dag",
}

COUNT_LABELS = {
    "journeys": "resor (journeys)",
    "phases": "resväskor (phases)",
    "stages": "steg (stages)",
    "courses": "kurser (courses)",
    "goals": "kunskapsmål (goals)",
    "tasks": "uppgifter (tasks)",
    "occasions": "kurstillfällen (occasions)",
}


def _text(node: AnyNode, lang: str) -> str:
    title = node.title
    text = title.get(lang) or title["sv"]
    if isinstance(node, Task):
        text = f"{text} [{node.kind}, {node.estimated_time}]"
    if isinstance(node, Phase):
        upper = "" if node.years_max is None else str(node.years_max)
        text = f"{text} ({node.years_min}–{upper} {'years' if lang == 'en' else 'år'})"
    if isinstance(node, CourseDay):
        text = f"{text}: {node.date.isoformat()}"
    return text


def tree_lines(catalog: Catalog, *, lang: str = "sv", with_iris: bool = True) -> Iterator[str]:
    """One line per node, indented by depth: ``kurs <slug>: <title>`` and its IRI below."""
    yield f"{catalog.title.get(lang) or catalog.title['sv']} (version {catalog.version})"
    yield f"IRI-bas: {catalog.iri_base}"
    for iri in catalog.iris():
        lineage = catalog.lineage(iri)
        node = lineage[-1]
        indent = "  " * len(lineage)
        yield f"{indent}{KIND_LABELS[type(node)]} {node.slug}: {_text(node, lang)}"
        if with_iris:
            yield f"{indent}  {iri}"


def count_lines(catalog: Catalog) -> Iterator[str]:
    """``  kurser (courses): 9`` for every kind of node, then the number of warnings."""
    for kind, number in catalog.counts().items():
        yield f"  {COUNT_LABELS[kind]}: {number}"
    yield f"  varningar (warnings): {len(catalog.warnings)}"
