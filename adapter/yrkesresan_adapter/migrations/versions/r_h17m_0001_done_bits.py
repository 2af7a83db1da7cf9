"""Everyone's done tasks as bits, kept by triggers (yrkesresan_adapter.pages.done_bits).

``page_task_numbers`` (a number per task IRI of a context) and ``page_done_bits`` (per
person and word of 63 task numbers, the done tasks' bits), the triggers on
``page_task_states`` that keep them in every transaction that writes a task state, and the
backfill from the task states already stored. The triggers are created before the backfill:
on PostgreSQL creating them waits for transactions writing task states and holds off new
ones until this commits, so no click falls between the backfill and the triggers.

Revision ID: h17m_0001
Revises: h15_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from yrkesresan_adapter.pages.done_bits import (
    backfill_statements,
    drop_statements,
    trigger_statements,
)

revision: str = "h17m_0001"
down_revision: str | None = "h15_0001"
branch_labels: str | None = None
depends_on: str | None = None

SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


def _scope_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("issuer", sa.String(length=1024), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "page_task_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope_columns(),
        sa.Column("task_iri", sa.String(length=1024), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_task_numbers")),
        sa.UniqueConstraint(*SCOPE, "task_iri", name="uq_page_task_numbers_scope_task"),
        sa.UniqueConstraint(*SCOPE, "number", name="uq_page_task_numbers_scope_number"),
    )
    op.create_table(
        "page_done_bits",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope_columns(),
        sa.Column("user_sub", sa.String(length=255), nullable=False),
        sa.Column("word", sa.Integer(), nullable=False),
        sa.Column("bits", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_done_bits")),
        sa.UniqueConstraint(*SCOPE, "user_sub", "word", name="uq_page_done_bits_scope_word"),
    )
    dialect = op.get_bind().dialect.name
    for statement in trigger_statements(dialect) + backfill_statements():
        op.execute(sa.text(statement))


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(sa.text(statement))
    op.drop_table("page_done_bits")
    op.drop_table("page_task_numbers")
