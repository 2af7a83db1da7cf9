"""1EdTech CASE 1.0: one ``CFPackage`` per journey (``CFDocument``, ``CFItems``,
``CFAssociations``).

The journey is the ``CFDocument``; its courses and their knowledge goals are ``CFItems``
(``CFItemType`` *Kurs* / *Kunskapsmål*, or *Course* / *Knowledge goal* in English), tied by
``isChildOf`` associations (goal → course → document) with ``sequenceNumber`` in catalog
order. CASE identifiers are UUIDs: each is :func:`node_uuid` of our IRI, and ``uri`` is the
IRI itself; the package and the associations, which have no IRI of ours, get
``urn:uuid:`` URIs. ``lastChangeDateTime`` is ``changed_at`` for every object, so the same
catalog and moment give the same bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from yrkesresan_lti.catalog.exports.common import journey_courses, node_uuid, text
from yrkesresan_lti.catalog.models import Course, Journey, KnowledgeGoal
from yrkesresan_lti.catalog.root import Catalog

ITEM_TYPES = {
    "sv": {"course": "Kurs", "goal": "Kunskapsmål"},
    "en": {"course": "Course", "goal": "Knowledge goal"},
}

Json = dict[str, Any]


def _stamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _link(title: str, identifier: str, uri: str) -> Json:
    return {"title": title, "identifier": identifier, "uri": uri}


class _Builder:
    def __init__(self, catalog: Catalog, journey: Journey, lang: str, changed: str) -> None:
        self.catalog = catalog
        self.journey = journey
        self.lang = lang
        self.changed = changed
        self.types = ITEM_TYPES.get(lang, ITEM_TYPES["sv"])
        self.doc_link = _link(text(journey.title, lang), node_uuid(journey.iri), journey.iri)
        self.items: list[Json] = []
        self.associations: list[Json] = []

    def document(self) -> Json:
        journey, lang = self.journey, self.lang
        package_id = node_uuid(journey.iri + "#CFPackage")
        return {
            "identifier": node_uuid(journey.iri),
            "uri": journey.iri,
            "CFPackageURI": _link(text(journey.title, lang), package_id, f"urn:uuid:{package_id}"),
            "creator": journey.responsible_organisation,
            "title": text(journey.title, lang),
            "lastChangeDateTime": self.changed,
            "description": text(journey.description, lang),
            "subject": [text(journey.area, lang)],
            "language": lang if lang in journey.title else "sv",
            "version": self.catalog.version,
            "adoptionStatus": "Implemented",
        }

    def item(self, node: Course | KnowledgeGoal, kind: str) -> Json:
        found: Json = {
            "identifier": node_uuid(node.iri),
            "uri": node.iri,
            "fullStatement": text(node.title, self.lang),
            "humanCodingScheme": node.slug,
            "CFItemType": self.types[kind],
            "language": self.lang if self.lang in node.title else "sv",
            "lastChangeDateTime": self.changed,
            "CFDocumentURI": self.doc_link,
        }
        if node.description:
            found["notes"] = text(node.description, self.lang)
        self.items.append(found)
        return found

    def child_of(self, child: Json, parent: Json, number: int) -> None:
        identifier = node_uuid(f"{child['uri']} isChildOf {parent['uri']}")
        title = parent.get("fullStatement") or parent["title"]
        self.associations.append(
            {
                "identifier": identifier,
                "uri": f"urn:uuid:{identifier}",
                "associationType": "isChildOf",
                "sequenceNumber": number,
                "originNodeURI": _link(child["fullStatement"], child["identifier"], child["uri"]),
                "destinationNodeURI": _link(title, parent["identifier"], parent["uri"]),
                "lastChangeDateTime": self.changed,
                "CFDocumentURI": self.doc_link,
            }
        )

    def package(self) -> Json:
        document = self.document()
        for number, course in enumerate(journey_courses(self.journey), start=1):
            course_item = self.item(course, "course")
            self.child_of(course_item, document, number)
            for goal_number, goal in enumerate(course.goals, start=1):
                self.child_of(self.item(goal, "goal"), course_item, goal_number)
        return {"CFDocument": document, "CFItems": self.items, "CFAssociations": self.associations}


def case_package(
    catalog: Catalog, journey: Journey, *, changed_at: datetime, lang: str = "sv"
) -> dict[str, Any]:
    """The CASE 1.0 ``CFPackage`` of one journey of ``catalog`` as a JSON object."""
    return _Builder(catalog, journey, lang, _stamp(changed_at)).package()


def case_package_json(
    catalog: Catalog, journey: Journey, *, changed_at: datetime, lang: str = "sv"
) -> bytes:
    """:func:`case_package` as UTF-8 JSON (indented, keys in a fixed order, newline at end)."""
    package = case_package(catalog, journey, changed_at=changed_at, lang=lang)
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
