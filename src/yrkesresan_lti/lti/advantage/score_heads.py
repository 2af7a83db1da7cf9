"""Latest wins: per (line item, learner) the newest queued score, and the last timestamp sent.

Every AGS score enqueued for (platform, line item, learner) becomes that key's *head*, in
the transaction that enqueues it (:meth:`SqlScoreHeads.set_head`). The deliverer posts a
score only while it is the head (older queued scores are *superseded*: not sent), and keeps
the timestamps it sends strictly increasing in whole seconds (:meth:`ScoreHeads.record_sent`)
because Moodle 4.5 answers 409 to a score not later, in whole seconds, than the one on
record. The key is a hash: the table holds no LTI ``sub``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    bindparam,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.sqltypes import UtcDateTime

DEFAULT_TABLE_NAME = "ags_score_heads"
Database = Connection | Session


def head_key(issuer: str, client_id: str, lineitem_url: str, user_id: str) -> str:
    """The key of (platform, line item, learner): a SHA-256, so no ``sub`` is stored."""
    text = json.dumps([issuer, client_id, lineitem_url, user_id], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class HeadState:
    head_id: str | None
    """The dedupe id of the newest score enqueued for the key (None or "": none recorded)."""
    last_sent: datetime | None
    """The latest timestamp the platform accepted (or refused with 409) for the key."""

    def is_newest(self, score_id: str) -> bool:
        """True unless another score was enqueued for the key after ``score_id``."""
        return not self.head_id or self.head_id == score_id


class ScoreHeads(Protocol):
    """What the deliverer reads and records per key."""

    def state(self, key: str) -> HeadState: ...

    def record_sent(self, key: str, at: datetime) -> None:
        """Remember that the platform holds a score at ``at`` (keeps the latest)."""
        ...


def define_score_heads_table(metadata: MetaData, *, table_name: str = DEFAULT_TABLE_NAME) -> Table:
    """Add the heads table to ``metadata`` (idempotent per metadata) and return it."""
    existing = metadata.tables.get(table_name)
    if existing is not None:
        return existing
    return Table(
        table_name,
        metadata,
        Column("key", String(64), primary_key=True),
        Column("head_id", String(255), nullable=False),
        Column("last_sent_at", UtcDateTime(), nullable=True),
        Column("updated_at", UtcDateTime(), nullable=False),
    )


def _dialect(db: Database) -> str:
    return db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SqlScoreHeads:
    """:class:`ScoreHeads` on a table of :func:`define_score_heads_table`."""

    def __init__(self, engine: Engine, table: Table, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.engine = engine
        self.table = table
        self.clock = clock
        self._upserts: dict[str, Any] = {}

    def set_head(self, db: Database, key: str, score_id: str) -> None:
        """Make ``score_id`` the newest score of ``key``, in the caller's transaction."""
        db.execute(self.upsert(_dialect(db)), self.values(key, score_id))

    def upsert(self, dialect: str) -> Any:
        """:meth:`set_head`'s statement on ``dialect`` (bind :meth:`values`), built once per
        dialect: every click runs it."""
        if dialect not in self._upserts:
            module: Any = postgresql if dialect == "postgresql" else sqlite
            insert = module.insert(self.table).values(
                key=bindparam("key"),
                head_id=bindparam("head_id"),
                updated_at=bindparam("updated_at"),
            )
            self._upserts[dialect] = insert.on_conflict_do_update(
                index_elements=["key"],
                set_={"head_id": insert.excluded.head_id, "updated_at": insert.excluded.updated_at},
            )
        return self._upserts[dialect]

    def values(self, key: str, score_id: str) -> dict[str, Any]:
        """The parameters of :meth:`upsert` that make ``score_id`` the newest of ``key``."""
        return {"key": key, "head_id": score_id, "updated_at": self.clock.now()}

    def state(self, key: str) -> HeadState:
        t = self.table
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.head_id, t.c.last_sent_at).where(t.c.key == key)).first()
        if row is None:
            return HeadState(None, None)
        return HeadState(row.head_id, _aware(row.last_sent_at))

    def record_sent(self, key: str, at: datetime) -> None:
        t = self.table
        now = self.clock.now()
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(t)
                .where(t.c.key == key, (t.c.last_sent_at.is_(None)) | (t.c.last_sent_at < at))
                .values(last_sent_at=at, updated_at=now)
            )
            if not changed.rowcount:
                # No head recorded (a score queued without one): keep the time anyway.
                module: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
                insert = module.insert(t).values(
                    key=key, head_id="", last_sent_at=at, updated_at=now
                )
                conn.execute(insert.on_conflict_do_nothing(index_elements=["key"]))


class MemoryScoreHeads:
    """:class:`ScoreHeads` in memory (tests, embedding without a database)."""

    def __init__(self) -> None:
        self.heads: dict[str, str] = {}
        self.sent: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def set_head(self, key: str, score_id: str) -> None:
        with self._lock:
            self.heads[key] = score_id

    def state(self, key: str) -> HeadState:
        with self._lock:
            return HeadState(self.heads.get(key), self.sent.get(key))

    def record_sent(self, key: str, at: datetime) -> None:
        with self._lock:
            if key not in self.sent or self.sent[key] < at:
                self.sent[key] = at
