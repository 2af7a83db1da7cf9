"""Canvas's outcomes CSV (Outcomes > Import, or the Outcome Imports API, ``instructure_csv``).

Journeys and their courses become outcome groups (a course's ``parent_guids`` is its
journey), knowledge goals become outcomes in their course's group. ``vendor_guid`` is the
IRI (no spaces, unique). A goal is reached or not: two ratings, *reached* (1 point,
mastery) and *not yet reached* (0), calculated by ``highest``. UTF-8, RFC 4180, no BOM.
"""

from __future__ import annotations

from html import escape

from yrkesresan_lti.catalog.exports.common import csv_bytes, journey_courses, text
from yrkesresan_lti.catalog.models import Journey

CANVAS_COLUMNS = (
    "vendor_guid",
    "object_type",
    "title",
    "description",
    "display_name",
    "calculation_method",
    "calculation_int",
    "workflow_state",
    "parent_guids",
    "mastery_points",
    "ratings",
)
"""The named columns of Canvas's "Outcomes Import Format"; ``ratings`` spans the last ones
(points, description, points, description, ...)."""

RATINGS = {
    "sv": ("Uppnått", "Ej uppnått ännu"),
    "en": ("Reached", "Not yet reached"),
}
RATING_COLUMNS = 4


def _html(*paragraphs: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)


def _group(guid: str, title: str, description: str, parent: str) -> list[object]:
    return [guid, "group", title, _html(description), "", "", "", "active", parent, ""]


def canvas_outcomes(journeys: list[Journey], *, lang: str = "sv") -> bytes:
    """The outcomes CSV of ``journeys`` (header row first; groups before their members)."""
    reached, not_yet = RATINGS.get(lang, RATINGS["sv"])
    blank = [""] * RATING_COLUMNS
    rows: list[list[object]] = [[*CANVAS_COLUMNS, *blank[1:]]]
    for journey in journeys:
        title, description = text(journey.title, lang), text(journey.description, lang)
        rows.append([*_group(journey.iri, title, description, ""), *blank])
        for course in journey_courses(journey):
            title, description = text(course.title, lang), text(course.description, lang)
            rows.append([*_group(course.iri, title, description, journey.iri), *blank])
            for goal in course.goals:
                title, description = text(goal.title, lang), text(goal.description, lang)
                outcome = [goal.iri, "outcome", title, _html(description), goal.slug, "highest"]
                rows.append([*outcome, "", "active", course.iri, 1, 1, reached, 0, not_yet])
    return csv_bytes(rows)
