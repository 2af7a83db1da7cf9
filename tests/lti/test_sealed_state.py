"""A sealed OIDC state (no state stored by the login): bound to the browser, used once,
expiring, and refused when tampered with or made for another state or by another tool."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from tests.conftest import FakeClock
from tests.lti.conftest import ISSUER, TOOL, Core
from yrkesresan_lti import exceptions as ex
from yrkesresan_lti.lti.jwks_cache import JwksCache
from yrkesresan_lti.lti.launch import LaunchFlow
from yrkesresan_lti.lti.login import LoginRequest, OidcLogin
from yrkesresan_lti.lti.memory import MemoryLaunchStateStore
from yrkesresan_lti.lti.sealed_state import StateSeal
from yrkesresan_lti.lti.validation import IdTokenValidator
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.transport import SimulatorTransport

SECRET = b"sealed-state-test-secret-0123456789"


@pytest.fixture
def sealed(core: Core, clock: FakeClock) -> Core:
    """The core flow with a state seal (its state store must stay empty)."""
    seal = StateSeal(SECRET, 600, clock=clock)
    states = MemoryLaunchStateStore(clock)
    session = requests.Session()
    session.mount(ISSUER + "/", SimulatorTransport(core.sim))
    validator = IdTokenValidator(
        core.platforms, core.nonces, JwksCache(session), tool_base_url=TOOL, clock=clock
    )
    login = OidcLogin(
        core.platforms, states, tool_base_url=TOOL, redirect_uri=TOOL + "/lti/launch", seal=seal
    )
    flow = LaunchFlow(states, validator, seal=seal)
    return replace(core, states=states, login=login, flow=flow)


def test_a_sealed_login_stores_nothing_and_its_launch_passes(sealed: Core) -> None:
    query, binding = sealed.begin()
    assert sealed.states.pop(query["state"]) is None
    assert query["state"] not in binding
    assert query["nonce"] in str(
        StateSeal(SECRET, 600, clock=sealed.clock).open(query["state"], binding)
    )
    post = sealed.sim.authorize(query)
    context = sealed.flow.complete(post.fields, binding)
    assert (context.issuer, context.client_id) == (ISSUER, sealed.sim.client_id)


def test_a_sealed_state_is_used_once(sealed: Core) -> None:
    query, binding = sealed.begin()
    post = sealed.sim.authorize(query)
    sealed.flow.complete(post.fields, binding)
    with pytest.raises(ex.BadState) as refused:
        sealed.flow.complete(post.fields, binding)
    assert type(refused.value) is ex.BadState


def test_a_refused_launch_still_uses_its_sealed_state(sealed: Core) -> None:
    query, binding = sealed.begin()
    post = sealed.sim.authorize(query)
    head, body, signature = post.fields["id_token"].split(".")
    forged = {**post.fields, "id_token": f"{head}.{body}.{signature[::-1]}"}
    with pytest.raises(ex.LaunchCheckFailed):
        sealed.flow.complete(forged, binding)
    with pytest.raises(ex.BadState):
        sealed.flow.complete(post.fields, binding)


@pytest.mark.parametrize("binding", [None, "another-browser", "s1.e30.AAAA"])
def test_a_binding_not_sealed_for_the_state_is_refused(sealed: Core, binding: str | None) -> None:
    query, _ = sealed.begin()
    post = sealed.sim.authorize(query)
    with pytest.raises(ex.StateFromOtherBrowser) as refused:
        sealed.flow.complete(post.fields, binding)
    assert refused.value.details["cookie"] == ("missing" if binding is None else "different")


def test_the_seal_of_another_login_is_refused(sealed: Core) -> None:
    query, _ = sealed.begin()
    _, other_binding = sealed.begin()  # the same browser's (or an attacker's) other login
    post = sealed.sim.authorize(query)
    with pytest.raises(ex.StateFromOtherBrowser):
        sealed.flow.complete(post.fields, other_binding)


def test_a_tampered_seal_is_refused(sealed: Core) -> None:
    query, binding = sealed.begin()
    version, payload, signature = binding.split(".")
    post = sealed.sim.authorize(query)
    for bad in (f"{version}.{payload[:-2]}.{signature}", f"{version}.{payload}.{signature[1:]}"):
        with pytest.raises(ex.StateFromOtherBrowser):
            sealed.flow.complete(post.fields, bad)
    assert sealed.flow.complete(post.fields, binding).issuer == ISSUER  # still unused


def test_a_seal_of_another_secret_is_refused(sealed: Core) -> None:
    query, _ = sealed.begin()
    other = StateSeal(b"another-tool-secret-0123456789", 600, clock=sealed.clock)
    binding = other.seal(query["state"], ISSUER, sealed.sim.client_id, query["nonce"])
    with pytest.raises(ex.StateFromOtherBrowser):
        sealed.flow.complete(sealed.sim.authorize(query).fields, binding)


def test_an_expired_seal_is_refused(sealed: Core) -> None:
    query, binding = sealed.begin()
    post = sealed.sim.authorize(query)
    sealed.clock.advance(seconds=601)
    with pytest.raises(ex.BadState):
        sealed.flow.complete(post.fields, binding)


def test_an_id_token_of_another_login_is_refused(sealed: Core) -> None:
    query, binding = sealed.begin()
    other, _ = sealed.begin()
    post = sealed.sim.authorize({**other, "state": query["state"]})  # the other nonce
    with pytest.raises(ex.NonceMismatch):
        sealed.flow.complete(post.fields, binding)


def test_a_seal_needs_a_long_secret() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        StateSeal(b"short", 600)


def test_the_login_request_is_unchanged_by_the_seal(sealed: Core) -> None:
    fields = sealed.sim.login_form(TOOL + "/lti/login", SimLaunch()).fields
    redirect = sealed.login.start(LoginRequest.from_params(fields))
    query = dict(parse_qsl(urlsplit(redirect.url).query))
    assert {"state", "nonce", "client_id", "redirect_uri"} <= set(query)
    assert len(query["state"]) <= 200
