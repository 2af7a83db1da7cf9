"""Occasions as operational data: plans, days, trainers, waiting list, notices, audit trail.

Tables of yrkesresan_adapter.pages.occasions.plan_schema. The catalog file's occasions are
imported into them on the adapter's first request (``PlannedOccasions.seed``), keeping
their IRIs.

Revision ID: occasions_0001
Revises: scores_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "occasions_0001"
down_revision: str | None = "scores_0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def _scope() -> list[sa.Column[str]]:
    return [
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "occasion_plans",
        sa.Column("iri", sa.String(length=1024), nullable=False),
        sa.Column("course_iri", sa.String(length=1024), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.Column("place", sa.String(length=255), nullable=True),
        sa.Column("meeting_url", sa.String(length=2048), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_deadline", sa.Date(), nullable=False),
        sa.Column("municipalities", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("iri", name=op.f("pk_occasion_plans")),
    )
    op.create_index("ix_occasion_plans_course_iri", "occasion_plans", ["course_iri"])
    op.create_table(
        "occasion_plan_days",
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("day_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("occasion_iri", "number", name=op.f("pk_occasion_plan_days")),
    )
    op.create_table(
        "occasion_plan_trainers",
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("trainer_key", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "occasion_iri", "trainer_key", name=op.f("pk_occasion_plan_trainers")
        ),
    )
    op.create_table(
        "occasion_trainers",
        sa.Column("trainer_key", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=255), nullable=False),
        sa.Column("trainer_name", sa.String(length=255), nullable=False),
        sa.Column("trainer_email", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("trainer_key", name=op.f("pk_occasion_trainers")),
    )
    op.create_table(
        "page_occasion_waiting",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope(),
        sa.Column("course_iri", sa.String(length=1024), nullable=False),
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("added_at", UTC_DATETIME, nullable=False),
        sa.Column("added_by", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_occasion_waiting")),
        sa.UniqueConstraint(*SCOPE, "user_sub", "occasion_iri", name="uq_page_occasion_waiting"),
    )
    op.create_index(
        "ix_page_occasion_waiting_occasion_iri", "page_occasion_waiting", ["occasion_iri"]
    )
    op.create_table(
        "page_occasion_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope(),
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("read_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_occasion_notices")),
    )
    op.create_index(
        "ix_page_occasion_notices_user",
        "page_occasion_notices",
        ["issuer", "deployment_id", "user_sub"],
    )
    op.create_table(
        "occasion_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor_issuer", sa.String(length=1024), nullable=True),
        sa.Column("actor_client_id", sa.String(length=255), nullable=True),
        sa.Column("actor_deployment_id", sa.String(length=255), nullable=True),
        sa.Column("actor_sub", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occasion_audit")),
    )
    op.create_index("ix_occasion_audit_occasion_iri", "occasion_audit", ["occasion_iri"])


def downgrade() -> None:
    op.drop_index("ix_occasion_audit_occasion_iri", table_name="occasion_audit")
    op.drop_table("occasion_audit")
    op.drop_index("ix_page_occasion_notices_user", table_name="page_occasion_notices")
    op.drop_table("page_occasion_notices")
    op.drop_index("ix_page_occasion_waiting_occasion_iri", table_name="page_occasion_waiting")
    op.drop_table("page_occasion_waiting")
    op.drop_table("occasion_trainers")
    op.drop_table("occasion_plan_trainers")
    op.drop_table("occasion_plan_days")
    op.drop_index("ix_occasion_plans_course_iri", table_name="occasion_plans")
    op.drop_table("occasion_plans")
