"""What the exporters share: stable UUIDs from IRIs, texts in one language, CSV bytes."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Mapping, Sequence

from yrkesresan_lti.catalog.models import Course, Journey
from yrkesresan_lti.catalog.root import Catalog
from yrkesresan_lti.exceptions import UnknownCatalogNode

EXPORT_FORMATS = ("moodle-competencies", "canvas-outcomes", "case")
"""The ``--format`` names of ``yrkesresan catalog export``."""


def node_uuid(iri: str) -> str:
    """The UUID (version 5, URL namespace) of an IRI: anyone can derive it from the IRI."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def text(value: Mapping[str, str] | None, lang: str) -> str:
    """The ``lang`` text of a language map, else the Swedish one ('' for no map)."""
    if not value:
        return ""
    return value.get(lang) or value["sv"]


def pick_journeys(catalog: Catalog, journey: str | None = None) -> list[Journey]:
    """Every journey, or the one with slug ``journey`` (:class:`UnknownCatalogNode` if none)."""
    if journey is None:
        return list(catalog.journeys)
    found = [j for j in catalog.journeys if j.slug == journey]
    if not found:
        slugs = ", ".join(j.slug for j in catalog.journeys)
        raise UnknownCatalogNode(f"no journey '{journey}' in the catalog; its journeys: {slugs}")
    return found


def journey_courses(journey: Journey) -> list[Course]:
    """The journey's courses in catalog order (phases, then stages)."""
    return [course for step in journey.steps for course in step.courses]


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """RFC 4180 CSV in UTF-8 without a byte-order mark, CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
