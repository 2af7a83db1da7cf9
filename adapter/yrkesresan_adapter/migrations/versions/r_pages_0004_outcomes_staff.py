"""Unvoided goal/course statements (yrkesresan_adapter.pages.outcomes) and who has
launched as staff (``page_learners.staff_launched_at``).

Revision ID: pages_0004
Revises: pages_0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "pages_0004"
down_revision: str | None = "pages_0003"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def upgrade() -> None:
    op.create_table(
        "page_outcome_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
        sa.Column("node_iri", sa.String(length=1024), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_outcome_statements")),
        sa.UniqueConstraint(
            *SCOPE, "user_sub", "node_iri", name="uq_page_outcome_statements_scope_node"
        ),
    )
    with op.batch_alter_table("page_learners") as batch:
        batch.add_column(sa.Column("staff_launched_at", UTC_DATETIME, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("page_learners") as batch:
        batch.drop_column("staff_launched_at")
    op.drop_table("page_outcome_statements")
