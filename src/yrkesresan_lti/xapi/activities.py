"""Catalog nodes as xAPI activities (tincan objects): id = node IRI, name, type, moreInfo.

:class:`NodeActivities` keeps the JSON of each node's activity, built with tincan and checked
once: the catalog is frozen, so a statement only copies it instead of building it again.
"""

from __future__ import annotations

from typing import Any

from tincan import Activity, ActivityDefinition, LanguageMap

from yrkesresan_lti.catalog import (
    AnyNode,
    Checklist,
    Course,
    CourseDay,
    CourseDays,
    CourseOccasion,
    Journey,
    KnowledgeGoal,
    Phase,
    Stage,
    Task,
)
from yrkesresan_lti.xapi.profile.document import PROFILE_VERSION, profile_version_iri
from yrkesresan_lti.xapi.validation import parts
from yrkesresan_lti.xapi.vocabulary import (
    CHECKLIST,
    CHECKLIST_ITEM,
    COURSE,
    JOURNEY,
    MEETING,
    MODULE,
    OBJECTIVE,
    OCCASION,
    PHASE,
    PROFILE,
    SEATS,
    STAGE,
    Concept,
    profile_iri,
)

NODE_TYPES: dict[type[AnyNode], Concept] = {
    Journey: JOURNEY,
    Phase: PHASE,
    Stage: STAGE,
    Course: COURSE,
    KnowledgeGoal: OBJECTIVE,
    Checklist: CHECKLIST,
    CourseDays: MODULE,
    Task: CHECKLIST_ITEM,
    CourseOccasion: OCCASION,
    CourseDay: MEETING,
}
"""The activity type of each kind of catalog node."""


def activity_type(node: AnyNode) -> Concept:
    return NODE_TYPES[type(node)]


def node_activity(node: AnyNode, iri_base: str) -> Activity:
    """The activity for a catalog node; a task's ``moreInfo`` is its resource URL, an
    occasion's ``extensions`` its number of seats (profile 1.5)."""
    definition = ActivityDefinition(
        name=LanguageMap(dict(node.title)),
        type=activity_type(node).iri(iri_base),
    )
    if isinstance(node, Task):
        definition.more_info = node.url
    if isinstance(node, CourseOccasion):
        definition.extensions = {SEATS.iri(iri_base): node.capacity}
    return Activity(id=node.iri, definition=definition)


def profile_activity(iri_base: str) -> Activity:
    """The ``category`` activity that says a statement follows the Yrkesresan profile."""
    return Activity(
        id=profile_iri(iri_base),
        definition=ActivityDefinition(
            name=LanguageMap({"sv": "Yrkesresans xAPI-profil", "en": "Yrkesresan xAPI Profile"}),
            type=PROFILE.iri(iri_base),
        ),
    )


def profile_version_activity(iri_base: str) -> Activity:
    """The ``category`` activity of the profile version a statement follows (xAPI Profiles,
    part two: a Learning Record Provider puts the version IRI in ``category``)."""
    return Activity(
        id=profile_version_iri(iri_base),
        definition=ActivityDefinition(
            name=LanguageMap(
                {
                    "sv": f"Yrkesresans xAPI-profil {PROFILE_VERSION}",
                    "en": f"Yrkesresan xAPI Profile {PROFILE_VERSION}",
                }
            ),
            type=PROFILE.iri(iri_base),
        ),
    )


JsonActivity = dict[str, Any]


class NodeActivities:
    """The activity JSON of each node of one (frozen) catalog, built and validated once.

    Entries are keyed by the node object (its ``id``; the entry keeps the node alive so the
    key cannot be reused) and every call returns a fresh copy, so a caller that changes a
    statement never changes the next one. :attr:`validated` maps each activity id built so
    far to its checked JSON, for :func:`~yrkesresan_lti.xapi.validation.validate_statement`.
    """

    def __init__(self, iri_base: str) -> None:
        self._base = iri_base
        self._nodes: dict[int, tuple[AnyNode, JsonActivity]] = {}
        self.validated: dict[str, JsonActivity] = {}
        self._profile = self._checked(profile_activity(iri_base))
        self._version = self._checked(profile_version_activity(iri_base))

    def of(self, node: AnyNode) -> JsonActivity:
        """A copy of ``node``'s activity (``objectType``, ``id``, ``definition``)."""
        return _copy(self._entry(node))

    def iri(self, node: AnyNode) -> str:
        """``node.iri``, without the catalog model's attribute lookup."""
        iri: str = self._entry(node)["id"]
        return iri

    def _entry(self, node: AnyNode) -> JsonActivity:
        entry = self._nodes.get(id(node))
        if entry is None or entry[0] is not node:
            entry = (node, self._checked(node_activity(node, self._base)))
            self._nodes[id(node)] = entry
        return entry[1]

    def categories(self) -> list[JsonActivity]:
        """Copies of the ``category`` of every statement: the profile version, the profile."""
        return [_copy(self._version), _copy(self._profile)]

    def _checked(self, activity: Activity) -> JsonActivity:
        data: JsonActivity = activity.as_version()
        parts.activity(data, "activity")
        if set(data) != {"objectType", "id", "definition"} or not _plain(data["definition"]):
            raise AssertionError(f"unexpected activity shape from tincan: {data!r}")
        self.validated[data["id"]] = data
        return data


def _plain(definition: dict[str, Any]) -> bool:
    """Only ``name`` (a dict of strings), ``extensions`` (a dict of numbers) and string
    values: what :func:`_copy` copies."""
    return isinstance(definition.get("name"), dict) and all(
        isinstance(value, str)
        or (key == "name" and all(isinstance(text, str) for text in value.values()))
        or (key == "extensions" and all(isinstance(v, int) for v in value.values()))
        for key, value in definition.items()
    )


def _copy(activity: JsonActivity) -> JsonActivity:
    """A deep copy of an activity of the checked shape (definition, its name map and its
    extensions)."""
    definition = {**activity["definition"]}
    definition["name"] = {**definition["name"]}
    if "extensions" in definition:
        definition["extensions"] = {**definition["extensions"]}
    return {**activity, "definition": definition}
