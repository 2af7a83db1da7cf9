"""Names for the codes and IRIs of a :class:`~yrkesresan_lti.reports.figures.Figures`: the
catalog's titles (journeys, courses, knowledge goals) and Statistics Sweden's names
(municipalities, counties), in the reader's language (Swedish when a title has no English)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.municipalities import counties, municipalities
from yrkesresan_lti.reports.figures import DIMENSIONS, Figures


def _title(title: Mapping[str, str], lang: str) -> str:
    return title.get(lang) or title.get("sv") or next(iter(title.values()), "")


def _catalog_titles(catalog: Catalog, lang: str) -> Iterator[tuple[str, str]]:
    for journey in catalog.journeys:
        yield journey.iri, _title(journey.title, lang)
    for _, _, course in catalog.courses():
        yield course.iri, _title(course.title, lang)
        for goal in course.goals:
            yield goal.iri, _title(goal.title, lang)


def used_keys(figures: Figures) -> set[str]:
    named = [d for d in DIMENSIONS if d != "year"]
    keys = {row.key for d in named for row in figures.breakdown(d) if row.key}
    keys |= {g.goal for g in figures.goals} | {g.course for g in figures.goals}
    return keys


def with_labels(figures: Figures, catalog: Catalog, lang: str = "sv") -> Figures:
    """``figures`` with a name for every code and IRI it shows (years need none)."""
    wanted = used_keys(figures)
    names = {c.code: c.name for c in counties()}
    names |= {m.code: m.name for m in municipalities()}
    names |= dict(_catalog_titles(catalog, lang))
    return replace(figures, labels={k: names[k] for k in sorted(wanted) if k in names})
