"""Writing the statistics ledger (:mod:`.schema`) in the transaction of the action.

:class:`RecordingOutbox` is the pages' outbox: every xAPI statement it enqueues also goes
through :meth:`Ledger.record`, in the same transaction, so the figures can never disagree
with what the tool sent. Nothing else writes the ledger except erasure, which deletes a
person's rows (:mod:`yrkesresan_adapter.privacy`, through :meth:`Ledger.forget`). Both keep
the :class:`~.summary.Summary` in step, in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    LargeBinary,
    String,
    Text,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine

from yrkesresan_adapter.stats.events import event_of
from yrkesresan_adapter.stats.schema import StatsTables, stats_tables
from yrkesresan_adapter.stats.summary import Summary
from yrkesresan_adapter.storage.arrays import Array
from yrkesresan_adapter.storage.driver_statements import Precompiled
from yrkesresan_adapter.storage.scope import Along, Executor, dialect_of, upsert_insert
from yrkesresan_lti.outbox.outbox import XAPI_STATEMENT, Outbox, Payload


class Ledger:
    """Keeps the events the figures count (see :mod:`.events`)."""

    def __init__(self, tables: StatsTables = stats_tables) -> None:
        self.tables = tables
        self.summary = Summary(tables)
        self._insert_events = insert(tables.events).inline()  # no ``RETURNING id`` of one row
        self._activity_upserts: dict[str, Any] = {}  # by dialect, built once
        self._single_activity: dict[str, Precompiled] = {}  # the same, for one row
        self._carrying: dict[Any, Precompiled] = {}  # the upsert with ``along`` CTEs, built once
        self._events: Any = None  # the events' CTE, built once

    def record(
        self,
        db: Executor,
        statements: Iterable[Mapping[str, Any]],
        *,
        along: Sequence[tuple[Any, Mapping[str, Any]]] = (),
    ) -> bool:
        """Add what ``statements`` count, and drop what they void, in ``db``'s transaction.

        ``along``: data-modifying ``WITH``s (CTEs of ``INSERT``s on PostgreSQL, built
        once) and their parameters, to run in the same statement as the activity upsert, which
        then inserts the ledger rows too: one round trip for all. True when it ran; False,
        and the caller runs its write itself, when this call has no single activity row to
        carry it."""
        events = [event_of(s) for s in statements]
        if not events:
            return False
        counted = [e.row() for e in events if e.kind is not None]
        rows = {e.activity_key(): e.dimensions() for e in events}
        carried = bool(along) and len(rows) == 1
        if counted and not carried:
            db.execute(self._insert_events, counted)
        voided = [e.voids for e in events if e.voids]
        removed: list[Mapping[str, Any]] = []
        if voided:  # never one of ``counted``: those are new statements
            t = self.tables.events
            gone = delete(t).where(t.c.statement_id.in_(voided)).returning(*t.c)
            removed = [dict(r) for r in db.execute(gone).mappings()]
        inserted = self._activity(db, rows, along if carried else (), counted)
        self.summary.added(db, counted, inserted)
        self.summary.removed(db, removed, [])
        return carried

    def forget(
        self,
        db: Executor,
        events: Sequence[Mapping[str, Any]],
        activity: Sequence[Mapping[str, Any]],
    ) -> None:
        """Delete these rows of the ledger (a person's, on erasure) and what they count."""
        for table, rows in ((self.tables.events, events), (self.tables.activity, activity)):
            ids = [r["id"] for r in rows]
            for start in range(0, len(ids), 500):
                db.execute(delete(table).where(table.c.id.in_(ids[start : start + 500])))
        self.summary.removed(db, events, activity)

    def _activity(
        self,
        db: Executor,
        rows: Mapping[str, Mapping[str, Any]],
        along: Sequence[tuple[Any, Mapping[str, Any]]],
        events: Sequence[Mapping[str, Any]] = (),
    ) -> list[Mapping[str, Any]]:
        """Insert the activity rows (key → dimensions) not there yet; return those inserted.
        ``along``: see :meth:`record` (one row only); then the statement also inserts the
        ledger ``events`` (:meth:`_events_cte`), one round trip for all three."""
        dialect = dialect_of(db)
        statement = self._activity_upserts.get(dialect)
        if statement is None:
            t = self.tables.activity
            statement = self._activity_upserts[dialect] = (
                upsert_insert(db, t).on_conflict_do_nothing(index_elements=["key"]).returning(*t.c)
            )
        values = [{"key": key, **values} for key, values in sorted(rows.items())]
        if along:
            ctes = tuple(cte for cte, _ in along)
            key = (ctes, bool(events))
            carrying = self._carrying.get(key)
            if carrying is None:
                every = (*ctes, self._events_cte()) if events else ctes
                carrying = self._carrying[key] = Precompiled(statement.add_cte(*every))
            (single,) = values
            given = {**single, **(_event_arrays(events) if events else {})}
            for _, params in along:
                given.update(params)
            return [r._asdict() for r in carrying.all(db, given)]
        if len(values) == 1:  # a click's: one row, its SQL compiled once
            single_row = self._single_activity.get(dialect)
            if single_row is None:
                single_row = self._single_activity[dialect] = Precompiled(statement)
            return [r._asdict() for r in single_row.all(db, values[0])]
        return [dict(r) for r in db.execute(statement, values).mappings()]

    def _events_cte(self) -> Any:
        """``WITH ledger_events AS (INSERT INTO stats_events … SELECT … FROM unnest(…) WITH
        ORDINALITY … ORDER BY ordinality)``: the rows of :func:`~.events.StatsEvent.row`
        as one array per column (PostgreSQL; a statement text for any number of rows)."""
        if self._events is None:
            t = self.tables.events
            arrays = [
                bindparam(f"event_{c}", type_=Array(_element_type(t.c[c].type)))
                for c in EVENT_COLUMNS
            ]
            given = (
                func.unnest(*arrays)
                .table_valued(*EVENT_COLUMNS, with_ordinality="event_n")
                .render_derived(name="event_rows")
            )
            rows = select(*(given.c[c] for c in EVENT_COLUMNS)).order_by(given.c.event_n)
            insert_rows = postgresql.insert(t).from_select(list(EVENT_COLUMNS), rows)
            self._events = insert_rows.cte("ledger_events")
        return self._events


class RecordingOutbox(Outbox):
    """An :class:`~yrkesresan_lti.outbox.Outbox` that records every xAPI statement it
    enqueues in the statistics :class:`Ledger` as well (same transaction)."""

    def __init__(self, *args: Any, ledger: Ledger | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger = ledger or Ledger()
        self._entries: Any = None
        self._entry = Precompiled(insert(self.tables.entries))  # one row, SQLite

    def enqueue(
        self,
        db: Executor,
        payloads: Iterable[bytes | Payload],
        targets: Sequence[str],
        *,
        kind: str = XAPI_STATEMENT,
    ) -> int:
        items = [Payload.of(p) for p in payloads]
        count = super().enqueue(db, items, targets, kind=kind)
        if kind == XAPI_STATEMENT:
            self.ledger.record(db, [json.loads(item.body) for item in items])
        return count

    def enqueue_statements(
        self,
        db: Executor,
        statements: Sequence[Mapping[str, Any]],
        payloads: Sequence[Payload],
        targets: Sequence[str],
        *,
        along: Sequence[Along] = (),
    ) -> int:
        """Like :meth:`enqueue` for statements already at hand as JSON (``payloads`` are
        their serialized bytes, in the same order): the ledger reads the objects instead of
        parsing the bytes again. On PostgreSQL the entries' INSERT rides in the ledger's
        activity upsert (:meth:`Ledger.record`'s ``along``): one round trip for both; so do
        the caller's writes ``along`` (each runs alone where nothing carries it)."""
        rows = self.rows(payloads, targets)
        if not rows or dialect_of(db) != "postgresql":
            for row in rows:  # a click's two or three: each on the driver's cursor
                self._entry.first(db, row)
            if rows:
                self.announce(targets, XAPI_STATEMENT, len(payloads))
            self.ledger.record(db, statements)
            for write in along:
                write.alone(db)
            return len(rows)
        carried: list[tuple[Any, Mapping[str, Any]]] = [(self._entries_cte(), _entry_arrays(rows))]
        for write in along:
            carried += [(cte, write.params if i == 0 else {}) for i, cte in enumerate(write.ctes)]
        if not self.ledger.record(db, statements, along=carried):
            db.execute(self._insert, rows)
            for write in along:
                write.alone(db)
        else:
            for write in along:
                write.rode()
        self.announce(targets, XAPI_STATEMENT, len(payloads))
        return len(rows)

    def _entries_cte(self) -> Any:
        """``WITH xapi_entries AS (INSERT INTO outbox_entries … SELECT … FROM unnest(…) WITH
        ORDINALITY … ORDER BY ordinality)``: the entries of :meth:`Outbox.rows` as one array
        per varying column (a statement text for any number of rows), in their order."""
        if self._entries is None:
            t = self.tables.entries
            given = (
                func.unnest(
                    bindparam("entry_targets", type_=Array(Text())),
                    bindparam("entry_ids", type_=Array(Text())),
                    bindparam("entry_payloads", type_=Array(LargeBinary())),
                )
                .table_valued("target", "dedupe_id", "payload", with_ordinality="entry_n")
                .render_derived(name="entry_rows")
            )
            constant = {
                c: bindparam(f"entry_{c}", type_=t.c[c].type)
                for c in ("kind", "status", "attempts", "created_at", "next_attempt_at")
            }
            rows = select(
                given.c.target,
                constant["kind"],
                given.c.dedupe_id,
                given.c.payload,
                constant["status"],
                constant["attempts"],
                constant["created_at"],
                constant["next_attempt_at"],
            ).order_by(given.c.entry_n)
            columns = ["target", "kind", "dedupe_id", "payload", "status", "attempts"]
            columns += ["created_at", "next_attempt_at"]
            self._entries = postgresql.insert(t).from_select(columns, rows).cte("xapi_entries")
        return self._entries


EVENT_COLUMNS = (
    "statement_id",
    "kind",
    "at",
    "at_ms",
    "learner",
    "year",
    "municipality",
    "county",
    "journey",
    "course",
    "occasion",
    "object",
    "object_id",
    "rating",
    "seats",
)
"""The columns of a ledger row (:meth:`~.events.StatsEvent.row`), ``id`` left out."""


def _element_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """An array element type PostgreSQL assigns to a column of ``column_type``."""
    if isinstance(column_type, Integer):  # SmallInteger and BigInteger too
        return BigInteger()
    if isinstance(column_type, String):
        return Text()
    return column_type  # a time keeps its type (UtcDateTime checks that it is aware)


def _event_arrays(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The parameters of :meth:`Ledger._events_cte` for ``rows``."""
    return {f"event_{c}": [r[c] for r in rows] for c in EVENT_COLUMNS}


def _entry_arrays(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The parameters of :meth:`RecordingOutbox._entries_cte` for ``rows`` (all of one kind,
    status and time, as :meth:`Outbox.rows` makes them)."""
    first = rows[0]
    return {
        "entry_targets": [r["target"] for r in rows],
        "entry_ids": [r["dedupe_id"] for r in rows],
        "entry_payloads": [r["payload"] for r in rows],
        **{f"entry_{c}": first[c] for c in ("kind", "status", "attempts")},
        **{f"entry_{c}": first[c] for c in ("created_at", "next_attempt_at")},
    }
