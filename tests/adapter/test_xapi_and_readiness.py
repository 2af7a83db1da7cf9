"""The xAPI profile endpoint and the outbox-lag readiness check."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import insert

from yrkesresan_adapter import create_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_lti.catalog import default_catalog_path, load_catalog
from yrkesresan_lti.settings import LrsTarget, Settings


def _app(tmp_path: Path, **values: object) -> Flask:
    settings = Settings(instance_path=tmp_path / "instance", _env_file=None, **values)  # type: ignore[call-arg]
    return create_app(settings)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return _app(tmp_path)


def test_profile_is_served_as_json_ld_with_the_catalogs_iri_base(app: Flask) -> None:
    response = app.test_client().get("/xapi/profile.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    profile = json.loads(response.get_data(as_text=True))
    base = load_catalog(default_catalog_path()).iri_base
    assert profile["id"] == f"{base}profile"
    assert profile["templates"], "the profile lists one statement template per event"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def _queue(app: Flask, target: str, age: timedelta) -> None:
    created = datetime.now(UTC) - age
    with AdapterState.of(app).services.db.engine.begin() as conn:
        conn.execute(
            insert(outbox_tables.entries),
            {
                "target": target,
                "kind": "xapi-statement",
                "dedupe_id": "7d5b5b0e-6f55-4bb5-9a59-7a9d3c1e0c11",
                "payload": b'{"id":"7d5b5b0e-6f55-4bb5-9a59-7a9d3c1e0c11"}',
                "status": "pending",
                "attempts": 0,
                "created_at": created,
                "next_attempt_at": created,
            },
        )


def test_readiness_reports_pending_statements_without_failing_when_no_lrs(app: Flask) -> None:
    _queue(app, "default", timedelta(days=3))
    response = app.test_client().get("/readyz")
    outbox = response.json["checks"]["outbox"]  # type: ignore[index]
    assert response.status_code == 200
    assert outbox["pending"] == 1
    assert outbox["note"] == "no LRS configured: statements wait in the outbox"


def test_readiness_fails_when_a_configured_lrs_lags_behind(tmp_path: Path) -> None:
    target = LrsTarget(name="default", endpoint="http://127.0.0.1:9/xAPI/")
    app = _app(tmp_path, lrs=target)
    client = app.test_client()
    _queue(app, "default", timedelta(minutes=5))
    assert client.get("/readyz").status_code == 200
    _queue(app, "default", timedelta(hours=2))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["outbox"]["oldest_pending_seconds"] >= 7200  # type: ignore[index]
