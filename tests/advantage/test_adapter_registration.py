"""Dynamic Registration, the Canvas JSON and the logo through the adapter."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from flask import Flask

from tests.advantage.test_canvas_config import CANVAS_DEVELOPER_KEY_SCHEMA
from tests.hostile import LONE_SURROGATE, NUL
from tests.lti_fixtures import make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.advantage.registration import PLATFORM_CONFIGURATION, TOOL_CONFIGURATION
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


ISSUER = "https://moodle.kommun.example"
CONFIGURATION_URL = f"{ISSUER}/mod/lti/openid-configuration.php"
REGISTRATION_URL = f"{ISSUER}/mod/lti/openid-registration.php"


def _platform_answers(configuration: dict[str, Any], answer: Any) -> None:
    """The platform's configuration and its answer to our registration, as raw JSON
    (``json.dumps`` writes NUL and lone surrogates as ``\\u`` escapes, as a platform may)."""
    responses.add(
        responses.GET,
        CONFIGURATION_URL,
        body=json.dumps(configuration),
        content_type="application/json",
    )
    responses.add(
        responses.POST, REGISTRATION_URL, body=json.dumps(answer), content_type="application/json"
    )


def _configuration(**changed: Any) -> dict[str, Any]:
    return {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/mod/lti/auth.php",
        "token_endpoint": f"{ISSUER}/mod/lti/token.php",
        "jwks_uri": f"{ISSUER}/mod/lti/certs.php",
        "registration_endpoint": REGISTRATION_URL,
        PLATFORM_CONFIGURATION: {"product_family_code": "moodle"},
        **changed,
    }


def _answer(client_id: Any = "moodle-client-9", deployment_id: Any = "5") -> dict[str, Any]:
    return {"client_id": client_id, TOOL_CONFIGURATION: {"deployment_id": deployment_id}}


@responses.activate
@pytest.mark.parametrize(
    ("configuration", "answer", "field"),
    [
        (
            _configuration(token_endpoint=f"{ISSUER}/token{LONE_SURROGATE}"),
            _answer(),
            "token_endpoint",
        ),
        (_configuration(jwks_uri=f"{ISSUER}/certs{NUL}"), _answer(), "jwks_uri"),
        (_configuration(jwks_uri=f"{ISSUER}/{'c' * 2100}"), _answer(), "jwks_uri"),
        (
            _configuration(
                **{PLATFORM_CONFIGURATION: {"product_family_code": "m" + LONE_SURROGATE}}
            ),
            _answer(),
            "product_family_code",
        ),
        (
            _configuration(**{PLATFORM_CONFIGURATION: {"product_family_code": 10**30}}),
            _answer(),
            "product_family_code",
        ),
        (_configuration(authorization_server="a" + NUL), _answer(), "authorization_server"),
        (_configuration(), _answer(client_id="c" + NUL), "client_id"),
        (_configuration(), _answer(client_id="c" + LONE_SURROGATE), "client_id"),
        (_configuration(), _answer(client_id="c" * 256), "client_id"),
        (_configuration(), _answer(deployment_id="5" + LONE_SURROGATE), "deployment_id"),
        (_configuration(), _answer(deployment_id=["5"]), "deployment_id"),
    ],
)
def test_a_platform_sending_what_we_cannot_store_is_a_400_naming_it_and_nothing_is_stored(
    app: Flask, configuration: dict[str, Any], answer: Any, field: str
) -> None:
    """What the platform sends is as untrusted as a browser's form (anyone can point
    ``/lti/register`` at a configuration of their own): checked before anything is stored.
    A lone surrogate was a 500; a NUL was stored on SQLite and a 503 on PostgreSQL."""
    _platform_answers(configuration, answer)
    response = app.test_client().get(
        "/lti/register",
        query_string={"openid_configuration": CONFIGURATION_URL, "registration_token": "t"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert response.headers["X-Yrkesresan-Error"] == "RegistrationError"
    page = html.unescape(response.get_data(as_text=True))
    assert f"The platform's {field} cannot be used" in page
    assert AdapterState.of(app).services.platforms.list() == []


@responses.activate
def test_numeric_ids_from_a_platform_are_stored_as_text(app: Flask) -> None:
    _platform_answers(_configuration(), _answer(client_id=10**20, deployment_id=7))
    response = app.test_client().get(
        "/lti/register",
        query_string={"openid_configuration": CONFIGURATION_URL, "registration_token": "t"},
    )
    assert response.status_code == 200
    saved = AdapterState.of(app).services.platforms.find(ISSUER, str(10**20))
    assert saved is not None
    assert [d.deployment_id for d in saved.deployments] == ["7"]


def test_a_configuration_address_no_url_parser_reads_is_a_400(app: Flask) -> None:
    """``urlsplit("http://[")`` raises: an anonymous request made it a 500."""
    query = {"openid_configuration": "http://[", "registration_token": "t"}
    response = app.test_client().get("/lti/register", query_string=query)
    assert response.status_code == 400
    assert response.headers["X-Yrkesresan-Error"] == "RegistrationError"


@responses.activate
@pytest.mark.parametrize("field", ["issuer", "token_endpoint", "jwks_uri"])
def test_a_platform_url_no_url_parser_reads_is_a_400_and_nothing_is_stored(
    app: Flask, field: str
) -> None:
    _platform_answers(_configuration(**{field: "https://[moodle/"}), _answer())
    response = app.test_client().get(
        "/lti/register",
        query_string={"openid_configuration": CONFIGURATION_URL, "registration_token": "t"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert field in html.unescape(response.get_data(as_text=True))
    assert AdapterState.of(app).services.platforms.list() == []
