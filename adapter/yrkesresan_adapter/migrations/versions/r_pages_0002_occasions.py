"""Registrations for course occasions (yrkesresan_adapter.pages.occasions.schema).

Revision ID: pages_0002
Revises: pages_0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "pages_0002"
down_revision: str | None = "pages_0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def upgrade() -> None:
    op.create_table(
        "page_occasion_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
        sa.Column("course_iri", sa.String(length=1024), nullable=False),
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("registered_at", UTC_DATETIME, nullable=False),
        sa.Column("registered_by", sa.String(length=255), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_occasion_registrations")),
        sa.UniqueConstraint(
            *SCOPE, "user_sub", "course_iri", name="uq_page_occasion_registrations_scope_course"
        ),
    )
    op.create_index(
        "ix_page_occasion_registrations_occasion_iri",
        "page_occasion_registrations",
        ["occasion_iri"],
    )
    op.create_table(
        "page_occasion_locks",
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("occasion_iri", name=op.f("pk_page_occasion_locks")),
    )


def downgrade() -> None:
    op.drop_table("page_occasion_locks")
    op.drop_index(
        "ix_page_occasion_registrations_occasion_iri", table_name="page_occasion_registrations"
    )
    op.drop_table("page_occasion_registrations")
