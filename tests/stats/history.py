"""Statements shaped like the tool's (profile 1.5), for the statistics ledger's tests and
the stats benchmark: just the parts the figures read."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from yrkesresan_lti.xapi.vocabulary.verbs import ALL_VERBS, Verb

VERB_IRIS = {verb.en: verb.id for verb in ALL_VERBS if isinstance(verb, Verb)}
"""Verb IRIs by English name ("unregistered" is TinCan's, the rest ADL's)."""

BASE = "https://yrkesresan.se/id"
JOURNEY = f"{BASE}/journeys/barn-och-unga"
COURSE = f"{JOURNEY}/courses/samtal"
OTHER_COURSE = f"{JOURNEY}/courses/utredning"
OCCASION = f"{COURSE}/occasions/goteborg-ht"
GOAL = f"{COURSE}/goals/samtalsmetodik"
TYPES = f"{BASE}/activity-types"
ADL = "http://adlnet.gov/expapi/activities"
_ids = itertools.count(1)


def _activity(iri: str, kind: str, seats: int | None = None) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": kind}
    if seats is not None:
        definition["extensions"] = {f"{BASE}/extensions/seats": seats}
    return {"id": iri, "objectType": "Activity", "definition": definition}


def course_of(iri: str) -> str:
    return iri.split("/occasions/")[0].split("/goals/")[0].split("/evaluation/")[0]


def statement(
    verb: str,
    learner: str,
    target: str,
    *,
    at: str = "2026-05-04T10:00:00Z",
    municipality: str | None = "1480",
    county: str | None = "14",
    target_type: str | None = None,
    rating: int | None = None,
    voids: str | None = None,
    seats: int | None = 24,
) -> dict[str, Any]:
    """A statement of ``learner`` (an account name) about ``target``."""
    course = course_of(target)
    journey = course.split("/courses/")[0]
    extensions: dict[str, Any] = {}
    if municipality:
        extensions[f"{BASE}/extensions/municipality-code"] = municipality
    if county:
        extensions[f"{BASE}/extensions/county-code"] = county
    grouping = [_activity(journey, f"{TYPES}/journey")]
    parent: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    if verb in ("registered", "unregistered"):
        target_type = f"{ADL}/course"
        other.append(_activity(target, f"{TYPES}/occasion", seats))
        target = course
    elif verb == "attended":
        target_type = f"{ADL}/meeting"
        grouping.append(_activity(course, f"{ADL}/course"))
        parent.append(_activity(target.split("/days/")[0], f"{TYPES}/occasion", seats))
    elif verb == "passed":
        target_type = f"{ADL}/objective"
        parent.append(_activity(course, f"{ADL}/course"))
    elif verb == "answered":
        target_type = f"{ADL}/question"
        parent.append(_activity(course, f"{ADL}/course"))
    elif course != journey and target != course:
        grouping.append(_activity(course, f"{ADL}/course"))
    obj: dict[str, Any] = (
        {"objectType": "StatementRef", "id": voids}
        if voids
        else _activity(target, target_type or f"{ADL}/course")
    )
    made: dict[str, Any] = {
        "id": str(uuid.UUID(int=next(_ids))),
        "actor": {"account": {"homePage": "https://moodle.example", "name": learner}},
        "verb": {"id": VERB_IRIS[verb]},
        "object": obj,
        "timestamp": at,
        "context": {
            "contextActivities": {"grouping": grouping, "parent": parent, "other": other},
            "extensions": extensions,
        },
    }
    if rating is not None:
        made["result"] = {"response": str(rating), "score": {"raw": rating, "min": 1, "max": 5}}
    return made


def day(occasion: str, number: int) -> str:
    return f"{occasion}/days/{number}"


def question(course: str, slug: str = "helhet") -> str:
    return f"{course}/evaluation/questions/{slug}"
