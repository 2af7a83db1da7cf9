"""Launch fixtures for every test package: an app with a simulated LMS, launched clients.

Import what you need into your package's ``conftest.py``::

    from tests.lti_fixtures import launch_app, launched_client, simulator  # noqa: F401

    def test_learner_sees_home(launched_client: LaunchClientFactory) -> None:
        learner = launched_client(role="learner")
        response = learner.get("/app")           # carries the launch token (lt=...)
        assert learner.context.role is ToolRole.LEARNER

Roles: ``learner`` (Learner), ``manager`` (Instructor), ``admin`` (Administrator),
``mentor`` (Mentor with ``role_scope_mentor`` = the learner's sub); ``message="deep"`` for a
deep-linking launch; ``custom={"yrkesresan_node": iri}`` for custom parameters. The app
uses a SQLite file in ``tmp_path`` and the real stores; launches run the real OIDC flow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.db_fixtures import BACKENDS, empty_database_url
from tests.landing import landed_token
from yrkesresan_adapter import create_app
from yrkesresan_adapter.lti.session import TOKEN_PARAM, sessions
from yrkesresan_adapter.lti.views import LaunchServices
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import BrowserResponse, PlatformSimulator
from yrkesresan_lti.testing.transport import SimulatorTransport


def _moodle_fixtures() -> Path:
    """``../shared/fixtures/moodle-4.5`` beside the project (where CI lays shared/)."""
    root = Path(__file__).resolve().parent.parent
    for candidate in (root.parent / "shared", Path("/work/shared")):
        if (candidate / "fixtures" / "moodle-4.5").is_dir():
            return candidate / "fixtures" / "moodle-4.5"
    raise FileNotFoundError("shared/fixtures/moodle-4.5 not found beside the project")


MOODLE_FIXTURES = _moodle_fixtures()
"""Real LTI 1.3 payloads captured from a Moodle 4.5.6 test site."""

TOOL_URL = "http://localhost"
PLATFORM_ISSUER = "https://lms.kommun.example"
_KEY: list[SigningKey] = []


def platform_key() -> SigningKey:
    """One simulator key per test session (RSA generation is slow)."""
    if not _KEY:
        _KEY.append(generate_signing_key())
    return _KEY[0]


class FlaskBrowser:
    """A :class:`~yrkesresan_lti.testing.simulator.Browser` over Flask's test client."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.last: TestResponse | None = None

    def post_form(self, url: str, fields: Mapping[str, str]) -> BrowserResponse:
        self.last = self.client.post(url, data=dict(fields))
        return BrowserResponse(
            self.last.status_code, dict(self.last.headers), self.last.get_data(as_text=True)
        )


def make_app(tmp_path: Path, **settings: Any) -> Flask:
    values: dict[str, Any] = {
        "instance_path": tmp_path / "instance",
        "base_url": TOOL_URL,
        "secret_key": "test-secret-key-of-enough-length",
        **settings,
    }
    return create_app(Settings(_env_file=None, **values))


def attach_simulator(app: Flask, simulator: PlatformSimulator) -> SimulatorTransport:
    """Register the simulated platform in the app's store and serve its key set to the app."""
    state = AdapterState.of(app)
    simulator.register(state.services.platforms)
    transport = SimulatorTransport(simulator)
    launch: LaunchServices = state.services.launch
    launch.validator.jwks.session.mount(simulator.issuer + "/", transport)
    return transport


@pytest.fixture(name="app", params=BACKENDS)
def app_on_each_backend(
    request: pytest.FixtureRequest, tmp_path: Path, simulator: PlatformSimulator
) -> Iterator[Flask]:
    """``app``: the adapter on an empty, migrated database of each of
    ``tests.db_fixtures.BACKENDS``, the simulated platform registered (import it into a test
    module to have its tests run on each database)."""
    with empty_database_url(request.param, tmp_path) as url:
        app = make_app(tmp_path, database_url=url)
        attach_simulator(app, simulator)
        yield app
        AdapterState.of(app).services.db.dispose()


def begin_login(client: FlaskClient, sim: PlatformSimulator) -> dict[str, str]:
    """POST the platform's login initiation; the query of the tool's redirect to the
    platform (``state``, ``nonce``, ...)."""
    response = client.post("/lti/login", data=sim.login_form("/lti/login").fields)
    assert response.status_code == 302
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))


@pytest.fixture
def simulator() -> PlatformSimulator:
    return PlatformSimulator(issuer=PLATFORM_ISSUER, tool_url=TOOL_URL, key=platform_key())


@pytest.fixture
def launch_app(tmp_path: Path, simulator: PlatformSimulator) -> Iterator[Flask]:
    """The adapter (SQLite under ``tmp_path``) with the simulated platform registered."""
    app = make_app(tmp_path)
    attach_simulator(app, simulator)
    yield app
    AdapterState.of(app).services.db.dispose()


@dataclass
class LaunchedClient:
    """A test client after a successful launch, with its launch token and context."""

    client: FlaskClient
    token: str
    context: LaunchContext
    response: TestResponse

    def url(self, path: str) -> str:
        return f"{path}{'&' if '?' in path else '?'}{TOKEN_PARAM}={self.token}"

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(self.url(path), **kwargs)

    def post(self, path: str, data: Mapping[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        return self.client.post(path, data={**(data or {}), TOKEN_PARAM: self.token}, **kwargs)


class LaunchClientFactory(Protocol):
    def __call__(
        self,
        role: str = "learner",
        *,
        message: str = "resource",
        custom: Mapping[str, str] | None = None,
        context_id: str = "kurs-1",
        resource_link_id: str = "rl-1",
    ) -> LaunchedClient: ...


def launch(
    app: Flask, simulator: PlatformSimulator, sim_launch: SimLaunch, **tamper: Any
) -> LaunchedClient:
    """Run the real OIDC flow for ``sim_launch`` with a fresh browser (test client)."""
    browser = FlaskBrowser(app.test_client())
    response = simulator.launch(browser, f"{TOOL_URL}/lti/login", sim_launch, **tamper)
    token = landed_token(response)
    with app.app_context():
        context = sessions().resolve(token)
    assert browser.last is not None
    return LaunchedClient(browser.client, token, context, browser.last)


@pytest.fixture
def launched_client(launch_app: Flask, simulator: PlatformSimulator) -> LaunchClientFactory:
    def factory(
        role: str = "learner",
        *,
        message: str = "resource",
        custom: Mapping[str, str] | None = None,
        context_id: str = "kurs-1",
        resource_link_id: str = "rl-1",
    ) -> LaunchedClient:
        sim_launch = SimLaunch(
            user=role,
            message=message,
            resource_link_id=resource_link_id,
            context_id=context_id,
            custom=tuple((custom or {}).items()),
        )
        return launch(launch_app, simulator, sim_launch)

    return factory


Tamper = Callable[[dict[str, Any]], None]
