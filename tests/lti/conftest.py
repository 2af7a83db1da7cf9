"""Fixtures of the launch area: a simulated platform and the framework-free launch flow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.conftest import FakeClock
from tests.db_fixtures import database_url  # noqa: F401
from tests.log_fixtures import configure_logs  # noqa: F401
from tests.lti_fixtures import launch_app, launched_client, simulator  # noqa: F401
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.jwks_cache import JwksCache
from yrkesresan_lti.lti.launch import LaunchFlow
from yrkesresan_lti.lti.login import LoginRequest, OidcLogin
from yrkesresan_lti.lti.memory import MemoryLaunchStateStore, MemoryNonceStore, MemoryPlatformStore
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.lti.validation import IdTokenValidator
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator
from yrkesresan_lti.testing.transport import SimulatorTransport

TOOL = "https://tool.example"
ISSUER = "https://lms.kommun.example"
START = datetime.fromtimestamp(1_800_000_000, UTC)


@pytest.fixture(scope="session")
def platform_key() -> SigningKey:
    return generate_signing_key()


@pytest.fixture
def clock_start() -> datetime:
    return START


@dataclass
class Core:
    """The core launch flow wired to in-memory stores and a simulator."""

    sim: PlatformSimulator
    platforms: MemoryPlatformStore
    states: MemoryLaunchStateStore
    nonces: MemoryNonceStore
    transport: SimulatorTransport
    jwks: JwksCache
    login: OidcLogin
    flow: LaunchFlow
    clock: FakeClock

    def begin(self, launch: SimLaunch | None = None) -> tuple[dict[str, str], str]:
        """Run the login; returns the auth request query and the browser binding."""
        fields = self.sim.login_form(TOOL + "/lti/login", launch).fields
        redirect = self.login.start(LoginRequest.from_params(fields))
        from urllib.parse import parse_qsl, urlsplit

        return dict(parse_qsl(urlsplit(redirect.url).query)), redirect.browser_binding

    def launch(
        self,
        launch: SimLaunch | None = None,
        *,
        tamper: Callable[[dict[str, Any]], None] | None = None,
        token: Callable[[dict[str, str]], str] | None = None,
    ) -> LaunchContext:
        query, binding = self.begin(launch)
        post = self.sim.authorize(query, tamper=tamper)
        fields = dict(post.fields)
        if token is not None:
            fields["id_token"] = token(query)
        return self.flow.complete(fields, binding)


@pytest.fixture
def core(platform_key: SigningKey, clock: FakeClock) -> Core:
    sim = PlatformSimulator(issuer=ISSUER, tool_url=TOOL, key=platform_key, clock=clock)
    platforms = MemoryPlatformStore()
    sim.register(platforms)
    states, nonces = MemoryLaunchStateStore(clock), MemoryNonceStore(clock)
    transport = SimulatorTransport(sim)
    session = requests.Session()
    session.mount(ISSUER + "/", transport)
    jwks = JwksCache(session, timer=clock.monotonic)
    login = OidcLogin(platforms, states, tool_base_url=TOOL, redirect_uri=TOOL + "/lti/launch")
    validator = IdTokenValidator(platforms, nonces, jwks, tool_base_url=TOOL, clock=clock)
    return Core(
        sim, platforms, states, nonces, transport, jwks, login, LaunchFlow(states, validator), clock
    )
