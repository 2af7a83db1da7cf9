"""Does a statement follow a statement template? (xAPI Profiles 1.0, Part Three, §2.2)

Determining properties first (verb, object activity type, the context activity types),
then every rule: ``presence`` (included / excluded / recommended) and ``any``, ``all``,
``none`` over the values the rule's ``location`` (and ``selector``) select.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from yrkesresan_lti.xapi.profile.jsonpath import evaluate

CONTEXT_TYPE_PROPERTIES = {
    "contextParentActivityType": "parent",
    "contextGroupingActivityType": "grouping",
    "contextCategoryActivityType": "category",
    "contextOtherActivityType": "other",
}


def template_problems(template: Mapping[str, Any], statement: Mapping[str, Any]) -> list[str]:
    """What keeps ``statement`` from matching ``template``; empty when it matches."""
    s = _normalized(statement)
    problems = _determining_problems(template, s)
    for rule in template.get("rules", []):
        problems.extend(_rule_problems(rule, s))
    return problems


def matches(template: Mapping[str, Any], statement: Mapping[str, Any]) -> bool:
    """True when the statement follows the profile's statement template (no problems)."""
    return not template_problems(template, statement)


def matching_templates(profile: Mapping[str, Any], statement: Mapping[str, Any]) -> list[str]:
    """IDs of the profile's templates that ``statement`` matches completely."""
    return [t["id"] for t in profile.get("templates", []) if matches(t, statement)]


def _normalized(statement: Mapping[str, Any]) -> dict[str, Any]:
    """A copy whose contextActivities are always lists (a single activity is allowed)."""
    s: dict[str, Any] = json.loads(json.dumps(statement))
    activities = s.get("context", {}).get("contextActivities", {})
    for key, value in list(activities.items()):
        if isinstance(value, dict):
            activities[key] = [value]
    return s


def _types(activities: Any) -> set[str]:
    return {
        a.get("definition", {}).get("type")
        for a in activities or []
        if isinstance(a, dict) and a.get("definition", {}).get("type")
    }


def _determining_problems(template: Mapping[str, Any], s: dict[str, Any]) -> list[str]:
    problems = []
    if "verb" in template and s.get("verb", {}).get("id") != template["verb"]:
        problems.append(f"verb is not {template['verb']}")
    if "objectActivityType" in template:
        found = s.get("object", {}).get("definition", {}).get("type")
        if found != template["objectActivityType"]:
            problems.append(f"object type {found} is not {template['objectActivityType']}")
    activities = s.get("context", {}).get("contextActivities", {})
    for prop, key in CONTEXT_TYPE_PROPERTIES.items():
        missing = set(template.get(prop, [])) - _types(activities.get(key))
        if missing:
            problems.append(f"contextActivities.{key} has no activity of type {sorted(missing)}")
    return problems


def _rule_problems(rule: Mapping[str, Any], s: dict[str, Any]) -> list[str]:
    location = rule["location"]
    values = evaluate(location, s)
    if "selector" in rule:
        values = [found for value in values for found in evaluate(rule["selector"], value)]
    presence = rule.get("presence")
    if presence == "excluded":
        return [f"{location} must be absent"] if values else []
    if not values:
        return [f"{location} is required"] if presence == "included" else []
    keyed = [_key(value) for value in values]
    problems = []
    if "any" in rule and not set(keyed) & {_key(v) for v in rule["any"]}:
        problems.append(f"{location} has none of {rule['any']}")
    if "all" in rule:
        allowed = {_key(v) for v in rule["all"]}
        if any(key not in allowed for key in keyed):
            problems.append(f"{location} has values outside {rule['all']}")
    if "none" in rule and set(keyed) & {_key(v) for v in rule["none"]}:
        problems.append(f"{location} has one of {rule['none']}")
    return problems


def _key(value: Any) -> str:
    """Compare JSON values as JSON (so ``true`` never equals ``1``)."""
    return json.dumps(value, sort_keys=True)
