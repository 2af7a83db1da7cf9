"""The table of attendance on course days (närvaro på kursdagar).

Defined on any :class:`~sqlalchemy.MetaData` by :func:`define_attendance_table` (the
adapter's shared metadata in :mod:`yrkesresan_adapter.storage.models`; Alembic revision
``pages_0003`` creates it).

``page_attendance``
    One row per (tenant, context, LTI ``sub``, course-day IRI) that was attended: the
    occasion IRI, when it was recorded, by whom (the recording manager's ``sub``) and the
    id of the *attended* statement, so that a correction voids exactly that statement. A
    correction deletes the row. Scoped like the other page tables: a manager only ever
    reads and changes their own platform, deployment and course.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, UniqueConstraint

from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.scope import SCOPE, scope_columns
from yrkesresan_lti.sqltypes import UtcDateTime

ATTENDANCE = "page_attendance"


def define_attendance_table(metadata: MetaData) -> Table:
    """Add the attendance table to ``metadata`` (idempotent per metadata) and return it."""
    if ATTENDANCE in metadata.tables:
        return metadata.tables[ATTENDANCE]
    return Table(
        ATTENDANCE,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("occasion_iri", String(1024), nullable=False),
        Column("day_iri", String(1024), nullable=False),
        Column("recorded_at", UtcDateTime(), nullable=False),
        Column("recorded_by", String(255), nullable=False),
        Column("statement_id", String(36), nullable=False),
        UniqueConstraint(*SCOPE, "user_sub", "day_iri", name=f"uq_{ATTENDANCE}_scope_day"),
        Index(f"ix_{ATTENDANCE}_occasion_iri", "occasion_iri"),
    )


attendance_table: Table = define_attendance_table(metadata)
"""Attendance on course days, on the shared metadata."""
