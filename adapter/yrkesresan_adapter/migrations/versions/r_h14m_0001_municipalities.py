"""Municipalities (SCB kommunkod) of platforms, deployments and LMS contexts.

Table ``lti_municipalities`` (yrkesresan_adapter.storage.models.MunicipalityAssignment).

Revision ID: h14m_0001
Revises: perf_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "h14m_0001"
down_revision: str | None = "perf_0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "lti_municipalities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("municipality_code", sa.String(length=4), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["platform_id"],
            ["lti_platforms.id"],
            name=op.f("fk_lti_municipalities_platform_id_lti_platforms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_municipalities")),
        sa.UniqueConstraint(
            "platform_id",
            "deployment_id",
            "context_id",
            name=op.f("uq_lti_municipalities_platform_id_deployment_id_context_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("lti_municipalities")
