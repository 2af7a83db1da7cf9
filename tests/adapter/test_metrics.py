"""``/metrics``: what an operator's Prometheus reads after launches and deliveries, who may
read it, gunicorn's multiprocess mode, and the ``/readyz`` thresholds from the settings."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from flask import Flask
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.adapter.test_xapi_and_readiness import _app, _queue
from tests.lti_fixtures import (  # noqa: F401 - fixtures
    LaunchClientFactory,
    launch_app,
    launched_client,
    simulator,
)
from yrkesresan_adapter.delivery import delivery_worker, serve_worker_metrics
from yrkesresan_lti.outbox import DeliveryOutcome, OutboxItem
from yrkesresan_lti.settings import LrsTarget

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}
COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(app: Flask) -> str:
    response = app.test_client().get("/metrics")
    assert response.status_code == 200, response.status
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


class Accepting:
    """A deliverer that takes every entry (the LRS said 200)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        self.seen.extend(i.dedupe_id for i in items)
        return [DeliveryOutcome.delivered() for _ in items]


def test_a_launch_and_a_delivery_move_the_counters(
    launch_app: Flask,  # noqa: F811
    launched_client: LaunchClientFactory,  # noqa: F811
) -> None:
    before = scrape(launch_app)
    launched_client("learner", custom={"yrkesresan_node": COURSE})  # sends *launched*
    refused = launch_app.test_client().post("/lti/launch", data={"state": "nope"})
    after_launch = scrape(launch_app)

    worker = delivery_worker(launch_app)
    worker.deliverers["default"] = accepting = Accepting()
    report = worker.run_once()
    after = scrape(launch_app)

    assert refused.status_code == 400
    code = refused.headers["X-Yrkesresan-Error"]
    launches = "yrkesresan_lti_launches_total"
    assert value(before, launches, outcome="ok", error="") == 0
    assert value(after_launch, launches, outcome="ok", error="") == 1
    assert value(after_launch, launches, outcome="refused", error=code) == 1
    requests = "yrkesresan_http_requests_total"
    assert value(after_launch, requests, endpoint="lti.launch", method="POST", status="200") == 1
    latency = "yrkesresan_http_request_duration_seconds_count"
    assert value(after_launch, latency, endpoint="lti.launch", method="POST") == 2
    enqueued = value(after_launch, "yrkesresan_outbox_enqueued_total", target="default",
                     kind="xapi-statement")  # fmt: skip
    assert enqueued >= 1
    assert value(after_launch, "yrkesresan_outbox_pending", target="default") == enqueued
    assert report.delivered == len(accepting.seen) >= 1
    delivered = value(after, "yrkesresan_outbox_attempts_total", target="default",
                      kind="xapi-statement", outcome="delivered")  # fmt: skip
    assert delivered == report.delivered
    assert value(after, "yrkesresan_outbox_pending", target="default") == enqueued - delivered
    assert "/lti/" not in "".join(k[1][0][1] for k in samples(after) if k[1])  # no raw paths


def test_a_request_the_boundary_refuses_is_counted_with_its_status(tmp_path: Path) -> None:
    app = _app(tmp_path)
    client = app.test_client()

    refused = client.get("/healthz", query_string={"q": "x" * 201})
    answered = client.get("/healthz")

    assert (refused.status_code, answered.status_code) == (400, 200)
    text = scrape(app)
    requests = "yrkesresan_http_requests_total"
    assert value(text, requests, endpoint="health.healthz", method="GET", status="400") == 1
    assert value(text, requests, endpoint="health.healthz", method="GET", status="200") == 1
    latency = "yrkesresan_http_request_duration_seconds_count"
    assert value(text, latency, endpoint="health.healthz", method="GET") == 2


def test_metrics_are_404_for_an_outside_address_and_a_forwarded_request(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()

    outside = client.get("/metrics", environ_base=OUTSIDE)
    forwarded = client.get("/metrics", headers={"X-Forwarded-For": "198.51.100.4"})
    inside = client.get("/metrics")

    assert outside.status_code == 404
    assert b"yrkesresan_" not in outside.data
    assert forwarded.status_code == 404
    assert inside.status_code == 200


def test_a_bearer_token_and_an_allowed_network_let_a_scraper_in(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        metrics={"token": "scrape-secret-0123456789", "allowed_networks": ["203.0.113.0/24"]},
    )
    client = app.test_client()
    far = {"REMOTE_ADDR": "192.0.2.9"}

    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 200
    assert client.get("/metrics", environ_base=far).status_code == 404
    wrong = client.get("/metrics", environ_base=far, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 404
    token = {"Authorization": "Bearer scrape-secret-0123456789"}
    assert client.get("/metrics", environ_base=far, headers=token).status_code == 200
    assert client.get("/metrics").status_code == 404  # loopback is no longer listed


def test_metrics_can_be_switched_off(tmp_path: Path) -> None:
    app = _app(tmp_path, metrics={"enabled": False})

    assert app.test_client().get("/metrics").status_code == 404
    assert app.test_client().get("/healthz").status_code == 200


PROCESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from yrkesresan_adapter import create_app
    from yrkesresan_lti.settings import Settings

    app = create_app(Settings(instance_path=Path(sys.argv[1]), _env_file=None))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    if sys.argv[2] == "scrape":
        sys.stdout.write(client.get("/metrics").get_data(as_text=True))
    """
)


def test_multiprocess_mode_sums_every_process(tmp_path: Path) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared)}

    def run(what: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", PROCESS, str(tmp_path / "instance"), what],
            env=env, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        return done.stdout

    run("request")
    scraped = run("scrape")
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(shared))  # type: ignore[no-untyped-call]
    collected = generate_latest(registry).decode()

    name, labels = "yrkesresan_http_requests_total", {"method": "GET", "status": "200"}
    assert value(scraped, name, endpoint="health.healthz", **labels) == 2
    assert value(collected, name, endpoint="health.healthz", **labels) == 2
    assert "yrkesresan_outbox_pending" in scraped  # the database collector runs at scrape
    assert len(list(shared.glob("*.db"))) >= 2  # one file per process


def test_readiness_thresholds_come_from_the_settings(tmp_path: Path) -> None:
    target = LrsTarget(name="default", endpoint="http://127.0.0.1:9/xAPI/")
    strict = _app(tmp_path / "a", lrs=target, ready_max_outbox_age_seconds=60)
    small = _app(tmp_path / "b", lrs=target, ready_max_outbox_backlog=1)
    _queue(strict, "default", timedelta(minutes=5))
    _queue(small, "default", timedelta(seconds=1))
    assert small.test_client().get("/readyz").status_code == 200
    _queue(small, "default", timedelta(seconds=1))

    old = strict.test_client().get("/readyz")
    many = small.test_client().get("/readyz")

    assert old.status_code == 503
    assert old.json["checks"]["outbox"]["max_age_seconds"] == 60  # type: ignore[index]
    assert many.status_code == 503
    assert many.json["checks"]["outbox"]["pending"] == 2  # type: ignore[index]


def test_the_worker_serves_its_own_metrics_on_loopback(tmp_path: Path) -> None:
    app = _app(tmp_path)
    _queue(app, "default", timedelta(minutes=1))
    server = serve_worker_metrics(app, 0)
    assert server is not None
    try:
        host, port = server.server_address[:2]
        with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=10) as answer:
            text = answer.read().decode()
    finally:
        server.shutdown()
        server.server_close()

    assert host == "127.0.0.1"
    assert value(text, "yrkesresan_outbox_pending", target="default") == 1
    assert serve_worker_metrics(_app(tmp_path / "off")) is None  # no port set: nothing served
