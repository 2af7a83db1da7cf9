"""The launch's nonce consume and platform look-up (one statement on PostgreSQL, two on
SQLite): the same answers on both databases, and nothing consumed for an unknown platform."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from tests.lti_fixtures import app_on_each_backend, begin_login  # noqa: F401 (fixture: app)
from yrkesresan_adapter.lti.oidc_stores import SqlRegisteredNonceStore
from yrkesresan_adapter.lti.views import binding_cookie
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.models import UsedNonce
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator


def _post(client: FlaskClient, sim: PlatformSimulator, query: dict[str, str]) -> TestResponse:
    token = sim.sign(sim.claims(SimLaunch(), nonce=query["nonce"]))
    return client.post("/lti/launch", data={"state": query["state"], "id_token": token})


def _nonces(app: Flask) -> int:
    with AdapterState.of(app).services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(UsedNonce)) or 0)


def _refused(response: TestResponse, status: int, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.headers["X-Yrkesresan-Error"] == code


def test_the_launch_consumes_the_nonce_with_the_platform_look_up(app: Flask) -> None:
    nonces = AdapterState.of(app).services.launch.validator.flow.validator.nonces
    assert isinstance(nonces, SqlRegisteredNonceStore)


def test_a_launch_consumes_its_nonce_once(app: Flask, simulator: PlatformSimulator) -> None:
    client = app.test_client()
    query = begin_login(client, simulator)
    cookie = client.get_cookie(binding_cookie(query["state"]), path="/lti/launch")
    assert cookie is not None
    assert _post(client, simulator, query).status_code == 200
    assert _nonces(app) == 1
    # the same browser, its binding cookie (which the launch deleted) sent again
    client.set_cookie(cookie.key, cookie.value, path="/lti/launch")
    _refused(_post(client, simulator, query), 400, "BadState")
    assert _nonces(app) == 1


def test_an_unknown_platform_is_refused_and_consumes_nothing(
    app: Flask, simulator: PlatformSimulator
) -> None:
    client = app.test_client()
    query = begin_login(client, simulator)
    AdapterState.of(app).services.platforms.remove(simulator.issuer, simulator.client_id)
    _refused(_post(client, simulator, query), 400, "UnknownIssuer")
    assert _nonces(app) == 0


def test_a_deactivated_deployment_is_refused_after_the_look_up(
    app: Flask, simulator: PlatformSimulator
) -> None:
    client = app.test_client()
    assert _post(client, simulator, begin_login(client, simulator)).status_code == 200
    query = begin_login(client, simulator)  # the registration's version is remembered
    AdapterState.of(app).services.platforms.set_deployment_active(
        simulator.issuer, "1", False, simulator.client_id
    )
    _refused(_post(client, simulator, query), 403, "DeploymentNotActive")
    assert _post(client, simulator, begin_login(client, simulator)).status_code == 403
