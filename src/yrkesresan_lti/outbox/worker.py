"""The delivery side of the outbox: claim due entries, deliver them, record the outcome.

Claiming is a short transaction: due entries are selected ``FOR UPDATE SKIP LOCKED``
(PostgreSQL; SQLite ignores it, so run a single worker there) and leased to this worker
by moving ``next_attempt_at`` past the lease and setting ``claim_token``. Delivery runs
outside any transaction while a heartbeat (:class:`~yrkesresan_lti.outbox.lease.LeaseKeeper`)
renews the lease; the outcome is written in a second short transaction, only for entries
still leased to this worker. A worker that dies stops renewing, loses its lease one
:data:`LEASE` after the last renewal, and the entries are delivered again (at-least-once;
the stored bytes never change).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_id
from yrkesresan_lti.retry import RetryPolicy

from .deliverer import Deliverer, DeliveryOutcome, DeliveryStatus, OutboxItem
from .events import OutboxEvents
from .lease import LEASE, LeaseKeeper
from .outbox import Outbox
from .reporting import log_outcomes, report_outcomes
from .schema import DEAD, DELIVERED, PENDING

log = logging.getLogger("yrkesresan.outbox")


@dataclass
class BatchReport:
    """What a worker run did: entries claimed, delivered, left to retry and dead-lettered."""

    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: BatchReport) -> None:
        """Add another batch's counts and errors to these."""
        self.claimed += other.claimed
        self.delivered += other.delivered
        self.retried += other.retried
        self.dead += other.dead
        self.errors.extend(other.errors)


