"""Validation of a whole statement before it is sent, as a readable pipeline of checks.

``validate_statement(s)`` returns ``s`` unchanged or raises
:class:`~yrkesresan_lti.exceptions.InvalidStatement` whose ``field`` names the culprit
(``"actor"``, ``"context.language"``, ``"result.score.scaled"``, ``"version"``, ...).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from yrkesresan_lti.xapi.validation import parts, syntax
from yrkesresan_lti.xapi.validation.parts import fail, mapping, only_keys

PRODUCER_KEYS = frozenset(
    {"id", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
LRS_KEYS = ("version", "stored", "authority")
"""Set by the LRS, never by us (tincan adds ``version``: strip it before validating)."""
OBJECT_TYPES = ("Activity", "Agent", "Group", "StatementRef", "SubStatement")
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
CONTEXT_KEYS = frozenset(
    {"registration", "instructor", "team", "contextActivities", "revision"}
    | {"platform", "language", "statement", "extensions"}
)


def validate_statement(
    statement: Mapping[str, Any], *, valid_activities: Mapping[str, Any] | None = None
) -> Mapping[str, Any]:
    """Check ``statement`` and return it; raise ``InvalidStatement`` at the first problem.

    ``valid_activities`` maps activity ids to activities that have passed these checks
    already (the factory's catalog activities): an activity *equal* to one of them is not
    checked again.
    """
    known = valid_activities or {}
    s = mapping(statement, "")
    for key in LRS_KEYS:
        if key in s:
            fail(key, f"'{key}' is set by the LRS: leave it out of statements we send")
    only_keys(s, PRODUCER_KEYS, "")
    for key in ("id", "actor", "verb", "object", "timestamp"):
        if key not in s:
            fail(key, "is required in every statement we send")
    parts.uuid(s["id"], "id")
    _check_body(s, "", known)
    problem = syntax.timestamp_problem(s["timestamp"])
    if problem:
        fail("timestamp", problem)
    if "attachments" in s:
        _check_attachments(s["attachments"])
    return statement


def _check_body(s: Mapping[str, Any], prefix: str, known: Mapping[str, Any]) -> None:
    """Actor, verb, object, result and context: shared by statements and sub-statements."""
    parts.agent(s.get("actor"), f"{prefix}actor")
    _check_verb(s.get("verb"), f"{prefix}verb")
    kind = _check_object(s.get("object"), f"{prefix}object", nested=bool(prefix), known=known)
    if "result" in s:
        _check_result(s["result"], f"{prefix}result")
    if "context" in s:
        _check_context(
            s["context"], f"{prefix}context", object_is_activity=kind == "Activity", known=known
        )


def _check_verb(value: object, field: str) -> None:
    verb = mapping(value, field)
    only_keys(verb, ("id", "display"), field)
    parts.iri(verb.get("id"), f"{field}.id")
    if "display" in verb:
        parts.language_map(verb["display"], f"{field}.display")


def _check_object(value: object, field: str, *, nested: bool, known: Mapping[str, Any]) -> str:
    obj = mapping(value, field)
    kind = obj.get("objectType", "Activity")
    if kind not in OBJECT_TYPES or (nested and kind == "SubStatement"):
        fail(f"{field}.objectType", f"{kind!r} is not an allowed object type here")
    if kind == "Activity":
        parts.activity(obj, field, known)
    elif kind in ("Agent", "Group"):
        parts.agent(obj, field)
    elif kind == "StatementRef":
        only_keys(obj, ("objectType", "id"), field)
        parts.uuid(obj.get("id"), f"{field}.id")
    else:
        only_keys(obj, {"objectType", *PRODUCER_KEYS} - {"id", "attachments"}, field)
        _check_body(obj, f"{field}.", known)
        if "timestamp" in obj and (problem := syntax.timestamp_problem(obj["timestamp"])):
            fail(f"{field}.timestamp", problem)
    return str(kind)


def _check_result(value: object, field: str) -> None:
    result = mapping(value, field)
    only_keys(
        result, ("score", "success", "completion", "response", "duration", "extensions"), field
    )
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            fail(f"{field}.{key}", "must be true or false")
    if "response" in result:
        parts.text(result["response"], f"{field}.response")
    if "duration" in result and not syntax.is_duration(result["duration"]):
        fail(f"{field}.duration", f"{result['duration']!r} is not an ISO 8601 duration (PT15M)")
    if "extensions" in result:
        parts.extensions(result["extensions"], f"{field}.extensions")
    if "score" in result:
        _check_score(result["score"], f"{field}.score")


def _check_score(value: object, field: str) -> None:
    score = mapping(value, field)
    only_keys(score, ("scaled", "raw", "min", "max"), field)
    numbers: dict[str, float] = {}
    for key, number in score.items():
        if isinstance(number, bool) or not isinstance(number, int | float):
            fail(f"{field}.{key}", "must be a number")
        if not math.isfinite(number):
            fail(f"{field}.{key}", "must be a finite number")
        numbers[key] = float(number)
    if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
        fail(f"{field}.scaled", f"{score['scaled']} is outside [-1, 1]")
    low, high = numbers.get("min", -math.inf), numbers.get("max", math.inf)
    if low >= high:
        fail(f"{field}.max", f"max ({score['max']}) must be greater than min ({score['min']})")
    if "raw" in numbers and not low <= numbers["raw"] <= high:
        fail(f"{field}.raw", f"{score['raw']} is outside [min, max]")


def _check_context(
    value: object, field: str, *, object_is_activity: bool, known: Mapping[str, Any]
) -> None:
    context = mapping(value, field)
    only_keys(context, CONTEXT_KEYS, field)
    if "registration" in context:
        parts.uuid(context["registration"], f"{field}.registration")
    if "instructor" in context:
        parts.agent(context["instructor"], f"{field}.instructor")
    if "team" in context:
        team = mapping(context["team"], f"{field}.team")
        if team.get("objectType") != "Group":
            fail(f"{field}.team.objectType", "the team must be a Group")
        parts.agent(team, f"{field}.team")
    for key in ("revision", "platform"):
        if key in context:
            parts.text(context[key], f"{field}.{key}")
            if not object_is_activity:
                fail(f"{field}.{key}", "is only allowed when the object is an Activity")
    if "language" in context and not syntax.is_language_tag(context["language"]):
        fail(f"{field}.language", f"{context['language']!r} is not a BCP 47 language tag")
    if "statement" in context:
        ref = mapping(context["statement"], f"{field}.statement")
        if ref.get("objectType") != "StatementRef":
            fail(f"{field}.statement.objectType", "must be StatementRef")
        parts.uuid(ref.get("id"), f"{field}.statement.id")
    if "contextActivities" in context:
        ca = mapping(context["contextActivities"], f"{field}.contextActivities")
        only_keys(ca, CONTEXT_ACTIVITY_KEYS, f"{field}.contextActivities")
        for key, acts in ca.items():
            parts.activities(acts, f"{field}.contextActivities.{key}", known)
    if "extensions" in context:
        parts.extensions(context["extensions"], f"{field}.extensions")


def _check_attachments(value: object) -> None:
    if not isinstance(value, list):
        fail("attachments", "must be a list")
    for index, item in enumerate(value):
        field = f"attachments[{index}]"
        att = mapping(item, field)
        only_keys(
            att,
            ("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"),
            field,
        )
        parts.iri(att.get("usageType"), f"{field}.usageType")
        parts.language_map(att.get("display"), f"{field}.display")
        parts.text(att.get("contentType"), f"{field}.contentType")
        if not isinstance(att.get("length"), int) or isinstance(att.get("length"), bool):
            fail(f"{field}.length", "must be an integer")
        parts.text(att.get("sha2"), f"{field}.sha2")
