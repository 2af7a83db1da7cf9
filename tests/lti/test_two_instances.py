"""Two app instances on one database (like two workers): any instance finishes a launch
another started, a nonce is used once across them, launch tokens resolve on both."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from tests.lti_fixtures import FlaskBrowser, attach_simulator, make_app
from yrkesresan_adapter.lti.views import binding_cookie
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.instance_secret import SECRET_FILE, load_secret
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.testing.simulator import PlatformSimulator


@pytest.fixture
def apps(
    tmp_path: Path,
    database_url: str,
    simulator: PlatformSimulator,
) -> Iterator[tuple[Flask, Flask]]:
    one = make_app(tmp_path / "one", database_url=database_url)
    two = make_app(tmp_path / "two", database_url=database_url)
    attach_simulator(one, simulator)
    attach_simulator(two, simulator)
    yield one, two
    for app in (one, two):
        AdapterState.of(app).services.db.dispose()


def _copy_binding(source: FlaskClient, target: FlaskClient, state: str) -> None:
    """The same browser, its next request reaching another instance."""
    cookie = source.get_cookie(binding_cookie(state), path="/lti/launch")
    assert cookie is not None
    target.set_cookie(cookie.key, cookie.value, path="/lti/launch")


def test_a_launch_started_on_one_instance_finishes_on_the_other(
    apps: tuple[Flask, Flask], simulator: PlatformSimulator
) -> None:
    one, two = apps
    client = one.test_client()  # one browser; its requests reach different instances
    query = simulator.start(FlaskBrowser(client), "/lti/login")
    post = simulator.authorize(query)
    other = two.test_client()
    _copy_binding(client, other, query["state"])
    response = other.post("/lti/launch", data=post.fields)
    assert response.status_code == 200  # the first page, read back on the other instance
    token = dict(parse_qsl(urlsplit(response.headers["Content-Location"]).query))["lt"]
    assert one.test_client().get("/app", query_string={"lt": token}).status_code == 200


def test_a_used_state_is_refused_by_the_other_instance(
    apps: tuple[Flask, Flask], simulator: PlatformSimulator
) -> None:
    one, two = apps
    client = one.test_client()
    query = simulator.start(FlaskBrowser(client), "/lti/login")
    post = simulator.authorize(query)
    other = two.test_client()
    _copy_binding(client, other, query["state"])
    assert client.post("/lti/launch", data=post.fields).status_code == 200
    # The same post with the same binding on another instance: its sealed nonce is used.
    replay = other.post("/lti/launch", data=post.fields)
    assert replay.status_code == 400
    assert replay.headers["X-Yrkesresan-Error"] == "BadState"


def test_the_login_writes_nothing_to_the_database(
    apps: tuple[Flask, Flask], simulator: PlatformSimulator
) -> None:
    one, _ = apps
    db = AdapterState.of(one).services.db
    simulator.start(FlaskBrowser(one.test_client()), "/lti/login")  # the app's first request
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    query = simulator.start(FlaskBrowser(one.test_client()), "/lti/login")
    assert query["nonce"]
    assert statements == []  # the registration comes from the login's short cache


def test_the_generated_secret_is_shared_and_private(tmp_path: Path) -> None:
    settings = Settings(instance_path=tmp_path, _env_file=None)
    first, second = load_secret(settings), load_secret(settings)
    assert first == second
    assert len(first) >= 32
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    configured = Settings(instance_path=tmp_path, secret_key="x" * 32, _env_file=None)
    assert load_secret(configured) == b"x" * 32
