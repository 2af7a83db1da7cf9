"""The one :data:`metadata` every table of the adapter is defined on.

Storage defines its own tables here and in :mod:`.models` (LTI storage) and the outbox of
:mod:`yrkesresan_lti.outbox`; each feature defines its tables on this metadata in its own
``schema`` module (``pages.schema``, ``pages.occasions.schema``, ``advantage.schema``, ...).
Storage never imports a feature: :mod:`yrkesresan_adapter.tables` imports them all for
Alembic and the schema comparison.

All timestamps are timezone-aware UTC (:class:`UtcDateTime`), also on SQLite.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

from yrkesresan_lti.outbox.schema import OutboxTables, define_outbox_tables
from yrkesresan_lti.sqltypes import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Stable constraint names so migrations can refer to them on every database."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
    }


metadata = Base.metadata
"""Every table of the adapter, including the outbox."""

outbox_tables: OutboxTables = define_outbox_tables(metadata)
"""The durable outbox every feature enqueues into (statements, AGS scores)."""
