"""The statistics ledger (yrkesresan_adapter.stats.schema).

Revision ID: h14s_0001
Revises: h14m_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "h14s_0001"
down_revision: str | None = "h14m_0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
IRI = 1024


def key_text(length: int) -> sa.types.TypeEngine[str]:
    """Text compared byte by byte on PostgreSQL (COLLATE "C"), as the schema says."""
    return sa.String(length=length).with_variant(
        sa.String(length=length, collation="C"), "postgresql"
    )


def _dimensions() -> list[sa.Column[object]]:
    return [
        sa.Column("learner", sa.BigInteger(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("municipality", key_text(4), nullable=False),
        sa.Column("county", key_text(2), nullable=False),
        sa.Column("journey", key_text(IRI), nullable=False),
        sa.Column("course", key_text(IRI), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "stats_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", key_text(36), nullable=False),
        sa.Column("kind", key_text(16), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        *_dimensions(),
        sa.Column("occasion", sa.BigInteger(), nullable=False),
        sa.Column("object", key_text(IRI), nullable=False),
        sa.Column("object_id", sa.BigInteger(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_events")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_stats_events_statement_id")),
    )
    op.create_index("ix_stats_events_kind_year", "stats_events", ["kind", "year"])
    op.create_index("ix_stats_events_learner", "stats_events", ["learner"])
    op.create_table(
        "stats_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        *_dimensions(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_activity")),
        sa.UniqueConstraint("key", name=op.f("uq_stats_activity_key")),
    )
    op.create_index("ix_stats_activity_year", "stats_activity", ["year"])
    op.create_index("ix_stats_activity_learner", "stats_activity", ["learner"])


def downgrade() -> None:
    op.drop_table("stats_activity")
    op.drop_table("stats_events")
