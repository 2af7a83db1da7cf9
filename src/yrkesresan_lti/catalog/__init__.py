"""The Yrkesresan catalog: journeys, phases/stages, courses, knowledge goals and tasks.

Load one with :func:`load_catalog`; every node then has a stable IRI (``node.iri``).
"""

from __future__ import annotations

from yrkesresan_lti.catalog.default import CATALOG_PATH_VARIABLE, default_catalog_path
from yrkesresan_lti.catalog.diff import CatalogDiff, IriChange, diff_catalogs
from yrkesresan_lti.catalog.dump import dump_catalog, dump_catalog_yaml
from yrkesresan_lti.catalog.evaluation import Evaluation, EvaluationQuestion
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
from yrkesresan_lti.catalog.schema import catalog_schema, journey_schema
from yrkesresan_lti.catalog.text import LangMap, parse_duration

__all__ = [
    "CATALOG_PATH_VARIABLE",
    "AnyNode",
    "Catalog",
    "CatalogDiff",
    "Checklist",
    "Course",
    "CourseDay",
    "CourseDays",
    "CourseOccasion",
    "Evaluation",
    "EvaluationQuestion",
    "IriChange",
    "Journey",
    "KnowledgeGoal",
    "LangMap",
    "Phase",
    "ResourceKind",
    "Stage",
    "Task",
    "activity_type_iri",
    "catalog_schema",
    "course_iri",
    "default_catalog_path",
    "diff_catalogs",
    "dump_catalog",
    "dump_catalog_yaml",
    "extension_iri",
    "journey_iri",
    "journey_schema",
    "load_catalog",
    "parse_duration",
    "profile_iri",
]
