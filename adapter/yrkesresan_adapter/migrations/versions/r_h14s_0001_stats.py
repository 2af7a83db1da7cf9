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


def _dimensions() -> list[sa.Column[object]]:
    return [
        sa.Column("learner", sa.String(length=64), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("municipality", sa.String(length=4), nullable=False),
        sa.Column("county", sa.String(length=2), nullable=False),
        sa.Column("journey", sa.String(length=IRI), nullable=False),
        sa.Column("course", sa.String(length=IRI), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "stats_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        *_dimensions(),
        sa.Column("occasion", sa.String(length=IRI), nullable=False),
        sa.Column("object", sa.String(length=IRI), nullable=False),
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
