"""Course evaluations (yrkesresan_adapter.pages.evaluation.schema).

Revision ID: reports_0001
Revises: occasions_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "reports_0001"
down_revision: str | None = "occasions_0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_DATETIME = sa.DateTime(timezone=True)
SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def upgrade() -> None:
    op.create_table(
        "page_evaluation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
        sa.Column("course_iri", sa.String(length=1024), nullable=False),
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("first_answered_at", UTC_DATETIME, nullable=False),
        sa.Column("answered_at", UTC_DATETIME, nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("comment_key", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_evaluation_answers")),
        sa.UniqueConstraint(
            *SCOPE,
            "user_sub",
            "course_iri",
            "question",
            name="uq_page_evaluation_answers_person_question",
        ),
    )
    op.create_table(
        "page_evaluation_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("course_iri", sa.String(length=1024), nullable=False),
        sa.Column("occasion_iri", sa.String(length=1024), nullable=False),
        sa.Column("comment_key", sa.String(length=36), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_evaluation_comments")),
        sa.UniqueConstraint("comment_key", name=op.f("uq_page_evaluation_comments_comment_key")),
    )


def downgrade() -> None:
    op.drop_table("page_evaluation_comments")
    op.drop_table("page_evaluation_answers")
