"""A partial index of the completed task states: the manager's page reads only it.

``ix_page_task_states_done`` on (tenant, context, ``user_sub``, ``task_iri``) WHERE
``completed_at IS NOT NULL`` covers the staff page's one grouped query (everyone's completed
tasks), so it no longer looks up every table row (a region of 5,000 staff has ~250,000).

Revision ID: perf_0001
Revises: reports_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "perf_0001"
down_revision: str | None = "reports_0001"
branch_labels: str | None = None
depends_on: str | None = None

SCOPE = ("issuer", "client_id", "deployment_id", "context_id")
DONE = sa.text("completed_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_page_task_states_done",
        "page_task_states",
        [*SCOPE, "user_sub", "task_iri"],
        sqlite_where=DONE,
        postgresql_where=DONE,
    )


def downgrade() -> None:
    op.drop_index("ix_page_task_states_done", table_name="page_task_states")
