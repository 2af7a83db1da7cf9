"""The application side of the outbox: enqueue in your transaction, inspect, repair.

``Outbox.enqueue`` writes into the connection or session you pass, inside *your*
transaction: a learner's action and its statements commit together or not at all.
Delivery is done by :class:`~yrkesresan_lti.outbox.worker.OutboxWorker`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, MetaData, delete, func, insert, select, update
from sqlalchemy.orm import Session

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import OutboxError

from .events import NO_OUTBOX_EVENTS, OutboxEvents
from .schema import DEAD, DELIVERED, PENDING, OutboxTables, define_outbox_tables

XAPI_STATEMENT = "xapi-statement"
Database = Connection | Session


class Payload(NamedTuple):
    """Bytes to deliver and the id the receiver dedupes on (a statement's ``id``)."""

    dedupe_id: str
    body: bytes

    @classmethod
    def of(cls, body: bytes | Payload) -> Payload:
        """``body`` as is, or bytes of a JSON object whose ``"id"`` is the dedupe id."""
        if isinstance(body, Payload):
            return body
        try:
            return cls(str(json.loads(body)["id"]), bytes(body))
        except (ValueError, KeyError, TypeError) as err:
            raise OutboxError(
                "the outbox takes JSON objects with an 'id', or Payload(id, bytes)"
            ) from err


@dataclass(frozen=True)
class TargetStatus:
    """Entry counts of one delivery target, and when its oldest pending entry was made."""

    target: str
    pending: int = 0
    delivered: int = 0
    dead: int = 0
    oldest_pending: datetime | None = None


@dataclass(frozen=True)
class OutboxStatus:
    """The outbox per target (``yrkesresan outbox status``, ``/readyz``)."""

    targets: dict[str, TargetStatus] = field(default_factory=dict)

    @property
    def pending(self) -> int:
        """Entries waiting for delivery, over all targets."""
        return sum(t.pending for t in self.targets.values())

    def oldest_pending_age(self, now: datetime) -> timedelta | None:
        """How long the oldest pending entry has waited at ``now``; ``None`` if none waits."""
        oldest = [t.oldest_pending for t in self.targets.values() if t.oldest_pending]
        return now - min(oldest) if oldest else None


class Outbox:
    """Enqueue payloads for delivery targets; count, retry and purge entries."""

    def __init__(
        self,
        tables: OutboxTables | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        events: OutboxEvents = NO_OUTBOX_EVENTS,
    ) -> None:
        self.tables = tables or define_outbox_tables(MetaData())
        self.clock = clock
        self.events = events
        # Built once: a fresh INSERT per click costs more than running it (cache key,
        # dialect options).
        self._insert = insert(self.tables.entries).inline()  # no ``RETURNING id`` of one entry

    def enqueue(
        self,
        db: Database,
        payloads: Iterable[bytes | Payload],
        targets: Sequence[str],
        *,
        kind: str = XAPI_STATEMENT,
    ) -> int:
        """Add one entry per (payload, target) in the caller's transaction; returns count."""
        items = [Payload.of(p) for p in payloads]
        rows = self.rows(items, targets, kind=kind)
        if rows:
            db.execute(self._insert, rows)
            self.announce(targets, kind, len(items))
        return len(rows)

    def rows(
        self, payloads: Sequence[Payload], targets: Sequence[str], *, kind: str = XAPI_STATEMENT
    ) -> list[dict[str, object]]:
        """The entries :meth:`enqueue` inserts into ``tables.entries``, as rows, for a
        caller that inserts them in a statement of its own (then :meth:`announce` them)."""
        now = self.clock.now()
        return [
            {
                "target": target,
                "kind": kind,
                "dedupe_id": item.dedupe_id,
                "payload": item.body,
                "status": PENDING,
                "attempts": 0,
                "created_at": now,
                "next_attempt_at": now,
            }
            for item in payloads
            for target in dict.fromkeys(targets)
        ]

    def announce(self, targets: Sequence[str], kind: str, count: int) -> None:
        """Tell the events that ``count`` payloads were enqueued for each of ``targets``."""
        for target in dict.fromkeys(targets):
            self.events.enqueued(target, kind, count)

    def status(self, db: Database) -> OutboxStatus:
        """Pending, delivered and dead entries per target, and the oldest pending."""
        return self._status(db, backlog_only=False)

    def backlog(self, db: Database) -> OutboxStatus:
        """Like :meth:`status` without counting delivered entries (cheap: it reads only
        pending and dead ones, through the status index)."""
        return self._status(db, backlog_only=True)

    def _status(self, db: Database, *, backlog_only: bool) -> OutboxStatus:
        t = self.tables.entries
        query = select(t.c.target, t.c.status, func.count(), func.min(t.c.created_at)).group_by(
            t.c.target, t.c.status
        )
        if backlog_only:
            query = query.where(t.c.status.in_([PENDING, DEAD]))
        counts: dict[str, dict[str, int]] = {}
        oldest: dict[str, datetime] = {}
        for target, status, count, first in db.execute(query):
            counts.setdefault(target, {})[status] = count
            if status == PENDING and first is not None:
                oldest[target] = first
        return OutboxStatus(
            {
                name: TargetStatus(
                    name,
                    pending=by.get(PENDING, 0),
                    delivered=by.get(DELIVERED, 0),
                    dead=by.get(DEAD, 0),
                    oldest_pending=oldest.get(name),
                )
                for name, by in sorted(counts.items())
            }
        )

    def retry_dead(self, db: Database, target: str | None = None) -> int:
        """Give dead entries (of one target) a fresh set of attempts; returns count."""
        t = self.tables.entries
        query = update(t).where(t.c.status == DEAD)
        if target is not None:
            query = query.where(t.c.target == target)
        values = {"status": PENDING, "attempts": 0, "next_attempt_at": self.clock.now()}
        return _rowcount(db.execute(query.values(claim_token=None, **values)))

    def purge_delivered(self, db: Database, older_than: timedelta) -> int:
        """Delete entries delivered more than ``older_than`` ago; returns count."""
        t = self.tables.entries
        cutoff = self.clock.now() - older_than
        query = delete(t).where(t.c.status == DELIVERED, t.c.delivered_at < cutoff)
        return _rowcount(db.execute(query))

    def make_due(self, db: Database, targets: Sequence[str]) -> int:
        """Make waiting (not leased) pending entries due now, e.g. for a manual flush."""
        t = self.tables.entries
        now = self.clock.now()
        query = (
            update(t)
            .where(t.c.status == PENDING, t.c.next_attempt_at > now, t.c.claim_token.is_(None))
            .where(t.c.target.in_(list(targets)))
            .values(next_attempt_at=now)
        )
        return _rowcount(db.execute(query))

    def due_count(self, db: Database, targets: Sequence[str]) -> int:
        t = self.tables.entries
        query = select(func.count()).where(
            t.c.status == PENDING, t.c.next_attempt_at <= self.clock.now(), t.c.target.in_(targets)
        )
        return int(db.execute(query).scalar_one())


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
