"""Catalog nodes as xAPI activities (tincan objects): id = node IRI, name, type, moreInfo."""

from __future__ import annotations

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
    """The activity for a catalog node; a task's ``moreInfo`` is its resource URL."""
    definition = ActivityDefinition(
        name=LanguageMap(dict(node.title)),
        type=activity_type(node).iri(iri_base),
    )
    if isinstance(node, Task):
        definition.more_info = node.url
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
