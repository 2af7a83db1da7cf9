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
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Engine

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_id
from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.wire import when_sent

from .claims import WorkerStatements
from .deliverer import (
    ConcurrentDeliverer,
    Deliverer,
    DeliveryOutcome,
    DeliveryStatus,
    OutboxItem,
)
from .durability import bookkeeping
from .events import OutboxEvents
from .lease import LEASE, LeaseKeeper
from .outbox import Outbox
from .reporting import log_outcomes, report_outcomes
from .schema import DEAD, PENDING

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


@dataclass
class _Flying:
    """A batch handed to a sender thread (``in_flight`` above 1)."""

    token: str
    items: list[OutboxItem]
    report: BatchReport
    on_wire: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class _Delivered:
    """A batch delivered in a flush whose outcomes are still to be recorded."""

    token: str
    outcomes: list[tuple[OutboxItem, DeliveryOutcome]]
    report: BatchReport


class _Step:
    """A flush's database step for the helper thread, submitted once: when the batch's
    request is on the wire or, at the latest, when :meth:`result` is asked for."""

    def __init__(self, pool: ThreadPoolExecutor, work: Callable[[], list[OutboxItem]]) -> None:
        self._pool = pool
        self._work = work
        self._future: Future[list[OutboxItem]] | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._future is None:
                self._future = self._pool.submit(self._work)

    def result(self) -> list[OutboxItem]:
        self.start()
        assert self._future is not None
        return self._future.result()