class OutboxWorker:
    """Delivers due entries of the targets it has a :class:`Deliverer` for.

    A failed attempt is retried after the backoff of ``retry`` (default
    :meth:`RetryPolicy.for_outbox`) and dead-lettered when it is exhausted. Claimed entries
    are leased for ``lease``, renewed every ``heartbeat`` (default: a third of the lease)
    while the worker holds them. ``events`` (default: the outbox's) hears the count of each
    recorded outcome per target.
    """

    def __init__(
        self,
        engine: Engine,
        deliverers: Mapping[str, Deliverer],
        *,
        outbox: Outbox | None = None,
        retry: RetryPolicy | None = None,
        lease: timedelta = LEASE,
        heartbeat: timedelta | None = None,
        batch_size: int = 500,
        clock: Clock = SYSTEM_CLOCK,
        token_factory: IdFactory = new_id,
        events: OutboxEvents | None = None,
        housekeeping: Callable[[], object] | None = None,
    ) -> None:
        self.engine = engine
        self.housekeeping = housekeeping
        """Called before every round of :meth:`run` (e.g. retention; it throttles itself)."""
        self.deliverers = dict(deliverers)
        self.outbox = outbox or Outbox(clock=clock)
        self.retry = retry or RetryPolicy.for_outbox()
        self.lease = lease
        self.leases = LeaseKeeper(
            engine, self.outbox.tables.entries, lease=lease, heartbeat=heartbeat, clock=clock
        )
        self.batch_size = batch_size
        self.clock = clock
        self.token_factory = token_factory
        self.events = events or self.outbox.events

    @property
    def targets(self) -> list[str]:
        """The targets this worker delivers to (those it has a deliverer for)."""
        return sorted(self.deliverers)

    def run_once(self) -> BatchReport:
        """Claim one batch of due entries and deliver it."""
        token = self.token_factory()
        try:
            items = self._claim(token)
            report = BatchReport(claimed=len(items))
            outcomes = self._deliver_batch(items, report)
            if outcomes:
                self._complete(token, outcomes, report)
        finally:
            self.leases.release(token)
        return report

    def flush(self, progress: Callable[[int], None] | None = None) -> BatchReport:
        """Deliver everything pending now (ignoring backoff waits) until nothing is due.

        Pipelined: while one batch is on the wire, a helper thread records the previous
        batch's outcomes and claims the next one, so database time hides behind HTTP time.
        """
        total = BatchReport()
        if not self.targets:
            return total
        tokens = [self.token_factory()]
        try:
            items = self._claim(tokens[-1], make_due=True)
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db") as database:
                recording: tuple[Future[None], BatchReport] | None = None
                while items:
                    token = tokens[-1]
                    tokens.append(self.token_factory())
                    next_claim = database.submit(self._claim, tokens[-1])
                    report = BatchReport(claimed=len(items))
                    outcomes = self._deliver_batch(items, report)
                    if recording is not None:
                        total.add(_finished(*recording))
                    recording = (database.submit(self._complete, token, outcomes, report), report)
                    claimed = len(items)
                    items = next_claim.result()
                    if progress is not None:
                        progress(claimed)
                if recording is not None:
                    total.add(_finished(*recording))
        finally:  # a database error ends the flush: stop renewing what it still held
            for token in tokens:
                self.leases.release(token)
        return total

    def _deliver_batch(
        self, items: Sequence[OutboxItem], report: BatchReport
    ) -> list[tuple[OutboxItem, DeliveryOutcome]]:
        outcomes: list[tuple[OutboxItem, DeliveryOutcome]] = []
        for target in sorted({i.target for i in items}):
            mine = [i for i in items if i.target == target]
            outcomes.extend(zip(mine, self._deliver(target, mine, report), strict=True))
        return outcomes

    def due_count(self) -> int:
        with self.engine.connect() as conn:
            return self.outbox.due_count(conn, self.targets)

    def run(self, stop: threading.Event, idle_seconds: float = 5.0) -> None:
        """Deliver until ``stop`` is set, waiting ``idle_seconds`` when nothing is due."""
        while not stop.is_set():
            self._housekeep()
            if self.run_once().claimed == 0:
                stop.wait(idle_seconds)

    def _housekeep(self) -> None:
        if self.housekeeping is None:
            return
        try:
            self.housekeeping()
        except Exception:  # delivery goes on; the next round tries again
            log.exception(
                "outbox_housekeeping_failed", extra={"event": "outbox_housekeeping_failed"}
            )

    def _deliver(
        self, target: str, items: Sequence[OutboxItem], report: BatchReport
    ) -> Sequence[DeliveryOutcome]:
        try:
            outcomes = self.deliverers[target].deliver(items)
            if len(outcomes) != len(items):
                raise RuntimeError(f"{len(outcomes)} outcomes for {len(items)} items")
        except Exception as err:  # a broken deliverer must not lose or kill anything
            log.exception(
                "outbox_deliverer_failed",
                extra={"event": "outbox_deliverer_failed", "target": target, "count": len(items)},
            )
            report.errors.append(f"{target}: {err}")
            return [DeliveryOutcome.retry(f"{type(err).__name__}: {err}")] * len(items)
        return outcomes

    def _claim(self, token: str, *, make_due: bool = False) -> list[OutboxItem]:
        """Lease one batch of due entries to ``token`` (``make_due``: first make every
        waiting entry due, in the same transaction: one commit before the first batch)."""
        if not self.deliverers:
            return []
        with self.engine.begin() as conn:
            if make_due:
                self.outbox.make_due(conn, self.targets)
            rows = self._lease_due(conn, token)
        items = [OutboxItem(*row) for row in sorted(rows)]  # by id (the first column)
        self.leases.hold(token, [i.entry_id for i in items])
        return items

    def _lease_due(self, conn: Connection, token: str) -> Sequence[Any]:
        t = self.outbox.tables.entries
        now = self.clock.now()
        due = (t.c.status == PENDING, t.c.next_attempt_at <= now, t.c.target.in_(self.targets))
        picked = (
            select(t.c.id)
            .where(*due)
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
        )
        lease = update(t).values(claim_token=token, next_attempt_at=now + self.lease)
        columns = (t.c.id, t.c.target, t.c.kind, t.c.dedupe_id, t.c.payload, t.c.attempts)
        if conn.dialect.name == "sqlite" and conn.dialect.update_returning:
            # SQLite runs the uncorrelated subquery once: one statement, no id list.
            query = lease.where(t.c.id.in_(picked.scalar_subquery()), *due)
            return conn.execute(query.returning(*columns)).all()
        # Two statements on purpose: as a subquery of the UPDATE, PostgreSQL may run the
        # LIMIT ... SKIP LOCKED select once per row and lease far beyond a batch.
        ids = list(conn.scalars(picked))
        if not ids:
            return []
        lease = lease.where(t.c.id.in_(ids), *due)
        if conn.dialect.update_returning:
            return conn.execute(lease.returning(*columns)).all()
        conn.execute(lease)
        return conn.execute(select(*columns).where(t.c.id.in_(ids), t.c.claim_token == token)).all()

    def _complete(
        self,
        token: str,
        outcomes: Sequence[tuple[OutboxItem, DeliveryOutcome]],
        report: BatchReport,
    ) -> None:
        try:
            self._record(token, outcomes, report)
        finally:
            self.leases.release(token)

    def _record(
        self,
        token: str,
        outcomes: Sequence[tuple[OutboxItem, DeliveryOutcome]],
        report: BatchReport,
    ) -> None:
        t = self.outbox.tables.entries
        now = self.clock.now()
        delivered: list[int] = []
        others: list[dict[str, Any]] = []
        for item, outcome in outcomes:
            if outcome.status is DeliveryStatus.DELIVERED:
                delivered.append(item.entry_id)
                continue
            attempts = item.attempts + 1
            status, error, next_at = PENDING, outcome.reason or outcome.status.value, now
            if outcome.status is DeliveryStatus.REJECTED:
                status = DEAD
            elif self.retry.exhausted(attempts):
                status, error = DEAD, f"gave up after {attempts} attempts: {error}"
            else:
                next_at = now + self.retry.delay(attempts)
            report.dead += status == DEAD
            report.retried += status == PENDING
            others.append(
                {"b_id": item.entry_id, "b_status": status, "b_error": error, "b_next": next_at}
            )
        report.delivered += len(delivered)
        mine = (t.c.claim_token == token,)
        done = {"attempts": t.c.attempts + 1, "claim_token": None}
        with self.engine.begin() as conn:
            if delivered:
                # By primary key (and the token): the token is not indexed, and an outbox
                # keeps its delivered history until purged. All of the batch delivered (the
                # usual case): the range of its ids, no list of 500 parameters.
                which = (
                    t.c.id.between(min(delivered), max(delivered))
                    if not others
                    else t.c.id.in_(delivered)
                )
                conn.execute(
                    update(t)
                    .where(which, *mine)
                    .values(status=DELIVERED, delivered_at=now, last_error=None, **done)
                )
            if others:
                conn.execute(
                    update(t)
                    .where(t.c.id == bindparam("b_id"), *mine)
                    .values(
                        status=bindparam("b_status"),
                        last_error=bindparam("b_error"),
                        next_attempt_at=bindparam("b_next"),
                        **done,
                    ),
                    others,
                )
        log_outcomes(outcomes, others)
        report_outcomes(self.events, outcomes, others)


def _finished(recorded: Future[None], report: BatchReport) -> BatchReport:
    recorded.result()  # re-raises a database error in the caller's thread
    return report
