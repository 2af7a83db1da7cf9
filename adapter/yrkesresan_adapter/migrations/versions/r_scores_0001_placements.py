"""AGS placements per learner and the newest score per (line item, learner).

Tables ``ags_placements`` (yrkesresan_adapter.advantage.schema) and ``ags_score_heads``
(yrkesresan_lti.lti.advantage.score_heads).

Revision ID: scores_0001
Revises: pages_0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "scores_0001"
down_revision: str | None = "pages_0004"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def upgrade() -> None:
    op.create_table(
        "ags_placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
        sa.Column("resource_link_id", sa.String(length=255), nullable=False),
        sa.Column("lineitem_url", sa.String(length=2048), nullable=False),
        sa.Column("node_iri", sa.String(length=1024), nullable=False),
        sa.Column("launched_at", UTC_DATETIME, nullable=False),
        sa.Column("gone_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ags_placements")),
        sa.UniqueConstraint(*SCOPE, "user_sub", "resource_link_id", name="uq_ags_placements_link"),
    )
    op.create_index(
        "ix_ags_placements_lineitem", "ags_placements", ["issuer", "client_id", "lineitem_url"]
    )
    op.create_table(
        "ags_score_heads",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("head_id", sa.String(length=255), nullable=False),
        sa.Column("last_sent_at", UTC_DATETIME, nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ags_score_heads")),
    )


def downgrade() -> None:
    op.drop_table("ags_score_heads")
    op.drop_index("ix_ags_placements_lineitem", table_name="ags_placements")
    op.drop_table("ags_placements")
