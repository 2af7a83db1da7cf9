"""Everyone's done tasks as bits, kept by triggers (yrkesresan_adapter.pages.done_bits).

The triggers' SQL and the backfill are frozen here as they were when this revision was
written; the live ``yrkesresan_adapter.pages.done_bits`` may change with later revisions.

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

revision: str = "h17m_0001"
down_revision: str | None = "h15_0001"
branch_labels: str | None = None
depends_on: str | None = None

SCOPE = ("issuer", "client_id", "deployment_id", "context_id")
NUMBERS = "page_task_numbers"
BITS = "page_done_bits"
TRIGGER = "page_task_states_bits"
WORD = 63
LOCK_CLASS = 0x59524B54


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


def _same_scope(row: str, *, table: str = "") -> str:
    prefix = f"{table}." if table else ""
    return " AND ".join(f"{prefix}{c} = {row}.{c}" for c in SCOPE)


def _number_of(row: str) -> str:
    where = f"{_same_scope(row)} AND task_iri = {row}.task_iri"
    return f"(SELECT number FROM {NUMBERS} WHERE {where})"  # noqa: S608 - constant names only


def _new_number(when: str = "") -> str:
    """Give NEW's task IRI the context's next number, unless it has one."""
    scope = ", ".join(f"NEW.{c}" for c in SCOPE)
    return (
        f"INSERT INTO {NUMBERS} ({', '.join(SCOPE)}, task_iri, number) "  # noqa: S608 - constant names only
        f"SELECT {scope}, NEW.task_iri, next_number FROM ("
        f"SELECT coalesce(max(number) + 1, 0) AS next_number FROM {NUMBERS} "
        f"WHERE {_same_scope('NEW')}) AS candidate "
        f"WHERE NOT EXISTS (SELECT 1 FROM {NUMBERS} WHERE {_same_scope('NEW')} "
        f"AND task_iri = NEW.task_iri){when}"
    )


def _set_bit(when: str = "") -> str:
    """Set NEW's bit (its number must exist)."""
    scope = ", ".join(f"NEW.{c}" for c in SCOPE)
    return (
        f"INSERT INTO {BITS} ({', '.join(SCOPE)}, user_sub, word, bits) "  # noqa: S608 - constant names only
        f"SELECT {scope}, NEW.user_sub, number / {WORD}, CAST(1 AS BIGINT) << (number % {WORD}) "
        f"FROM {NUMBERS} WHERE {_same_scope('NEW')} AND task_iri = NEW.task_iri{when} "
        f"ON CONFLICT ({', '.join(SCOPE)}, user_sub, word) "
        f"DO UPDATE SET bits = {BITS}.bits | excluded.bits"
    )


def _clear_bit(when: str = "") -> str:
    """Clear OLD's bit."""
    number = _number_of("OLD")
    return (
        f"UPDATE {BITS} SET bits = bits & ~(CAST(1 AS BIGINT) << ({number} % {WORD})) "  # noqa: S608 - constant names only
        f"WHERE {_same_scope('OLD')} AND user_sub = OLD.user_sub "
        f"AND word = {number} / {WORD}{when}"
    )


_MOVED = ", ".join(("completed_at", "user_sub", "task_iri", *SCOPE))
"""The columns whose update can change a task state's bit."""


def _sqlite_triggers() -> list[str]:
    old_done, new_done = " AND OLD.completed_at IS NOT NULL", " AND NEW.completed_at IS NOT NULL"
    return [
        f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON page_task_states "
        f"WHEN NEW.completed_at IS NOT NULL BEGIN {_new_number()}; {_set_bit()}; END",
        # One trigger, in this order: clear the old bit, then set the new one (a done row
        # updated to another completion time keeps its bit).
        f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF {_MOVED} ON page_task_states "
        f"BEGIN {_clear_bit(old_done)}; {_new_number(new_done)}; {_set_bit(new_done)}; END",
        f"CREATE TRIGGER {TRIGGER}_delete AFTER DELETE ON page_task_states "
        f"WHEN OLD.completed_at IS NOT NULL BEGIN {_clear_bit()}; END",
    ]


def _postgresql_triggers() -> list[str]:
    key = " || chr(10) || ".join(f"NEW.{c}" for c in SCOPE)
    function = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.completed_at IS NOT NULL THEN
    {_clear_bit()};
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.completed_at IS NOT NULL THEN
    IF NOT EXISTS (SELECT 1 FROM {NUMBERS} WHERE {_same_scope("NEW")}
                   AND task_iri = NEW.task_iri) THEN
      PERFORM pg_advisory_xact_lock({LOCK_CLASS}, hashtext({key}));
      {_new_number()}
      ON CONFLICT DO NOTHING;
    END IF;
    {_set_bit()};
  END IF;
  RETURN NULL;
END $$"""  # noqa: S608 - constant names only
    return [
        function,
        f"CREATE TRIGGER {TRIGGER}_sync AFTER INSERT OR DELETE OR UPDATE OF {_MOVED} "
        f"ON page_task_states FOR EACH ROW EXECUTE FUNCTION {TRIGGER}_sync()",
    ]


def trigger_statements(dialect: str) -> list[str]:
    """The SQL that creates the triggers on ``dialect`` (``sqlite`` or ``postgresql``)."""
    return _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers()


def drop_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TRIGGER}_sync ON page_task_states",
            f"DROP FUNCTION IF EXISTS {TRIGGER}_sync()",
        ]
    return [f"DROP TRIGGER IF EXISTS {TRIGGER}_{op}" for op in ("insert", "update", "delete")]


def backfill_statements() -> list[str]:
    """Number every done task of every context and set everyone's bits from the task
    states (a sum of distinct powers of two is their ``|``): for the migration, on an
    empty ``page_task_numbers`` and ``page_done_bits``."""
    scope = ", ".join(SCOPE)
    joined = " AND ".join(f"n.{c} = s.{c}" for c in SCOPE)
    s_scope = ", ".join(f"s.{c}" for c in SCOPE)
    return [
        f"INSERT INTO {NUMBERS} ({scope}, task_iri, number) "  # noqa: S608 - constant names only
        f"SELECT {scope}, task_iri, "
        f"ROW_NUMBER() OVER (PARTITION BY {scope} ORDER BY task_iri) - 1 "
        f"FROM (SELECT DISTINCT {scope}, task_iri FROM page_task_states "
        f"WHERE completed_at IS NOT NULL) AS done",
        f"INSERT INTO {BITS} ({scope}, user_sub, word, bits) "  # noqa: S608 - constant names only
        f"SELECT {s_scope}, s.user_sub, n.number / {WORD}, "
        f"CAST(SUM(CAST(1 AS BIGINT) << (n.number % {WORD})) AS BIGINT) "
        f"FROM page_task_states AS s JOIN {NUMBERS} AS n "
        f"ON {joined} AND n.task_iri = s.task_iri "
        f"WHERE s.completed_at IS NOT NULL "
        f"GROUP BY {s_scope}, s.user_sub, n.number / {WORD}",
    ]
