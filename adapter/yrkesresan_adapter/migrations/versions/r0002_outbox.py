"""The xAPI outbox (yrkesresan_lti.outbox.schema, table outbox_entries).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_entries",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("dedupe_id", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'dead')", name="ck_outbox_entries_status"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_entries")),
    )
    op.create_index("ix_outbox_entries_claim", "outbox_entries", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_entries_target_status", "outbox_entries", ["target", "status"])
    op.create_index("ix_outbox_entries_dedupe_id", "outbox_entries", ["dedupe_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_entries_dedupe_id", table_name="outbox_entries")
    op.drop_index("ix_outbox_entries_target_status", table_name="outbox_entries")
    op.drop_index("ix_outbox_entries_claim", table_name="outbox_entries")
    op.drop_table("outbox_entries")
