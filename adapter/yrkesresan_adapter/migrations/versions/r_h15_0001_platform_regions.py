"""Which regions a platform coordinates: ``occasion_platform_regions``.

Table of yrkesresan_adapter.pages.occasions.regions (set with ``yrkesresan platform
set-region``); an administrator launching from a platform changes only the occasions of its
regions. No personal data.

Revision ID: h15_0001
Revises: h14s_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "h15_0001"
down_revision: str | None = "h14s_0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "occasion_platform_regions",
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("region", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint(
            "issuer", "client_id", "region", name=op.f("pk_occasion_platform_regions")
        ),
    )


def downgrade() -> None:
    op.drop_table("occasion_platform_regions")
