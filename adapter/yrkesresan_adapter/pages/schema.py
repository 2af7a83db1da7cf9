"""The pages' own tables: who launched where, and each learner's task states.

Defined on any :class:`~sqlalchemy.MetaData` by :func:`define_progress_tables` (the
adapter's shared metadata in :mod:`yrkesresan_adapter.storage.models`; Alembic revision
``pages_0001`` creates them). Every row is scoped by the tenant (issuer, client_id,
deployment_id) and the LMS context, so a manager's queries can only ever see their own
platform, deployment and course.

``page_learners``
    One row per (tenant, context, LTI ``sub``): the display name the LMS sent, the LTI
    role, the first launch and the last activity (launch, task opened, done or undone),
    and ``staff_launched_at``, the last launch in a staff role (Instructor, Administrator…;
    kept when a later launch says Learner), so staff lists leave out course staff whom the
    LMS roster calls Learner (Moodle's non-editing teachers). Revision ``pages_0004``.
``page_task_states``
    One row per (tenant, context, ``sub``, task IRI): ``opened_at`` (first *experienced*),
    ``completed_at`` (NULL when not done) and ``statement_id``, the id of the *completed*
    statement, so that undo can void exactly that statement. The partial index
    ``ix_page_task_states_done`` (revision ``perf_0001``) holds only the completed ones: the
    manager's page reads everyone's completed tasks from it without touching the table.
``page_task_numbers``, ``page_done_bits``
    Everyone's done tasks as one bit per task, kept by triggers on ``page_task_states`` in
    the same transaction (:mod:`yrkesresan_adapter.pages.done_bits`, revision
    ``h17m_0001``): the manager's page reads these instead of every completed task row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, UniqueConstraint, text

from yrkesresan_adapter.pages.done_bits import attach_triggers, define_done_bits_tables
from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.scope import SCOPE, scope_columns
from yrkesresan_lti.sqltypes import UtcDateTime

LEARNERS = "page_learners"
TASK_STATES = "page_task_states"


@dataclass(frozen=True)
class ProgressTables:
    learners: Table
    task_states: Table
    task_numbers: Table
    done_bits: Table


def define_progress_tables(metadata: MetaData) -> ProgressTables:
    """Add the pages' tables to ``metadata`` (idempotent per metadata) and return them."""
    if LEARNERS in metadata.tables:
        return ProgressTables(
            metadata.tables[LEARNERS],
            metadata.tables[TASK_STATES],
            *define_done_bits_tables(metadata),
        )
    learners = Table(
        LEARNERS,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("name", String(255), nullable=True),
        Column("role", String(32), nullable=False),
        Column("first_seen_at", UtcDateTime(), nullable=False),
        Column("last_activity_at", UtcDateTime(), nullable=False),
        Column("staff_launched_at", UtcDateTime(), nullable=True),
        UniqueConstraint(*SCOPE, "user_sub", name=f"uq_{LEARNERS}_scope_user"),
    )
    task_states = Table(
        TASK_STATES,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("task_iri", String(1024), nullable=False),
        Column("opened_at", UtcDateTime(), nullable=True),
        Column("completed_at", UtcDateTime(), nullable=True),
        Column("statement_id", String(36), nullable=True),
        Column("updated_at", UtcDateTime(), nullable=False),
        UniqueConstraint(*SCOPE, "user_sub", "task_iri", name=f"uq_{TASK_STATES}_scope_task"),
    )
    done = text("completed_at IS NOT NULL")
    Index(
        f"ix_{TASK_STATES}_done",
        *(task_states.c[name] for name in (*SCOPE, "user_sub", "task_iri")),
        sqlite_where=done,
        postgresql_where=done,
    )
    attach_triggers(task_states)
    numbers, bits = define_done_bits_tables(metadata)
    return ProgressTables(learners, task_states, numbers, bits)


progress_tables: ProgressTables = define_progress_tables(metadata)
"""The pages' tables on the adapter's shared metadata."""
