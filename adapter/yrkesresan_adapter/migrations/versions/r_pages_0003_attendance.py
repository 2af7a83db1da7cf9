"""Attendance on course days (yrkesresan_adapter.pages.attendance.schema).

Revision ID: pages_0003
Revises: pages_0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "pages_0003"
down_revision: str | None = "pages_0002"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def upgrade() -> None:
    op.create_table(
        "page_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("day_iri", sa.String(length=1024), nullable=False),
        sa.Column("recorded_at", UTC_DATETIME, nullable=False),
        sa.Column("recorded_by", sa.String(length=255), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_attendance")),
        sa.UniqueConstraint(*SCOPE, "user_sub", "day_iri", name="uq_page_attendance_scope_day"),
    )
    op.create_index("ix_page_attendance_occasion_iri", "page_attendance", ["occasion_iri"])


def downgrade() -> None:
    op.drop_index("ix_page_attendance_occasion_iri", table_name="page_attendance")
    op.drop_table("page_attendance")
