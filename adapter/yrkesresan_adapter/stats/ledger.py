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

from sqlalchemy import delete, insert

from yrkesresan_adapter.stats.events import Event, event_of
from yrkesresan_adapter.stats.schema import StatsTables, stats_tables
from yrkesresan_adapter.stats.summary import Summary
from yrkesresan_adapter.storage.scope import Executor, dialect_of, upsert_insert
from yrkesresan_lti.outbox.outbox import XAPI_STATEMENT, Outbox, Payload


class Ledger:
    """Keeps the events the figures count (see :mod:`.events`)."""

    def __init__(self, tables: StatsTables = stats_tables) -> None:
        self.tables = tables
        self.summary = Summary(tables)
        self._insert_events = insert(tables.events)
        self._activity_upserts: dict[str, Any] = {}  # by dialect, built once

    def record(self, db: Executor, statements: Iterable[Mapping[str, Any]]) -> None:
        """Add what ``statements`` count, and drop what they void, in ``db``'s transaction."""
        events = [event_of(s) for s in statements]
        if not events:
            return
        counted = [e.row() for e in events if e.kind is not None]
        if counted:
            db.execute(self._insert_events, counted)
        voided = [e.voids for e in events if e.voids]
        removed: list[Mapping[str, Any]] = []
        if voided:
            t = self.tables.events
            gone = delete(t).where(t.c.statement_id.in_(voided)).returning(*t.c)
            removed = [dict(r) for r in db.execute(gone).mappings()]
        self.summary.added(db, counted, self._activity(db, events))
        self.summary.removed(db, removed, [])

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

    def _activity(self, db: Executor, events: Sequence[Event]) -> list[Mapping[str, Any]]:
        """Insert the activity rows not there yet; return those inserted."""
        rows = {e.activity_key(): e.dimensions() for e in events}
        dialect = dialect_of(db)
        statement = self._activity_upserts.get(dialect)
        if statement is None:
            t = self.tables.activity
            statement = self._activity_upserts[dialect] = (
                upsert_insert(db, t).on_conflict_do_nothing(index_elements=["key"]).returning(*t.c)
            )
        values = [{"key": key, **values} for key, values in sorted(rows.items())]
        return [dict(r) for r in db.execute(statement, values).mappings()]


class RecordingOutbox(Outbox):
    """An :class:`~yrkesresan_lti.outbox.Outbox` that records every xAPI statement it
    enqueues in the statistics :class:`Ledger` as well (same transaction)."""

    def __init__(self, *args: Any, ledger: Ledger | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger = ledger or Ledger()

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
    ) -> int:
        """Like :meth:`enqueue` for statements already at hand as JSON (``payloads`` are
        their serialized bytes, in the same order): the ledger reads the objects instead of
        parsing the bytes again."""
        count = super().enqueue(db, payloads, targets)
        self.ledger.record(db, statements)
        return count
