"""The delivery worker takes its batches in flight from the settings."""

from __future__ import annotations

from pathlib import Path

from tests.lti_fixtures import make_app
from yrkesresan_adapter.delivery import delivery_worker
from yrkesresan_adapter.state import AdapterState


def test_the_delivery_worker_has_the_batches_in_flight_of_the_settings(tmp_path: Path) -> None:
    default = make_app(tmp_path / "two")
    one = make_app(tmp_path / "one", outbox_batches_in_flight=1)
    try:
        assert delivery_worker(default).in_flight == 2
        assert delivery_worker(one).in_flight == 1
    finally:
        for app in (default, one):
            AdapterState.of(app).services.db.dispose()
