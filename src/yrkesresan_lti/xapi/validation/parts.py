"""Checks for the parts a statement is made of: agents, activities, language maps, extensions.

Each check gets the value and its location (``field``) and raises
:class:`~yrkesresan_lti.exceptions.InvalidStatement` naming that location.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from yrkesresan_lti.exceptions import InvalidStatement
from yrkesresan_lti.xapi.validation import syntax

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_KEYS = frozenset({"objectType", "name", *IFIS})
GROUP_KEYS = AGENT_KEYS | {"member"}
DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        "choices",
        "scale",
        "source",
        "target",
        "steps",
    }
)
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)


def fail(field: str, message: str) -> NoReturn:
    raise InvalidStatement(f"{field or 'statement'}: {message}", field=field)


def mapping(value: object, field: str) -> Mapping[str, Any]:
    if type(value) is dict:  # the usual case, without the ABC's slower isinstance check
        return value
    if not isinstance(value, Mapping):
        fail(field, "must be a JSON object")
    return value


def only_keys(value: Mapping[str, Any], allowed: Iterable[str], field: str) -> None:
    allowed = frozenset(allowed)
    for key in value:
        if key not in allowed:
            fail(f"{field}.{key}" if field else key, "is not an xAPI 1.0.3 property here")


def iri(value: object, field: str) -> None:
    if not syntax.is_iri(value):
        fail(field, f"{value!r} is not an absolute IRI (like https://yrkesresan.se/id/...)")


def uuid(value: object, field: str) -> None:
    if not syntax.is_uuid(value):
        fail(field, f"{value!r} is not a UUID (8-4-4-4-12 hexadecimal digits)")


def text(value: object, field: str) -> None:
    if not isinstance(value, str):
        fail(field, "must be a string")


def language_map(value: object, field: str) -> None:
    for tag, label in mapping(value, field).items():
        if not syntax.is_language_tag(tag):
            fail(field, f"{tag!r} is not a BCP 47 language tag (like sv, en-US)")
        text(label, f"{field}.{tag}")


def extensions(value: object, field: str) -> None:
    for key in mapping(value, field):
        if not syntax.is_iri(key):
            fail(field, f"extension key {key!r} is not an absolute IRI")


def agent(value: object, field: str, *, group_allowed: bool = True) -> None:
    """An Agent (exactly one identifier) or a Group (identified, or anonymous with members)."""
    actor = mapping(value, field)
    kind = actor.get("objectType", "Agent")
    if kind not in ("Agent", "Group") or (kind == "Group" and not group_allowed):
        fail(f"{field}.objectType", f"{kind!r} is not allowed here")
    only_keys(actor, GROUP_KEYS if kind == "Group" else AGENT_KEYS, field)
    present = [ifi for ifi in IFIS if ifi in actor]
    anonymous_group = kind == "Group" and not present and "member" in actor
    if len(present) != 1 and not anonymous_group:
        found = ", ".join(present) or "none"
        fail(field, f"needs exactly one identifier (mbox, mbox_sha1sum, openid, account): {found}")
    if "name" in actor:
        text(actor["name"], f"{field}.name")
    if "mbox" in actor and not syntax.is_mbox(actor["mbox"]):
        fail(f"{field}.mbox", "must be mailto:address")
    if "mbox_sha1sum" in actor and not syntax.is_sha1_hex(actor["mbox_sha1sum"]):
        fail(f"{field}.mbox_sha1sum", "must be 40 hexadecimal digits")
    if "openid" in actor:
        iri(actor["openid"], f"{field}.openid")
    if "account" in actor:
        account(actor["account"], f"{field}.account")
    if kind == "Group" and "member" in actor:
        members = actor["member"]
        if not isinstance(members, list) or (anonymous_group and not members):
            fail(f"{field}.member", "must be a list of agents")
        for index, member in enumerate(members):
            agent(member, f"{field}.member[{index}]", group_allowed=False)


def account(value: object, field: str) -> None:
    acc = mapping(value, field)
    only_keys(acc, ("homePage", "name"), field)
    if not syntax.is_irl(acc.get("homePage")):
        fail(f"{field}.homePage", "must be the http(s) URL of the system the account is on")
    if not isinstance(acc.get("name"), str) or not acc["name"]:
        fail(f"{field}.name", "must be a non-empty string")


NOTHING_KNOWN: Mapping[str, Any] = {}


def activity(value: object, field: str, known: Mapping[str, Any] = NOTHING_KNOWN) -> None:
    """An Activity; one equal to ``known[its id]`` (checked before) passes at once."""
    act = mapping(value, field)
    if known and isinstance(act_id := act.get("id"), str) and known.get(act_id) == act:
        return
    only_keys(act, ("objectType", "id", "definition"), field)
    if act.get("objectType", "Activity") != "Activity":
        fail(f"{field}.objectType", "must be Activity")
    iri(act.get("id"), f"{field}.id")
    if "definition" in act:
        definition(act["definition"], f"{field}.definition")


def definition(value: object, field: str) -> None:
    defn = mapping(value, field)
    only_keys(defn, DEFINITION_KEYS, field)
    for key in ("name", "description"):
        if key in defn:
            language_map(defn[key], f"{field}.{key}")
    if "type" in defn:
        iri(defn["type"], f"{field}.type")
    if "moreInfo" in defn and not syntax.is_irl(defn["moreInfo"]):
        fail(f"{field}.moreInfo", f"{defn['moreInfo']!r} is not an http(s) URL")
    if "extensions" in defn:
        extensions(defn["extensions"], f"{field}.extensions")
    if "interactionType" in defn and defn["interactionType"] not in INTERACTION_TYPES:
        fail(f"{field}.interactionType", f"{defn['interactionType']!r} is not an interaction type")


def activities(value: object, field: str, known: Mapping[str, Any] = NOTHING_KNOWN) -> None:
    """A contextActivities entry: one activity or a list of them."""
    if not isinstance(value, list):
        activity(value, field, known)
        return
    for index, item in enumerate(value):
        if known and _known(item, known):  # what activity() would pass at once
            continue
        activity(item, f"{field}[{index}]", known)


def _known(value: object, known: Mapping[str, Any]) -> bool:
    """``value`` is equal to the activity ``known`` has under its id (checked before)."""
    return (
        type(value) is dict
        and isinstance(act_id := value.get("id"), str)
        and known.get(act_id) == value
    )
