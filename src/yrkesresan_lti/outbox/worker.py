"""The delivery side of the outbox: claim due entries, deliver them, record the outcome.

Claiming is a short transaction: due entries are selected ``FOR UPDATE SKIP LOCKED``
(PostgreSQL; SQLite ignores it, so run a single worker there) and leased to this worker
by moving ``next_attempt_at`` past the lease and setting ``claim_token``. Delivery runs
outside any transaction; the outcome is written in a second short transaction, only for
entries still leased to this worker. A worker that dies loses its lease when it expires
and the entries are delivered again (at-least-once; the stored bytes never change).
"""

from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, bindparam, select, update

from .deliverer import Deliverer, DeliveryOutcome, DeliveryStatus, OutboxItem
from .outbox import Outbox, utcnow
from .schema import DEAD, DELIVERED, PENDING

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetrySchedule:
    """Backoff between delivery attempts, and when to give up (dead letter)."""

    max_attempts: int = 20
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=6)
    lease: timedelta = timedelta(minutes=10)

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        """Wait after ``attempts`` failed attempts: exponential, capped, half jittered."""
        full = min(self.max_delay, self.base_delay * 2.0 ** (attempts - 1))
        return full / 2 + full / 2 * rng.random()


@dataclass
class BatchReport:
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: BatchReport) -> None:
        self.claimed += other.claimed
        self.delivered += other.delivered
        self.retried += other.retried
        self.dead += other.dead
        self.errors.extend(other.errors)


class OutboxWorker:
    """Delivers due entries of the targets it has a :class:`Deliverer` for."""

    def __init__(
        self,
        engine: Engine,
        deliverers: Mapping[str, Deliverer],
        *,
        outbox: Outbox | None = None,
        schedule: RetrySchedule | None = None,
        batch_size: int = 500,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        token_factory: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.engine = engine
        self.deliverers = dict(deliverers)
        self.outbox = outbox or Outbox(clock=clock)
        self.schedule = schedule or RetrySchedule()
        self.batch_size = batch_size
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self.token_factory = token_factory

    @property
    def targets(self) -> list[str]:
        return sorted(self.deliverers)

    def run_once(self) -> BatchReport:
        """Claim one batch of due entries and deliver it."""
        token = self.token_factory()
        items = self._claim(token)
        report = BatchReport(claimed=len(items))
        outcomes: list[tuple[OutboxItem, DeliveryOutcome]] = []
        for target in sorted({i.target for i in items}):
            mine = [i for i in items if i.target == target]
            outcomes.extend(zip(mine, self._deliver(target, mine, report), strict=True))
        if outcomes:
            self._complete(token, outcomes, report)
        return report

    def flush(self, progress: Callable[[int], None] | None = None) -> BatchReport:
        """Deliver everything pending now (ignoring backoff waits) until nothing is due."""
        with self.engine.begin() as conn:
            self.outbox.make_due(conn, self.targets)
        total = BatchReport()
        while self.targets:
            report = self.run_once()
            total.add(report)
            if progress is not None:
                progress(report.claimed)
            if report.claimed == 0:
                break
        return total

    def due_count(self) -> int:
        with self.engine.connect() as conn:
            return self.outbox.due_count(conn, self.targets)

    def run(self, stop: threading.Event, idle_seconds: float = 5.0) -> None:
        """Deliver until ``stop`` is set, waiting ``idle_seconds`` when nothing is due."""
        while not stop.is_set():
            if self.run_once().claimed == 0:
                stop.wait(idle_seconds)

    def _deliver(
        self, target: str, items: Sequence[OutboxItem], report: BatchReport
    ) -> Sequence[DeliveryOutcome]:
        try:
            outcomes = self.deliverers[target].deliver(items)
            if len(outcomes) != len(items):
                raise RuntimeError(f"{len(outcomes)} outcomes for {len(items)} items")
        except Exception as err:  # a broken deliverer must not lose or kill anything
            log.exception("outbox: delivery to %s failed", target)
            report.errors.append(f"{target}: {err}")
            return [DeliveryOutcome.retry(f"{type(err).__name__}: {err}")] * len(items)
        return outcomes

    def _claim(self, token: str) -> list[OutboxItem]:
        if not self.deliverers:
            return []
        t = self.outbox.tables.entries
        now = self.clock()
        due = (t.c.status == PENDING, t.c.next_attempt_at <= now, t.c.target.in_(self.targets))
        with self.engine.begin() as conn:
            ids = list(
                conn.scalars(
                    select(t.c.id)
                    .where(*due)
                    .order_by(t.c.next_attempt_at, t.c.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            )
            if not ids:
                return []
            conn.execute(
                update(t)
                .where(t.c.id.in_(ids), *due)
                .values(claim_token=token, next_attempt_at=now + self.schedule.lease)
            )
            rows = conn.execute(
                select(t.c.id, t.c.target, t.c.kind, t.c.dedupe_id, t.c.payload, t.c.attempts)
                .where(t.c.id.in_(ids), t.c.claim_token == token)
                .order_by(t.c.id)
            )
            return [OutboxItem(*row) for row in rows]

    def _complete(
        self,
        token: str,
        outcomes: Sequence[tuple[OutboxItem, DeliveryOutcome]],
        report: BatchReport,
    ) -> None:
        t = self.outbox.tables.entries
        now = self.clock()
        rows = []
        for item, outcome in outcomes:
            attempts = item.attempts + 1
            status, error, next_at = DELIVERED, None, now
            delivered_at: datetime | None = now
            if outcome.status is not DeliveryStatus.DELIVERED:
                delivered_at, error = None, outcome.reason or outcome.status.value
                if outcome.status is DeliveryStatus.REJECTED:
                    status = DEAD
                elif attempts >= self.schedule.max_attempts:
                    status, error = DEAD, f"gave up after {attempts} attempts: {error}"
                else:
                    status = PENDING
                    next_at = now + self.schedule.delay(attempts, self.rng)
            report.delivered += status == DELIVERED
            report.dead += status == DEAD
            report.retried += status == PENDING
            rows.append(
                {
                    "b_id": item.entry_id,
                    "b_status": status,
                    "b_attempts": attempts,
                    "b_error": error,
                    "b_next": next_at,
                    "b_delivered": delivered_at,
                }
            )
        query = (
            update(t)
            .where(t.c.id == bindparam("b_id"), t.c.claim_token == token)
            .values(
                status=bindparam("b_status"),
                attempts=bindparam("b_attempts"),
                last_error=bindparam("b_error"),
                next_attempt_at=bindparam("b_next"),
                delivered_at=bindparam("b_delivered"),
                claim_token=None,
            )
        )
        with self.engine.begin() as conn:
            conn.execute(query, rows)
