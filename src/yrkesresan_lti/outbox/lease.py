"""Leases that follow the worker: a heartbeat renews the claims a worker still holds.

A claim leases its entries for :data:`LEASE` (``next_attempt_at`` moves past the lease
and ``claim_token`` names the claim). While the worker delivers, :class:`LeaseKeeper`
renews the lease of every claim it holds each ``heartbeat`` in a daemon thread, so a slow
LRS or platform never lets another worker take a batch that is still on the wire. A worker
that dies stops renewing, and its entries are due again one lease after the last renewal.

A renewal touches only rows whose ``claim_token`` is still the claim's own: once another
worker has taken them over (the lease ran out), the old worker's renewals and its outcome
(:meth:`OutboxWorker._complete <yrkesresan_lti.outbox.worker.OutboxWorker>` checks the same
token) change nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import Engine, Table, update

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock

from .durability import bookkeeping
from .schema import PENDING

log = logging.getLogger("yrkesresan.outbox")

LEASE = timedelta(seconds=60)
"""How long claimed entries stay leased after the last renewal before another worker may
claim them."""


def default_heartbeat(lease: timedelta) -> timedelta:
    """A third of the lease: two renewals may fail before the lease runs out."""
    return lease / 3


class LeaseKeeper:
    """Renews the leases of the claims held (:meth:`hold` … :meth:`release`).

    The heartbeat thread runs only while something is held; :meth:`renew` is the beat
    itself (tests call it directly with a fake clock).
    """

    def __init__(
        self,
        engine: Engine,
        entries: Table,
        *,
        lease: timedelta = LEASE,
        heartbeat: timedelta | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.engine = engine
        self.entries = entries
        self.lease = lease
        self.heartbeat = heartbeat if heartbeat is not None else default_heartbeat(lease)
        if not timedelta(0) < self.heartbeat < lease:
            raise ValueError("the heartbeat must be shorter than the lease")
        self.clock = clock
        self._held: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None

    def hold(self, token: str, entry_ids: Collection[int]) -> None:
        """Keep renewing the claim ``token`` (its ``entry_ids``) until :meth:`release`."""
        if not entry_ids:
            return
        with self._lock:
            self._held[token] = list(entry_ids)
            if self._stop is None:
                self._stop = threading.Event()
                self._thread = threading.Thread(
                    target=self._beat, args=(self._stop,), name="outbox-lease", daemon=True
                )
                self._thread.start()

    def release(self, token: str) -> None:
        """Stop renewing ``token``; the last release ends the heartbeat (and waits for a
        renewal under way, so none runs after the batch is recorded)."""
        ending: threading.Thread | None = None
        with self._lock:
            self._held.pop(token, None)
            if not self._held and self._stop is not None:
                self._stop.set()
                self._stop, ending, self._thread = None, self._thread, None
        if ending is not None and ending is not threading.current_thread():
            ending.join(timeout=30)

    def renew(self) -> int:
        """Extend the lease of every held claim to now + lease; returns rows renewed."""
        with self._lock:
            held = {token: list(ids) for token, ids in self._held.items()}
        if not held:
            return 0
        t = self.entries
        until = self.clock.now() + self.lease
        renewed = 0
        with bookkeeping(self.engine) as conn:
            for token, ids in held.items():
                query = (
                    update(t)
                    .where(t.c.id.in_(ids), t.c.claim_token == token, t.c.status == PENDING)
                    .values(next_attempt_at=until)
                )
                renewed += int(getattr(conn.execute(query), "rowcount", 0) or 0)
        return renewed

    def _beat(self, stop: threading.Event) -> None:
        while not stop.wait(self.heartbeat.total_seconds()):
            try:
                self.renew()
            except Exception:  # the database is away: the lease may lapse, nothing is lost
                log.warning(
                    "outbox_lease_renewal_failed",
                    exc_info=True,
                    extra={"event": "outbox_lease_renewal_failed"},
                )
