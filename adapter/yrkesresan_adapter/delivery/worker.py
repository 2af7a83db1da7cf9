"""Delivery of everything the adapter queues in the outbox: xAPI statements to every
configured LRS and AGS scores to the platforms, by one worker.

Run it as its own process in production (``yrkesresan worker``; several may run against
PostgreSQL, claims use ``FOR UPDATE SKIP LOCKED``), or in a background thread of a
single-process deployment and the demo (:class:`BackgroundDelivery`). ``/readyz`` reports
the outbox lag (pending entries and the age of the oldest).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from flask import Flask

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.web import health
from yrkesresan_lti.clock import utcnow
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET
from yrkesresan_lti.outbox.deliverer import Deliverer
from yrkesresan_lti.outbox.lrs import lrs_deliverers
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.outbox.worker import OutboxWorker

log = logging.getLogger("yrkesresan.delivery")

MAX_READY_LAG = timedelta(hours=1)
"""``/readyz`` fails when an entry a deliverer exists for has waited longer than this."""


def deliverers(app: Flask) -> dict[str, Deliverer]:
    """Every LRS target of the settings, plus AGS when the advantage services are set up."""
    state = AdapterState.of(app)
    found = lrs_deliverers(state.settings.all_lrs_targets)
    advantage = state.services.advantage
    if advantage is not None:
        found[AGS_TARGET] = advantage.ags_deliverer
    return found


def delivery_worker(app: Flask, targets: Collection[str] | None = None) -> OutboxWorker:
    """The app's one outbox worker: every target :func:`deliverers` knows, or only ``targets``
    (``yrkesresan ags flush`` delivers the ``ags`` target alone)."""
    found = deliverers(app)
    if targets is not None:
        found = {name: found[name] for name in targets if name in found}
    state = AdapterState.of(app)
    return OutboxWorker(
        state.services.db.engine,
        found,
        outbox=Outbox(outbox_tables),
        lease=state.settings.outbox_lease,
        heartbeat=state.settings.outbox_heartbeat,
    )


class BackgroundDelivery:
    """Runs :func:`delivery_worker` in a daemon thread until :meth:`stop`."""

    def __init__(self, app: Flask, *, idle_seconds: float = 2.0) -> None:
        self.worker = delivery_worker(app)
        self.idle_seconds = idle_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="yrkesresan-delivery", daemon=True)

    def start(self) -> BackgroundDelivery:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.worker.run(self._stop, idle_seconds=self.idle_seconds)
            except Exception:  # keep delivering: entries stay pending and are retried
                log.exception(
                    "delivery_round_failed",
                    extra={"event": "delivery_round_failed", "retry_in_seconds": self.idle_seconds},
                )
                self._stop.wait(self.idle_seconds)


def init_app(app: Flask) -> None:
    """Register the outbox-lag readiness check."""
    state = AdapterState.of(app)
    outbox = Outbox(outbox_tables)

    def check() -> tuple[bool, dict[str, object]]:
        targets = sorted(deliverers(app))
        with state.services.db.engine.connect() as conn:
            status = outbox.status(conn)
        lag = _oldest_age(
            [t.oldest_pending for name, t in status.targets.items() if name in targets]
        )
        details: dict[str, object] = {
            "pending": status.pending,
            "targets": targets,
            "oldest_pending_seconds": int(lag.total_seconds()) if lag else 0,
        }
        if not state.settings.all_lrs_targets:
            details["note"] = "ingen LRS konfigurerad: statements väntar i utkorgen"
        return (lag is None or lag <= MAX_READY_LAG), details

    health.add_check(app, "outbox", check)


def _oldest_age(moments: list[datetime | None]) -> timedelta | None:
    """Age of the oldest moment; naive values (SQLite drops the zone) are UTC."""
    known = [m if m.tzinfo else m.replace(tzinfo=UTC) for m in moments if m is not None]
    return utcnow() - min(known) if known else None
