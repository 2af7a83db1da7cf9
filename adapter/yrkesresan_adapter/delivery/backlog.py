"""The outbox backlog as Prometheus gauges, read from the database when ``/metrics`` is
scraped (one grouped query over pending and dead entries, through the status index)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import Engine

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.outbox.outbox import Outbox


class BacklogCollector:
    """``yrkesresan_outbox_pending``, ``yrkesresan_outbox_dead`` and
    ``yrkesresan_outbox_oldest_pending_age_seconds``, per target."""

    def __init__(self, engine: Engine, outbox: Outbox, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.engine = engine
        self.outbox = outbox
        self.clock = clock

    def _families(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(
                "yrkesresan_outbox_pending", "Entries waiting for delivery", labels=["target"]
            ),
            GaugeMetricFamily(
                "yrkesresan_outbox_dead", "Entries given up (dead letters)", labels=["target"]
            ),
            GaugeMetricFamily(
                "yrkesresan_outbox_oldest_pending_age_seconds",
                "Age of the oldest entry waiting for delivery (0 when none waits)",
                labels=["target"],
            ),
        )

    def describe(self) -> Iterable[Metric]:
        """The families without samples: registering reads no database."""
        return self._families()

    def collect(self) -> Iterable[Metric]:
        pending, dead, age = self._families()
        with self.engine.connect() as conn:
            status = self.outbox.backlog(conn)
        now = self.clock.now()
        for name, target in status.targets.items():
            pending.add_metric([name], target.pending)
            dead.add_metric([name], target.dead)
            oldest = target.oldest_pending
            if oldest is not None and oldest.tzinfo is None:  # SQLite drops the zone
                oldest = oldest.replace(tzinfo=UTC)
            age.add_metric([name], (now - oldest).total_seconds() if oldest else 0.0)
        return (pending, dead, age)