class OutboxWorker:
    """Delivers due entries of the targets it has a :class:`Deliverer` for.

    A failed attempt is retried after the backoff of ``retry`` (default
    :meth:`RetryPolicy.for_outbox`) and dead-lettered when it is exhausted. Claimed entries
    are leased for ``lease``, renewed every ``heartbeat`` (default: a third of the lease)
    while the worker holds them. ``events`` (default: the outbox's) hears the count of each
    recorded outcome per target. ``in_flight`` (default 2; 1: one batch after the other):
    how many batches may be on the wire at once (see :meth:`flush`).
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
        in_flight: int = 2,
    ) -> None:
        if in_flight < 1:
            raise ValueError("in_flight must be at least 1")
        self.engine = engine
        self.housekeeping = housekeeping
        """Called before every claim of :meth:`run`, in a backlog on the thread that leases
        (e.g. retention; it throttles itself)."""
        self.deliverers = dict(deliverers)
        self.outbox = outbox or Outbox(clock=clock)
        self.retry = retry or RetryPolicy.for_outbox()
        self.lease = lease
        self.leases = LeaseKeeper(
            engine, self.outbox.tables.entries, lease=lease, heartbeat=heartbeat, clock=clock
        )
        self.batch_size = batch_size
        self._sql = WorkerStatements(self.outbox.tables.entries, batch_size)
        self.clock = clock
        self.token_factory = token_factory
        self.events = events or self.outbox.events
        self.in_flight = in_flight
        """Batches on the wire at once in :meth:`flush` and a backlog of :meth:`run`
        (default 2); more than one only for targets whose deliverer is a
        :class:`~yrkesresan_lti.outbox.deliverer.ConcurrentDeliverer` and says the
        batches are independent (an LRS: unless a statement voids or resends one in
        flight). Without such a deliverer, batches go one at a time as with 1."""

    @property
    def _concurrent(self) -> bool:
        """Whether any deliverer may have more than one batch in flight."""
        return any(isinstance(d, ConcurrentDeliverer) for d in self.deliverers.values())

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

        Pipelined, one transaction per batch: while batch *k* is on the wire, a helper
        thread records batch *k - 1*'s outcomes and leases batch *k + 1* in one transaction,
        so database time hides behind HTTP time. The helper starts once batch *k*'s request
        is on the wire (:mod:`yrkesresan_lti.wire`; at the latest when its delivery
        returns), not before: it would delay the POST (module docstring there). With
        ``in_flight`` 1, or without a deliverer that is a
        :class:`~yrkesresan_lti.outbox.deliverer.ConcurrentDeliverer`, one batch is
        delivered at a time, in order; the last one's outcomes are recorded before
        ``flush`` returns.

        With ``in_flight`` above 1 (the default, 2) and a concurrent deliverer, the next
        batch is leased once a batch is on the wire and sent at once if every target it
        shares with the batches in flight has a concurrent deliverer that finds them
        independent; otherwise it waits for those answers. The answers that came meanwhile
        are recorded with the next lease, in one transaction, once a batch is on the wire
        (or before a batch that must wait for them); all before ``flush`` returns.
        """
        if not self.targets:
            return BatchReport()
        return self._pipeline(make_due=True, more=lambda _size: True, progress=progress)

    def _pipeline(
        self,
        *,
        make_due: bool,
        more: Callable[[int], bool],
        housekeeping: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> BatchReport:
        """Claim a batch and deliver it; while a batch is on the wire, the helper thread
        records the one before and leases the next, if ``more(size of the batch on the
        wire)`` says so (asked there, just before; ``housekeeping``: run it first). Until
        nothing more is leased."""
        if self.in_flight > 1 and self._concurrent:
            return self._pipeline_wide(
                make_due=make_due, more=more, housekeeping=housekeeping, progress=progress
            )
        total = BatchReport()
        token = self.token_factory()
        tokens = [token]  # every claim of this run, released at the end whatever happens
        try:
            items = self._claim(token, make_due=make_due)
            done: _Delivered | None = None  # the batch before, delivered, not yet recorded
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db") as database:
                while items:
                    upcoming = self.token_factory()
                    tokens.append(upcoming)
                    lease = partial(more, len(items))
                    before = [done] if done is not None else []
                    work = partial(self._record_and_claim, before, upcoming, lease, housekeeping)
                    step = _Step(database, work)
                    report = BatchReport(claimed=len(items))
                    with when_sent(step.start):
                        outcomes = self._deliver_batch(items, report)
                    following = step.result()  # re-raises a database error: the run ends
                    if done is not None:
                        total.add(done.report)
                    done = _Delivered(token, outcomes, report)
                    token, items = upcoming, following
                    if progress is not None:
                        progress(report.claimed)
            if done is not None:  # the last batch: nothing left to overlap with
                self._complete(done.token, done.outcomes, done.report)
                total.add(done.report)
        finally:  # a database error ends the run: stop renewing what it still held
            for token in tokens:
                self.leases.release(token)
        return total

    def _pipeline_wide(
        self,
        *,
        make_due: bool,
        more: Callable[[int], bool],
        housekeeping: bool,
        progress: Callable[[int], None] | None,
    ) -> BatchReport:
        """:meth:`_pipeline` with up to ``in_flight`` batches on the wire: sender threads
        deliver, this thread leases and records (module docstring: leases, outcomes). Once a
        batch is on the wire, the answers that came before it are recorded and the next
        batch is leased in one transaction, so an answer frees its lane for a batch already
        leased before anything is written."""
        total = BatchReport()
        token = self.token_factory()
        tokens = [token]
        flying: dict[Future[list[tuple[OutboxItem, DeliveryOutcome]]], _Flying] = {}
        answered: list[_Delivered] = []  # answers not recorded yet
        try:
            items = self._claim(token, make_due=make_due)
            with ThreadPoolExecutor(self.in_flight, thread_name_prefix="outbox-send") as senders:
                while items or flying or answered:
                    if items and len(flying) < self.in_flight and self._may_fly(flying, items):
                        batch = _Flying(token, items, BatchReport(claimed=len(items)))
                        flying[senders.submit(self._send, batch)] = batch
                        batch.on_wire.wait()  # lease the next only once this one is out
                        token = self.token_factory()
                        tokens.append(token)
                        lease = partial(more, len(batch.items))
                        items = self._record_and_claim(answered, token, lease, housekeeping)
                    elif answered:  # nothing may go before these answers are recorded
                        self._record_and_claim(answered, token, lambda: False, False)
                    else:
                        done, _ = wait(flying, return_when=FIRST_COMPLETED)
                        for future in sorted(done, key=lambda f: flying[f].items[0].entry_id):
                            batch = flying.pop(future)
                            answered.append(_Delivered(batch.token, future.result(), batch.report))
                        continue
                    for recorded in answered:
                        total.add(recorded.report)
                        if progress is not None:
                            progress(recorded.report.claimed)
                    answered = []
        finally:  # an error ends the run: what was not recorded is delivered again
            for token in tokens:
                self.leases.release(token)
        return total

    def _send(self, batch: _Flying) -> list[tuple[OutboxItem, DeliveryOutcome]]:
        try:
            with when_sent(batch.on_wire.set):
                return self._deliver_batch(batch.items, batch.report)
        finally:
            batch.on_wire.set()

    def _may_fly(
        self,
        flying: Mapping[Future[list[tuple[OutboxItem, DeliveryOutcome]]], _Flying],
        items: Sequence[OutboxItem],
    ) -> bool:
        """Whether ``items`` may go while the batches ``flying`` are on the wire: every
        target they share has a concurrent deliverer that finds them independent."""
        for target in {i.target for i in items}:
            mine = [i for i in items if i.target == target]
            earlier = [i for b in flying.values() for i in b.items if i.target == target]
            if not earlier:
                continue
            deliverer = self.deliverers[target]
            if not isinstance(deliverer, ConcurrentDeliverer):
                return False
            if not deliverer.independent(earlier, mine):
                return False
        return True

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
        """Deliver until ``stop`` is set, waiting ``idle_seconds`` when nothing is due.

        Each round claims one batch of due entries (backoff respected). A full batch means
        a backlog: the round goes on pipelined like :meth:`flush` (the next batch leased and
        the one before recorded while a batch is on the wire) for as long as every batch
        it claims is full and ``stop`` is not set; ``housekeeping`` runs before every
        claim, as it does before every round. Once ``stop`` is set no further batch is
        leased; the batch on the wire, and one already leased, are delivered and recorded.
        """
        while not stop.is_set():
            self._housekeep()
            if self._round(stop).claimed == 0:
                stop.wait(idle_seconds)

    def _round(self, stop: threading.Event) -> BatchReport:
        """One round of :meth:`run`: a batch, and while the batches are full, the next."""
        if not self.targets:
            return BatchReport()

        def more(size: int) -> bool:
            return size >= self.batch_size and not stop.is_set()

        return self._pipeline(make_due=False, more=more, housekeeping=True)

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
        with bookkeeping(self.engine) as conn:
            if make_due:
                self.outbox.make_due(conn, self.targets)
            rows = self._lease_due(conn, token)
        return self._held(token, rows)

    def _held(self, token: str, rows: Sequence[Any]) -> list[OutboxItem]:
        # By id, the first column (a key: comparing SQLAlchemy rows runs Python per compare).
        items = [OutboxItem(*row) for row in sorted(rows, key=itemgetter(0))]
        self.leases.hold(token, [i.entry_id for i in items])
        return items

    def _record_and_claim(
        self,
        done: Sequence[_Delivered],
        following: str,
        lease: Callable[[], bool],
        housekeeping: bool,
    ) -> list[OutboxItem]:
        """Record delivered batches' outcomes (if any) and, if ``lease()``, lease the next
        batch to ``following``, in one transaction (the new lease is held only once that
        commits). ``housekeeping``: run it first, before a lease."""
        leasing = lease()
        if leasing and housekeeping:
            self._housekeep()
        if not done and not leasing:
            return []
        try:
            with bookkeeping(self.engine) as conn:
                others = [self._record_rows(conn, d.token, d.outcomes, d.report) for d in done]
                rows = self._lease_due(conn, following) if leasing else []
        finally:
            for delivered in done:
                self.leases.release(delivered.token)
        for delivered, rest in zip(done, others, strict=True):
            self._recorded(delivered.outcomes, rest)
        return self._held(following, rows)

    def _lease_due(self, conn: Connection, token: str) -> Sequence[Any]:
        now = self.clock.now()
        sql = self._sql
        params = {"now": now, "targets": self.targets, "token": token, "until": now + self.lease}
        if conn.dialect.name == "sqlite" and conn.dialect.update_returning:
            # SQLite runs the uncorrelated subquery once: one statement, no id list.
            return conn.execute(sql.lease_picked.returning(*sql.columns), params).all()
        # Two statements on purpose: as a subquery of the UPDATE, PostgreSQL may run the
        # LIMIT ... SKIP LOCKED select once per row and lease far beyond a batch.
        ids = list(conn.scalars(sql.picked, params))
        if not ids:
            return []
        params["ids"] = ids
        if conn.dialect.update_returning:
            return conn.execute(sql.lease_ids.returning(*sql.columns), params).all()
        conn.execute(sql.lease_ids, params)
        return conn.execute(sql.leased, params).all()

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
        with bookkeeping(self.engine) as conn:
            others = self._record_rows(conn, token, outcomes, report)
        self._recorded(outcomes, others)

    def _record_rows(
        self,
        conn: Connection,
        token: str,
        outcomes: Sequence[tuple[OutboxItem, DeliveryOutcome]],
        report: BatchReport,
    ) -> list[dict[str, Any]]:
        """Write the outcomes in ``conn``'s transaction; returns the rows of entries not
        delivered (for the logs and events once committed). By primary key (and the
        token): the token is not indexed, and an outbox keeps its delivered history until
        purged."""
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
        sql = self._sql
        if delivered and not others:  # the usual case
            bounds = {"lo": min(delivered), "hi": max(delivered)}
            conn.execute(sql.delivered_range, {"token": token, "now": now, **bounds})
        elif delivered:
            conn.execute(sql.delivered_ids, {"token": token, "now": now, "ids": delivered})
        if others:
            conn.execute(sql.not_delivered, [{"token": token, **row} for row in others])
        return others

    def _recorded(
        self,
        outcomes: Sequence[tuple[OutboxItem, DeliveryOutcome]],
        others: Sequence[Mapping[str, Any]],
    ) -> None:
        log_outcomes(outcomes, others)
        report_outcomes(self.events, outcomes, others)
