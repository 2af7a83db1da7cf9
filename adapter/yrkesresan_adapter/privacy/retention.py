"""Retention, applied by the delivery worker: personal data kept only as long as needed.

* stored launches (the name and e-mail the LMS sent) ``retention.launch_states_hours``
  after the launch, and every other launch state once it expired;
* delivered outbox entries ``retention.delivered_outbox_days`` after delivery (0: never
  automatically).

:meth:`RetentionPolicy.maybe_apply` runs at most every ``retention.interval_minutes``; the
worker calls it on every round.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, or_

from yrkesresan_adapter.privacy.registry import LAUNCH_STATES
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.models import LAUNCH_CONTEXT_PREFIX
from yrkesresan_adapter.tables import all_tables
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.settings import Settings

log = logging.getLogger("yrkesresan.retention")


@dataclass(frozen=True)
class RetentionReport:
    launch_states: int
    delivered: int


class RetentionPolicy:
    """Deletes what the settings' retention says is no longer needed."""

    def __init__(self, engine: Engine, settings: Settings, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.engine = engine
        self.retention = settings.retention
        self.launch_ttl = timedelta(seconds=settings.launch_token_ttl_seconds)
        self.clock = clock
        self._outbox = Outbox(outbox_tables, clock=clock)
        self._next: datetime | None = None
        self._lock = threading.Lock()

    def maybe_apply(self) -> RetentionReport | None:
        """:meth:`apply` when the interval has passed since the last time (else None)."""
        now = self.clock.now()
        with self._lock:
            if self._next is not None and now < self._next:
                return None
            self._next = now + timedelta(minutes=self.retention.interval_minutes)
        return self.apply()

    def apply(self) -> RetentionReport:
        now = self.clock.now()
        states = all_tables().tables[LAUNCH_STATES]
        # A stored launch expires launch_token_ttl after the launch: it was made at
        # expires_at - ttl, and is kept launch_states_hours from then.
        launches_cutoff = (
            now + self.launch_ttl - timedelta(hours=self.retention.launch_states_hours)
        )
        is_launch = states.c.key.startswith(LAUNCH_CONTEXT_PREFIX)
        old = or_(
            is_launch & (states.c.expires_at <= launches_cutoff),
            ~is_launch & (states.c.expires_at <= now),
        )
        with self.engine.begin() as conn:
            removed = conn.execute(delete(states).where(old)).rowcount or 0
            delivered = 0
            if self.retention.delivered_outbox_days:
                age = timedelta(days=self.retention.delivered_outbox_days)
                delivered = self._outbox.purge_delivered(conn, age)
        report = RetentionReport(launch_states=int(removed), delivered=delivered)
        if removed or delivered:
            log.info(
                "retention_applied",
                extra={
                    "event": "retention_applied",
                    "launch_states": report.launch_states,
                    "delivered_entries": report.delivered,
                },
            )
        return report
