"""The Yrkesresan catalog: journeys, phases/stages, courses, knowledge goals and tasks.

Load one with :func:`load_catalog`; every node then has a stable IRI (``node.iri``).
"""

from __future__ import annotations

from yrkesresan_lti.catalog.iri import (
    activity_type_iri,
    course_iri,
    extension_iri,
    journey_iri,
    profile_iri,
)
from yrkesresan_lti.catalog.loader import load_catalog
from yrkesresan_lti.catalog.models import (
    AnyNode,
    Checklist,
    Course,
    CourseDay,
    CourseDays,
    CourseOccasion,
    Journey,
    KnowledgeGoal,
    Phase,
    ResourceKind,
    Stage,
    Task,
)
from yrkesresan_lti.catalog.root import Catalog
from yrkesresan_lti.catalog.text import LangMap, parse_duration

__all__ = [
    "AnyNode",
    "Catalog",
    "Checklist",
    "Course",
    "CourseDay",
    "CourseDays",
    "CourseOccasion",
    "Journey",
    "KnowledgeGoal",
    "LangMap",
    "Phase",
    "ResourceKind",
    "Stage",
    "Task",
    "activity_type_iri",
    "course_iri",
    "extension_iri",
    "journey_iri",
    "load_catalog",
    "parse_duration",
    "profile_iri",
]
