"""The outbox table, defined on any :class:`~sqlalchemy.MetaData` (yours or ours).

One row per (payload, target): every delivery target keeps its own state. The schema is a
stable contract: applications add it to their own migrations by calling
:func:`define_outbox_tables` on their metadata (Alembic autogenerate picks it up), or create
it directly with ``metadata.create_all`` (``yrkesresan outbox init-db``).

Columns
    ``id`` surrogate key; ``target`` name of a delivery target (e.g. an LRS); ``kind`` what
    the payload is (``"xapi-statement"``, later e.g. ``"ags-score"``); ``dedupe_id`` the
    payload's own id (the statement id); ``payload`` the exact bytes to send, resent
    unchanged on every retry; ``status`` ``pending`` / ``delivered`` / ``dead``;
    ``attempts``; ``created_at``; ``next_attempt_at`` (also the claim lease while a worker
    delivers); ``claim_token`` (the worker that holds the lease); ``last_error``;
    ``delivered_at``. All times are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from yrkesresan_lti.sqltypes import UtcDateTime

PENDING: Final = "pending"
DELIVERED: Final = "delivered"
DEAD: Final = "dead"
STATUSES: Final = (PENDING, DELIVERED, DEAD)
DEFAULT_TABLE_NAME: Final = "outbox_entries"


@dataclass(frozen=True)
class OutboxTables:
    """The tables of one outbox; pass it to :class:`~yrkesresan_lti.outbox.Outbox`."""

    entries: Table


def define_outbox_tables(
    metadata: MetaData, *, table_name: str = DEFAULT_TABLE_NAME
) -> OutboxTables:
    """Add the outbox table to ``metadata`` (idempotent per metadata) and return it."""
    existing = metadata.tables.get(table_name)
    if existing is not None:
        return OutboxTables(entries=existing)
    entries = Table(
        table_name,
        metadata,
        Column(
            "id",
            BigInteger().with_variant(Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        Column("target", String(100), nullable=False),
        Column("kind", String(100), nullable=False),
        Column("dedupe_id", String(255), nullable=False),
        Column("payload", LargeBinary(), nullable=False),
        Column("status", String(16), nullable=False, default=PENDING),
        Column("attempts", Integer(), nullable=False, default=0),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("next_attempt_at", UtcDateTime(), nullable=False),
        Column("claim_token", String(64), nullable=True),
        Column("last_error", Text(), nullable=True),
        Column("delivered_at", UtcDateTime(), nullable=True),
        CheckConstraint(
            "status IN ('pending', 'delivered', 'dead')", name=f"ck_{table_name}_status"
        ),
    )
    Index(f"ix_{table_name}_claim", entries.c.status, entries.c.next_attempt_at)
    Index(f"ix_{table_name}_target_status", entries.c.target, entries.c.status)
    Index(f"ix_{table_name}_dedupe_id", entries.c.dedupe_id)
    return OutboxTables(entries=entries)
