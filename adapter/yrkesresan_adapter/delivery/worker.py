"""Delivery of everything the adapter queues in the outbox: xAPI statements to every
configured LRS and AGS scores to the platforms, by one worker.

Run it as its own process in production (``yrkesresan worker``; several may run against
PostgreSQL, claims use ``FOR UPDATE SKIP LOCKED``), or in a background thread of a
single-process deployment and the demo (:class:`BackgroundDelivery`). ``/readyz`` reports
the outbox lag (pending entries and the age of the oldest) and fails past the settings
``ready_max_outbox_age_seconds`` and ``ready_max_outbox_backlog``; ``/metrics`` shows the
backlog per target (:mod:`.backlog`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from wsgiref.simple_server import WSGIServer

from flask import Flask
from prometheus_client import start_http_server

from yrkesresan_adapter.delivery.backlog import BacklogCollector
from yrkesresan_adapter.privacy import RetentionPolicy
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.web import health
from yrkesresan_adapter.web.metrics import add_collector, metrics, outbox_events
from yrkesresan_lti.clock import utcnow
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET
from yrkesresan_lti.outbox.deliverer import Deliverer
from yrkesresan_lti.outbox.lrs import lrs_deliverers
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.outbox.worker import OutboxWorker

log = logging.getLogger("yrkesresan.delivery")


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
    engine = state.services.db.engine
    retention = RetentionPolicy(engine, state.settings)
    return OutboxWorker(
        engine,
        found,
        outbox=Outbox(outbox_tables, events=outbox_events(app)),
        housekeeping=retention.maybe_apply,
        lease=state.settings.outbox_lease,
        heartbeat=state.settings.outbox_heartbeat,
        in_flight=state.settings.outbox_batches_in_flight,
    )


def serve_worker_metrics(app: Flask, port: int | None = None) -> WSGIServer | None:
    """Serve the worker process's metrics (``prometheus_client.start_http_server``) on
    ``port`` or the setting ``metrics.worker_port``, at ``metrics.worker_host`` (default
    loopback); returns the server (``shutdown()`` stops it), or None when no port is set or
    metrics are off."""
    state = AdapterState.of(app)
    settings = state.settings.metrics
    port = settings.worker_port if port is None else port
    found = metrics(app)
    if port is None or found is None:
        return None
    server, _thread = start_http_server(port, addr=settings.worker_host, registry=found.registry)
    host, bound = server.server_address[:2]
    log.info(
        "worker_metrics_started",
        extra={"event": "worker_metrics_started", "host": str(host), "port": bound},
    )
    return server


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
    """Register the outbox-lag readiness check and the backlog metrics."""
    state = AdapterState.of(app)
    outbox = Outbox(outbox_tables)
    max_age = timedelta(seconds=state.settings.ready_max_outbox_age_seconds)
    max_backlog = state.settings.ready_max_outbox_backlog
    add_collector(app, BacklogCollector(state.services.db.engine, outbox))

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
            "max_age_seconds": int(max_age.total_seconds()),
        }
        if max_backlog is not None:
            details["max_backlog"] = max_backlog
        if not state.settings.all_lrs_targets:
            details["note"] = "no LRS configured: statements wait in the outbox"
        fresh = lag is None or lag <= max_age
        small = max_backlog is None or status.pending <= max_backlog
        return fresh and small, details

    health.add_check(app, "outbox", check)


def _oldest_age(moments: list[datetime | None]) -> timedelta | None:
    """Age of the oldest moment; naive values (SQLite drops the zone) are UTC."""
    known = [m if m.tzinfo else m.replace(tzinfo=UTC) for m in moments if m is not None]
    return utcnow() - min(known) if known else None
