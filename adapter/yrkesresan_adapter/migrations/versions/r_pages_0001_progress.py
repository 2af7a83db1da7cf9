"""The pages' tables (yrkesresan_adapter.pages.schema): learners and task states.

Revision ID: pages_0001
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "pages_0001"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def _scope_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "page_learners",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope_columns(),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("first_seen_at", UTC_DATETIME, nullable=False),
        sa.Column("last_activity_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_learners")),
        sa.UniqueConstraint(*SCOPE, "user_sub", name="uq_page_learners_scope_user"),
    )
    op.create_table(
        "page_task_states",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope_columns(),
        sa.Column("task_iri", sa.String(length=1024), nullable=False),
        sa.Column("opened_at", UTC_DATETIME, nullable=True),
        sa.Column("completed_at", UTC_DATETIME, nullable=True),
        sa.Column("statement_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_task_states")),
        sa.UniqueConstraint(*SCOPE, "user_sub", "task_iri", name="uq_page_task_states_scope_task"),
    )


def downgrade() -> None:
    op.drop_table("page_task_states")
    op.drop_table("page_learners")
