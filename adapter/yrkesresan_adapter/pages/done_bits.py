"""Everyone's done tasks as bits, kept by the database in the transaction of each task state:
what the manager's page reads instead of every completed task row.

``page_task_numbers``
    A number per task IRI of an LMS context (0, 1, 2 … in the order its tasks are first
    done there), never changed or reused: a catalog revision that adds, removes or reorders
    tasks changes nothing here (the page maps the catalog's tasks to these numbers, and
    ignores numbers no longer in the catalog).
``page_done_bits``
    Per person and *word* (63 task numbers each): a BIGINT whose bit ``n % 63`` of word
    ``n // 63`` is set exactly when the person's task number ``n`` is done. A region of
    5,000 staff and 100 tasks has ~10,000 such rows, against ~250,000 completed task rows.

Triggers on ``page_task_states`` keep both, whatever writes the task states (a click, undo,
erasure, an import, SQL by hand): a row inserted or updated done sets its bit, a row updated
not done (or moved) or deleted clears it. A bit belongs to exactly one task state row (one
per person and task IRI), so the bits always equal a recomputation from the task states
(``tests/pages/test_done_bits.py``). On PostgreSQL the rare assignment of a new number takes
a transaction advisory lock per context, so concurrent first completions of different tasks
never get the same number; the bits themselves are set and cleared with ``|`` and ``&``
in one statement each, which concurrent clicks cannot interleave.

The triggers are created by Alembic revision ``h17m_0001`` and, for ``create_all``, after
``page_task_states`` is created (:func:`attach_triggers`). A later migration that rebuilds
``page_task_states`` on SQLite (Alembic's batch mode copies the table, and its triggers are
lost with the old one) must create them again, with their SQL frozen in that revision as
``h17m_0001`` freezes it (:func:`trigger_statements` gives today's SQL to copy).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    event,
    text,
)

from yrkesresan_adapter.storage.scope import SCOPE, scope_columns

NUMBERS = "page_task_numbers"
BITS = "page_done_bits"
TRIGGER = "page_task_states_bits"
"""The triggers' name (SQLite: ``…_insert``, ``…_update``, ``…_delete``)."""
WORD = 63
"""Task numbers per BIGINT word (63: every bit positive in a signed 64-bit integer)."""
LOCK_CLASS = 0x59524B54
"""First key of PostgreSQL's advisory lock while a context's new task number is assigned."""


def define_done_bits_tables(metadata: MetaData) -> tuple[Table, Table]:
    """``page_task_numbers`` and ``page_done_bits`` on ``metadata`` (idempotent)."""
    if NUMBERS in metadata.tables:
        return metadata.tables[NUMBERS], metadata.tables[BITS]
    numbers = Table(
        NUMBERS,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns()[: len(SCOPE)],
        Column("task_iri", String(1024), nullable=False),
        Column("number", Integer, nullable=False),
        UniqueConstraint(*SCOPE, "task_iri", name=f"uq_{NUMBERS}_scope_task"),
        UniqueConstraint(*SCOPE, "number", name=f"uq_{NUMBERS}_scope_number"),
    )
    bits = Table(
        BITS,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("word", Integer, nullable=False),
        Column("bits", BigInteger, nullable=False),
        UniqueConstraint(*SCOPE, "user_sub", "word", name=f"uq_{BITS}_scope_word"),
    )
    return numbers, bits


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


def attach_triggers(task_states: Table) -> None:
    """Create the triggers whenever ``task_states`` is created by ``create_all`` (call once
    per table)."""
    event.listen(task_states, "after_create", _create_triggers)


def _create_triggers(_table: Table, connection: Connection, **_: Any) -> None:
    for statement in trigger_statements(connection.dialect.name):
        connection.execute(text(statement))


class DoneTasks(Mapping[str, frozenset[str]]):
    """Everyone's done tasks of one context, as read from the bits: ``masks`` (``sub`` →
    an integer whose bit *n* is task number *n*) and ``numbers`` (task IRI → *n*). As a
    mapping: ``sub`` → the IRIs of their done tasks (decoded when asked for)."""

    def __init__(self, numbers: Mapping[str, int], masks: Mapping[str, int]) -> None:
        self.numbers = numbers
        self.masks = masks
        self._iris = {n: iri for iri, n in numbers.items()}

    def __getitem__(self, sub: str) -> frozenset[str]:
        return frozenset(self._iris[n] for n in set_bits(self.masks[sub]))

    def __iter__(self) -> Iterator[str]:
        return iter(self.masks)

    def __len__(self) -> int:
        return len(self.masks)


def set_bits(mask: int) -> Iterator[int]:
    """The positions of ``mask``'s set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low
