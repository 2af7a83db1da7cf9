"""``GET /metrics``: the service's Prometheus metrics, for the operator's scraper only.

The metrics (names in ``docs/operations.md``) count launches by outcome and error code,
requests by Flask endpoint (never the raw path) and status with latency histograms, outbox
entries written and settled per target (the core's :class:`OutboxEvents`), and AGS score
attempts by the platform's answer; the outbox backlog is read from the database at scrape
time by collectors that features add with :func:`add_collector`.

Under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, before start): every
worker process writes its counters there and ``/metrics`` answers the sum of all of them
(``prometheus_client``'s multiprocess mode; ``gunicorn_conf.child_exit`` marks dead
workers). Without it, each app has its own registry.

Who may read it: clients whose address is in ``metrics.allowed_networks`` (default loopback)
and, if a proxy forwarded the request (``X-Forwarded-For``), every address on the way; or
a client sending ``Authorization: Bearer`` with ``metrics.token``. Everyone else gets 404,
as if there were no such page.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Iterable

from flask import Flask, Response, abort, request
from flask.globals import _cv_app, _cv_request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.web import request_log
from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.outbox.events import NO_OUTBOX_EVENTS, OutboxEvents, Settled
from yrkesresan_lti.settings import MetricsSettings
from yrkesresan_lti.untrusted import same_secret

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_EXTENSION = "yrkesresan.metrics"


def multiprocess_dir() -> str | None:
    """The multiprocess directory when ``PROMETHEUS_MULTIPROC_DIR`` names one."""
    return os.environ.get(MULTIPROCESS_VARIABLE) or None


def status_class(status: int | None) -> str:
    """``2xx`` ... ``5xx``, or ``none`` when there was no answer."""
    return f"{status // 100}xx" if status else "none"


class Metrics:
    """The adapter's metrics on their own registry (one per app: tests build many apps).

    Also the :class:`~yrkesresan_lti.outbox.events.OutboxEvents` of the app's outboxes.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._collectors: list[Collector] = []
        r = self.registry
        self.launches = Counter(
            "yrkesresan_lti_launches",
            "LTI launches by outcome (ok, refused) and error code",
            ["outcome", "error"],
            registry=r,
        )
        self.requests = Counter(
            "yrkesresan_http_requests",
            "HTTP requests by Flask endpoint, method and status",
            ["endpoint", "method", "status"],
            registry=r,
        )
        self._answered: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}
        self.latency = Histogram(
            "yrkesresan_http_request_duration_seconds",
            "Time to answer a request, by Flask endpoint and method",
            ["endpoint", "method"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.enqueued_entries = Counter(
            "yrkesresan_outbox_enqueued",
            "Outbox entries written (statements, AGS scores) by target and kind",
            ["target", "kind"],
            registry=r,
        )
        self.settled_entries = Counter(
            "yrkesresan_outbox_attempts",
            "Delivery attempts by target, kind and outcome (delivered, retried, dead)",
            ["target", "kind", "outcome"],
            registry=r,
        )
        self.ags_answers = Counter(
            "yrkesresan_ags_scores",
            "AGS score posts by outcome and the platform's HTTP status class",
            ["outcome", "status_class"],
            registry=r,
        )

    # --- what the features report -------------------------------------------------
    def launch(self, outcome: str, error: str = "") -> None:
        """A launch ended: ``ok`` or ``refused`` with the error's ``code``."""
        self.launches.labels(outcome=outcome, error=error).inc()

    def answered(self, endpoint: str, method: str, status: str, seconds: float) -> None:
        """A request was answered: its count and latency (the labelled children are kept
        per label set, as ``labels()`` itself keeps them, without its checks each time)."""
        key = (endpoint, method, status)
        found = self._answered.get(key)
        if found is None:
            found = self._answered[key] = (
                self.requests.labels(endpoint, method, status),
                self.latency.labels(endpoint, method),
            )
        found[0].inc()
        found[1].observe(seconds)

    def enqueued(self, target: str, kind: str, count: int) -> None:
        self.enqueued_entries.labels(target=target, kind=kind).inc(count)

    def settled(self, target: str, kind: str, outcome: Settled, count: int) -> None:
        self.settled_entries.labels(target=target, kind=kind, outcome=outcome).inc(count)

    def ags_answer(self, outcome: str, status: int | None) -> None:
        self.ags_answers.labels(outcome=outcome, status_class=status_class(status)).inc()

    def add_collector(self, collector: Collector) -> None:
        """A collector read at scrape time in the scraping process (e.g. the backlog)."""
        self._collectors.append(collector)
        self.registry.register(collector)

    # --- the page -----------------------------------------------------------------
    def exposition(self) -> bytes:
        """The text format of every metric (of all processes in multiprocess mode)."""
        path = multiprocess_dir()
        if path is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
        for collector in self._collectors:
            registry.register(collector)
        return generate_latest(registry)


def metrics(app: Flask | None = None) -> Metrics | None:
    """The app's metrics, None when ``metrics.enabled`` is off."""
    return AdapterState.of(app).services.metrics


def outbox_events(app: Flask) -> OutboxEvents:
    """What an :class:`~yrkesresan_lti.outbox.Outbox` of the app reports to."""
    return metrics(app) or NO_OUTBOX_EVENTS


def add_collector(app: Flask, collector: Collector) -> None:
    """Add a scrape-time collector, when metrics are on."""
    found = metrics(app)
    if found is not None:
        found.add_collector(collector)


def _addresses() -> Iterable[str]:
    yield request.remote_addr or ""
    for header in request.headers.getlist("X-Forwarded-For"):
        yield from (part.strip() for part in header.split(","))


def _in_networks(address: str, settings: MetricsSettings) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks = (ipaddress.ip_network(n, strict=False) for n in settings.allowed_networks)
    return any(ip.version == n.version and ip in n for n in networks)


def allowed(settings: MetricsSettings) -> bool:
    """The bearer token, or every address of the request in the allowed networks."""
    if settings.token is not None:
        sent = request.headers.get("Authorization", "")
        expected = "Bearer " + settings.token.get_secret_value()
        if same_secret(sent, expected):
            return True
    return all(_in_networks(address, settings) for address in _addresses())


def _finish(response: Response) -> Response:
    # every request: the request and g read from Flask's context variables, not through a
    # proxy per attribute; timed from request_log's start (the first hook: a request refused
    # by a later one, as the request boundary refuses, is counted too)
    app_context = _cv_app.get()
    started: float | None = getattr(app_context.g, request_log.STARTED, None)
    found = metrics(app_context.app)
    if found is not None and started is not None:
        request = _cv_request.get().request
        endpoint = request.endpoint or "unmatched"  # a 404 has no endpoint: one bucket
        method = request.method if request.method in _METHODS else "other"
        found.answered(endpoint, method, str(response.status_code), time.perf_counter() - started)
    return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Set ``services.metrics`` (None when off), count requests and serve ``/metrics``."""
    if _EXTENSION in app.extensions:
        raise ConfigurationError("metrics are already registered on this app")
    app.extensions[_EXTENSION] = True
    state = AdapterState.of(app)
    settings = state.settings.metrics
    if not settings.enabled:
        state.services.metrics = None
        return
    state.services.metrics = Metrics()
    app.after_request(_finish)

    @app.get("/metrics")
    def scrape() -> Response:
        found = metrics()
        if found is None or not allowed(settings):
            abort(404)
        response = Response(found.exposition(), mimetype=CONTENT_TYPE_LATEST)
        response.headers["Cache-Control"] = "no-store"
        return response
