"""Moodle's competency framework CSV (``admin/tool/lpimportcsv``), one framework per journey.

The columns and their order are those of Moodle's ``framework_importer`` (4.5), with the
header Moodle's own export writes. Moodle reads the file as UTF-8 (a byte-order mark is
removed, none is written); one file holds one framework (the importer keeps the last
framework row), so a catalog of several journeys gives several files.

Rows: the journey (``Is framework`` = 1, the default competence scale *Not yet competent,
Competent* with *Competent* as default and proficient), each course (parent ID number
empty: a top-level competency) and each knowledge goal (parent: its course). Texts are
plain (description format 2); the description ends with the node's IRI.
"""

from __future__ import annotations

import json

from yrkesresan_lti.catalog.exports.common import csv_bytes, journey_courses, node_uuid, text
from yrkesresan_lti.catalog.models import Course, Journey, KnowledgeGoal

MOODLE_COLUMNS = (
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
)
"""``framework_importer::list_required_headers()`` in Moodle 4.5, in English."""

MAX_IDNUMBER = 100
MAX_SHORTNAME = 100
FORMAT_PLAIN = 2
SCALE_VALUES = "Not yet competent,Competent"
"""Moodle's default competence scale: the importer reuses a global scale with these items."""
SCALE_CONFIGURATION = json.dumps(
    [{"scaleid": "0"}, {"id": 2, "scaledefault": 1, "proficient": 1}], separators=(",", ":")
)
"""Item 2 (*Competent*) is the default and proficient; the importer fills in ``scaleid``."""
TAXONOMIES = "domain,outcome"
"""Level 1 (courses) are shown as *Domain*, level 2 (knowledge goals) as *Outcome*."""


def moodle_idnumber(iri: str) -> str:
    """The IRI, or ``urn:uuid:`` + :func:`node_uuid` when it is longer than Moodle allows."""
    return iri if len(iri) <= MAX_IDNUMBER else f"urn:uuid:{node_uuid(iri)}"


def _shortname(title: str) -> str:
    if len(title) <= MAX_SHORTNAME:
        return title
    cut = title[: MAX_SHORTNAME - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _description(title: str, description: str, iri: str) -> str:
    parts = [title] if _shortname(title) != title else []
    parts += [description] if description else []
    return "\n\n".join([*parts, iri])


def _framework_row(journey: Journey, lang: str) -> list[object]:
    title = text(journey.title, lang)
    description = _description(title, text(journey.description, lang), journey.iri)
    row: list[object] = ["", moodle_idnumber(journey.iri), _shortname(title), description]
    row += [FORMAT_PLAIN, SCALE_VALUES, SCALE_CONFIGURATION, "", "", "", "", "", 1, TAXONOMIES]
    return row


def _competency_row(node: Course | KnowledgeGoal, parent: str, lang: str) -> list[object]:
    title = text(node.title, lang)
    description = _description(title, text(node.description, lang), node.iri)
    row: list[object] = [parent, moodle_idnumber(node.iri), _shortname(title), description]
    return [*row, FORMAT_PLAIN, "", "", "", "", "", "", "", 0, ""]


def moodle_competencies(journey: Journey, *, lang: str = "sv") -> bytes:
    """The competency framework CSV of one journey (UTF-8, header row first)."""
    rows: list[list[object]] = [list(MOODLE_COLUMNS), _framework_row(journey, lang)]
    for course in journey_courses(journey):
        rows.append(_competency_row(course, "", lang))
        parent = moodle_idnumber(course.iri)
        rows.extend(_competency_row(goal, parent, lang) for goal in course.goals)
    return csv_bytes(rows)
