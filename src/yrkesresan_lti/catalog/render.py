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
from yrkesresan_lti.i18n import N_, gettext

KIND_LABELS: dict[type, str] = {
    Journey: N_("journey"),
    Phase: N_("phase"),
    Stage: N_("stage"),
    Course: N_("course"),
    KnowledgeGoal: N_("goal"),
    Checklist: N_("part"),
    CourseDays: N_("part"),
    Task: N_("task"),
    CourseOccasion: N_("occasion"),
    CourseDay: N_("day"),
}
"""node class → message id (:func:`yrkesresan_lti.i18n.gettext`)"""

KIND_NAMES = {kind.__name__: label for kind, label in KIND_LABELS.items()}
"""node class name (``Course``) → message id"""

COUNT_LABELS = {
    "journeys": N_("journeys"),
    "phases": N_("phases"),
    "stages": N_("stages"),
    "courses": N_("courses"),
    "goals": N_("knowledge goals"),
    "tasks": N_("tasks"),
    "occasions": N_("course occasions"),
}


def _text(node: AnyNode, lang: str) -> str:
    title = node.title
    text = title.get(lang) or title["sv"]
    if isinstance(node, Task):
        text = f"{text} [{node.kind}, {node.estimated_time}]"
    if isinstance(node, Phase):
        upper = "" if node.years_max is None else str(node.years_max)
        unit = "years" if lang == "en" else "år"  # part of the title, in the title's language
        text = f"{text} ({node.years_min}–{upper} {unit})"
    if isinstance(node, CourseDay):
        text = f"{text}: {node.date.isoformat()}"
    return text


def tree_lines(catalog: Catalog, *, lang: str = "sv", with_iris: bool = True) -> Iterator[str]:
    """One line per node, indented by depth: ``kurs <slug>: <title>`` and its IRI below."""
    yield f"{catalog.title.get(lang) or catalog.title['sv']} (version {catalog.version})"
    yield gettext(N_("IRI base: %(iri)s"), iri=catalog.iri_base)
    for iri in catalog.iris():
        lineage = catalog.lineage(iri)
        node = lineage[-1]
        indent = "  " * len(lineage)
        yield f"{indent}{gettext(KIND_LABELS[type(node)])} {node.slug}: {_text(node, lang)}"
        if with_iris:
            yield f"{indent}  {iri}"


def tree_data(catalog: Catalog) -> dict[str, object]:
    """The catalog's nodes as data (``catalog show --json``): one entry per IRI in document
    order, ``kind`` the untranslated label (``course``), ``parent`` the container's IRI."""
    nodes: list[dict[str, object]] = []
    for iri in catalog.iris():
        lineage = catalog.lineage(iri)
        node = lineage[-1]
        nodes.append(
            {
                "iri": iri,
                "kind": KIND_LABELS[type(node)],
                "slug": node.slug,
                "title": dict(node.title),
                "parent": lineage[-2].iri if len(lineage) > 1 else None,
                "depth": len(lineage),
            }
        )
    return {
        "title": dict(catalog.title),
        "version": catalog.version,
        "iri_base": catalog.iri_base,
        "nodes": nodes,
    }


def count_lines(catalog: Catalog) -> Iterator[str]:
    """``  courses: 9`` for every kind of node, then the number of warnings."""
    for kind, number in catalog.counts().items():
        yield f"  {gettext(COUNT_LABELS[kind])}: {number}"
    warnings = gettext(N_("warnings"))
    yield f"  {warnings}: {len(catalog.warnings)}"
