"""Dynamic Registration, the Canvas JSON and the logo through the adapter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.advantage.test_canvas_config import CANVAS_DEVELOPER_KEY_SCHEMA
from tests.lti_fixtures import make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.testing.services import FakePlatformServices, serve

import jsonschema  # type: ignore[import-untyped]  # isort: skip


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, base_url="https://yrkesresan.kommun.example")
    yield app
    AdapterState.of(app).services.db.dispose()


@pytest.fixture
def moodle() -> Iterator[FakePlatformServices]:
    platform = FakePlatformServices(client_id="moodle-client-9", deployment_id="5")
    with serve(platform):
        yield platform


def test_moodle_registration_is_stored_and_explains_activation(
    app: Flask, moodle: FakePlatformServices
) -> None:
    response = app.test_client().get(
        "/lti/register",
        query_string={
            "openid_configuration": moodle.openid_configuration_url,
            "registration_token": "reg-token",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Webbplatsadministration → Plugins → Aktivitetsmoduler → Externt verktyg" in html
    assert "Aktivera" in html
    assert "postMessage({subject: 'org.imsglobal.lti.close'}, '*')" in html
    saved = AdapterState.of(app).services.platforms.find(moodle.issuer, "moodle-client-9")
    assert saved is not None
    assert [(d.deployment_id, d.active) for d in saved.deployments] == [("5", True)]
    sent = moodle.registrations[0]
    assert sent["initiate_login_uri"] == "https://yrkesresan.kommun.example/lti/login"
    assert sent["logo_uri"] == "https://yrkesresan.kommun.example/lti/logo.svg"


def test_expired_registration_token_gives_a_swedish_400_and_stores_nothing(
    app: Flask, moodle: FakePlatformServices
) -> None:
    response = app.test_client().get(
        "/lti/register",
        query_string={
            "openid_configuration": moodle.openid_configuration_url,
            "registration_token": "expired",
        },
    )
    assert response.status_code == 400
    assert "starta om registreringen" in response.get_data(as_text=True)
    assert AdapterState.of(app).services.platforms.list() == []


def test_missing_configuration_parameter_is_a_400(app: Flask) -> None:
    response = app.test_client().get("/lti/register")
    assert response.status_code == 400
    assert "openid_configuration" in response.get_data(as_text=True)


def test_production_refuses_a_plain_http_platform(
    tmp_path: Path, moodle: FakePlatformServices
) -> None:
    app = make_app(tmp_path, base_url="https://yrkesresan.kommun.example", production=True)
    response = app.test_client().get(
        "/lti/register",
        query_string={
            "openid_configuration": moodle.openid_configuration_url,
            "registration_token": "reg-token",
        },
    )
    assert response.status_code == 400
    assert "HTTPS" in response.get_data(as_text=True)
    assert moodle.requests == []  # refused before asking the platform anything
    AdapterState.of(app).services.db.dispose()


def test_canvas_json_endpoint_is_a_valid_developer_key(app: Flask) -> None:
    response = app.test_client().get("/lti/config/canvas.json")
    assert response.status_code == 200
    key = response.get_json()
    jsonschema.validate(key, CANVAS_DEVELOPER_KEY_SCHEMA)
    assert key["public_jwk_url"] == "https://yrkesresan.kommun.example/.well-known/jwks.json"


def test_logo_is_served(app: Flask) -> None:
    response = app.test_client().get("/lti/logo.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"


def test_unavailable_database_is_a_503_not_a_500(
    tmp_path: Path, moodle: FakePlatformServices
) -> None:
    app = make_app(tmp_path, base_url="https://yrkesresan.kommun.example")
    db = AdapterState.of(app).services.db
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE lti_deployments")
        conn.exec_driver_sql("DROP TABLE lti_platforms")
    response = app.test_client().get(
        "/lti/register",
        query_string={
            "openid_configuration": moodle.openid_configuration_url,
            "registration_token": "reg-token",
        },
    )
    assert response.status_code == 503
    assert "databas" in response.get_data(as_text=True)
    db.dispose()
