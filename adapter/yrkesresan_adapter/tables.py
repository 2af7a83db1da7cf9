"""Every table of the adapter: storage's own and each feature's, on one shared metadata.

Storage owns :data:`~yrkesresan_adapter.storage.metadata.metadata` and never imports a
feature; each feature defines its tables on it in its ``schema`` module. Importing this
module imports them all, for Alembic (:mod:`yrkesresan_adapter.migrations`) and the schema
comparison.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from yrkesresan_adapter.advantage import schema as advantage_schema
from yrkesresan_adapter.pages import outcomes
from yrkesresan_adapter.pages import schema as progress_schema
from yrkesresan_adapter.pages.attendance import schema as attendance_schema
from yrkesresan_adapter.pages.evaluation import schema as evaluation_schema
from yrkesresan_adapter.pages.occasions import plan_schema
from yrkesresan_adapter.pages.occasions import schema as occasions_schema
from yrkesresan_adapter.stats import schema as stats_schema
from yrkesresan_adapter.storage import models
from yrkesresan_adapter.storage.metadata import metadata

FEATURE_SCHEMAS = (
    models,
    progress_schema,
    outcomes,
    occasions_schema,
    plan_schema,
    attendance_schema,
    evaluation_schema,
    advantage_schema,
    stats_schema,
)
"""The modules that define tables on :data:`metadata` (imported for their tables)."""


def all_tables() -> MetaData:
    """The shared metadata with every table of the adapter defined on it."""
    return metadata
