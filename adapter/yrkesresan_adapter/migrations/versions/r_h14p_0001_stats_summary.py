"""The statistics summary (yrkesresan_adapter.stats.summary), backfilled from the ledger.

Revision ID: h14p_0001
Revises: h17m_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from yrkesresan_adapter.stats.rebuild import rebuild
from yrkesresan_adapter.stats.schema import define_stats_tables

revision: str = "h14p_0001"
down_revision: str | None = "h17m_0001"
branch_labels: str | None = None
depends_on: str | None = None

IRI = 1024


def key_text(length: int) -> sa.types.TypeEngine[str]:
    """Text compared byte by byte on PostgreSQL (COLLATE "C"), as the schema says."""
    return sa.String(length=length).with_variant(
        sa.String(length=length, collation="C"), "postgresql"
    )


def _unit_key() -> list[sa.Column[object]]:
    return [
        sa.Column("figure", key_text(16), nullable=False),
        sa.Column("learner", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.BigInteger(), nullable=False),
        sa.Column("extra", key_text(IRI), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("grouping", key_text(12), nullable=False),
        sa.Column("gkey", key_text(IRI), nullable=False),
    ]


UNIT_KEY = ("figure", "learner", "unit", "extra", "year", "grouping", "gkey")


def upgrade() -> None:
    op.create_index("ix_stats_events_occasion", "stats_events", ["occasion"])
    op.create_table(
        "stats_units",
        *_unit_key(),
        sa.Column("refs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*UNIT_KEY, name=op.f("pk_stats_units")),
    )
    op.create_table(
        "stats_latest",
        *_unit_key(),
        sa.Column("packed", sa.BigInteger(), nullable=False),
        sa.Column("prev", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint(*UNIT_KEY, name=op.f("pk_stats_latest")),
    )
    op.create_table(
        "stats_counts",
        sa.Column("figure", key_text(16), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("grouping", key_text(12), nullable=False),
        sa.Column("gkey", key_text(IRI), nullable=False),
        sa.Column("extra", key_text(IRI), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "figure", "year", "grouping", "gkey", "extra", name=op.f("pk_stats_counts")
        ),
    )
    # the ledger's rows as they are: the summary counts them (the tables as of this revision)
    rebuild(op.get_bind(), define_stats_tables(sa.MetaData()))


def downgrade() -> None:
    op.drop_table("stats_counts")
    op.drop_table("stats_latest")
    op.drop_table("stats_units")
    op.drop_index("ix_stats_events_occasion", table_name="stats_events")
