"""The tables of course-occasion registrations (anmälan till kurstillfälle).

Defined on any :class:`~sqlalchemy.MetaData` by :func:`define_occasion_tables` (the
adapter's shared metadata in :mod:`yrkesresan_adapter.storage.models`; Alembic revision
``pages_0002`` creates them).

``page_occasion_registrations``
    One row per (tenant, context, LTI ``sub``, course IRI): the occasion IRI the person is
    registered for (one occasion per course: registering for another moves the row), when,
    by whom (the manager's ``sub``) and the id of the *registered* statement. Scoped like
    the other page tables, so a manager only ever reads their own platform, deployment and
    course; the seat count per occasion is the only figure read across tenants.
``page_occasion_locks``
    One row per occasion anyone registered for. Registering updates it first, inside the
    transaction: PostgreSQL holds that row lock until commit and SQLite has one writer at
    a time, so two managers can never both count the last free seat.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, UniqueConstraint

from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.scope import SCOPE, scope_columns
from yrkesresan_lti.sqltypes import UtcDateTime

REGISTRATIONS = "page_occasion_registrations"
LOCKS = "page_occasion_locks"


@dataclass(frozen=True)
class OccasionTables:
    registrations: Table
    locks: Table


def define_occasion_tables(metadata: MetaData) -> OccasionTables:
    """Add the registration tables to ``metadata`` (idempotent per metadata) and return them."""
    if REGISTRATIONS in metadata.tables:
        return OccasionTables(metadata.tables[REGISTRATIONS], metadata.tables[LOCKS])
    registrations = Table(
        REGISTRATIONS,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("course_iri", String(1024), nullable=False),
        Column("occasion_iri", String(1024), nullable=False),
        Column("registered_at", UtcDateTime(), nullable=False),
        Column("registered_by", String(255), nullable=False),
        Column("statement_id", String(36), nullable=False),
        UniqueConstraint(*SCOPE, "user_sub", "course_iri", name=f"uq_{REGISTRATIONS}_scope_course"),
        Index(f"ix_{REGISTRATIONS}_occasion_iri", "occasion_iri"),
    )
    locks = Table(
        LOCKS,
        metadata,
        Column("occasion_iri", String(1024), primary_key=True),
        Column("updated_at", UtcDateTime(), nullable=False),
    )
    return OccasionTables(registrations=registrations, locks=locks)


occasion_tables: OccasionTables = define_occasion_tables(metadata)
"""Course-occasion registrations, on the shared metadata."""
