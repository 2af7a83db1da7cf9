"""Compare two catalogs by IRI: what an LRS consumer would see break."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from yrkesresan_lti.catalog.models import AnyNode, Course, Task
from yrkesresan_lti.catalog.root import Catalog

ChangeCode = Literal["kind", "goals", "moved"]
"""``kind``: the node is of another kind; ``goals``: a task's goal links changed;
``moved``: a course now sits in another journey"""


@dataclass(frozen=True)
class IriChange:
    """An IRI present in both catalogs whose meaning changed (or, for moves, its place).

    ``reason`` is English (logs, developers); ``code`` with ``before`` and ``after`` says
    the same as data: node kinds (``Course``), goal slugs joined by ``, ``, or parent IRIs.
    """

    iri: str
    reason: str
    code: ChangeCode = "kind"
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class CatalogDiff:
    """Removed and changed IRIs break LRS consumers; added IRIs and moves do not."""

    removed: list[str] = field(default_factory=list)
    changed: list[IriChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    moved: list[IriChange] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        """True when statements already in an LRS lose or change the meaning of an IRI."""
        return bool(self.removed or self.changed)


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Every IRI removed, changed in meaning, added or moved between ``old`` and ``new``."""
    old_iris, new_iris = old.iris(), set(new.iris())
    result = CatalogDiff(
        removed=[iri for iri in old_iris if iri not in new_iris],
        added=[iri for iri in new.iris() if iri not in set(old_iris)],
    )
    for iri in old_iris:
        if iri in new_iris:
            _compare(result, iri, old.lineage(iri), new.lineage(iri))
    return result


def _compare(
    result: CatalogDiff, iri: str, before: tuple[AnyNode, ...], after: tuple[AnyNode, ...]
) -> None:
    old_node, new_node = before[-1], after[-1]
    if type(old_node) is not type(new_node):
        was, now = type(old_node).__name__, type(new_node).__name__
        result.changed.append(IriChange(iri, f"was a {was}, is a {now}", "kind", was, now))
    elif isinstance(old_node, Task) and isinstance(new_node, Task):
        if set(old_node.goals) != set(new_node.goals):
            goals_before, goals_after = sorted(old_node.goals), sorted(new_node.goals)
            result.changed.append(
                IriChange(
                    iri,
                    f"goal links changed from {goals_before} to {goals_after}",
                    "goals",
                    ", ".join(goals_before),
                    ", ".join(goals_after),
                )
            )
    elif isinstance(old_node, Course) and before[1].iri != after[1].iri:
        was_in, now_in = before[1].iri, after[1].iri
        result.moved.append(
            IriChange(iri, f"moved from {was_in} to {now_in}", "moved", was_in, now_in)
        )
