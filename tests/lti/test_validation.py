"""The id_token check pipeline, one check at a time (framework-free core)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
import requests

from tests.conftest import FakeClock
from tests.lti_fixtures import MOODLE_FIXTURES
from yrkesresan_lti import exceptions as ex
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.lti.context import MessageType, ToolRole
from yrkesresan_lti.lti.jwks_cache import JwksCache
from yrkesresan_lti.lti.login import LoginRequest
from yrkesresan_lti.lti.memory import MemoryLaunchStateStore, MemoryNonceStore, MemoryPlatformStore
from yrkesresan_lti.lti.pipeline import LaunchValidator
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.lti.stores import Deployment, SigningKey
from yrkesresan_lti.lti.validation import IdTokenValidator, IssuedState
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator
from yrkesresan_lti.testing.transport import SimulatorTransport

from .conftest import ISSUER, TOOL, Core

Tamper = Callable[[dict[str, Any]], None]


def _set(name: str, value: Any) -> Tamper:
    return lambda claims: claims.__setitem__(name, value)


def _drop(name: str) -> Tamper:
    return lambda claims: claims.pop(name, None)


def _edit(name: str, key: str, value: Any) -> Tamper:
    def tamper(claims: dict[str, Any]) -> None:
        if value is None:
            claims[name].pop(key, None)
        else:
            claims[name][key] = value

    return tamper


def test_a_valid_launch_gives_its_context(core: Core) -> None:
    context = core.launch(SimLaunch(user="manager", custom=(("yrkesresan_node", "x"),)))
    assert context.issuer == ISSUER
    assert context.client_id == core.sim.client_id
    assert context.deployment_id == "1"
    assert context.sub == "sim-manager-1"
    assert context.role is ToolRole.MANAGER
    assert context.message_type is MessageType.RESOURCE_LINK
    assert context.context_id == "kurs-1"
    assert context.resource_link_id == "rl-1"
    assert context.custom == {"yrkesresan_node": "x"}
    assert context.locale == "sv"
    assert context.ags is not None
    assert context.ags["lineitem"].endswith("?type_id=1")
    assert context.nrps is not None


def test_mentor_launch_manages_its_mentees(core: Core) -> None:
    context = core.launch(SimLaunch(user="mentor"))
    assert context.mentored_user_ids == ("sim-learner-1",)
    assert context.role is ToolRole.LEARNER
    assert context.is_manager


def test_deep_linking_launch_carries_its_settings(core: Core) -> None:
    context = core.launch(SimLaunch(user="manager", message="deep"))
    assert context.message_type is MessageType.DEEP_LINKING
    assert context.deep_linking_settings is not None
    assert context.resource_link_id is None


def test_several_audiences_with_our_azp_are_accepted(core: Core) -> None:
    def tamper(claims: dict[str, Any]) -> None:
        claims["aud"] = ["someone-else", core.sim.client_id]
        claims["azp"] = core.sim.client_id

    assert core.launch(tamper=tamper).sub == "sim-learner-1"


def test_empty_roles_launch_as_learner(core: Core) -> None:
    assert core.launch(tamper=_set(c.ROLES, [])).role is ToolRole.LEARNER


def test_small_clock_skew_is_tolerated(core: Core) -> None:
    def skew(claims: dict[str, Any]) -> None:
        claims["iat"] += 50
        claims["exp"] = claims["iat"] - 110

    assert core.launch(tamper=skew).sub == "sim-learner-1"


CLAIM_FAILURES: list[tuple[str, Tamper, type[ex.InvalidLaunch]]] = [
    ("iss differs", _set("iss", "https://evil.example"), ex.InvalidIssuer),
    ("aud is another client", _set("aud", "other-client"), ex.InvalidAudience),
    ("aud missing", _drop("aud"), ex.InvalidAudience),
    ("several aud, no azp", _set("aud", ["yrkesresan-simulator", "x"]), ex.InvalidAuthorizedParty),
    ("azp is another client", _set("azp", "other-client"), ex.InvalidAuthorizedParty),
    ("exp in the past", _set("exp", 1_700_000_000), ex.TokenExpired),
    ("exp missing", _drop("exp"), ex.TokenExpired),
    ("exp is a string", _set("exp", "2100-01-01"), ex.TokenExpired),
    ("iat in the future", _set("iat", 1_800_000_600), ex.TokenIssuedInFuture),
    ("iat missing", _drop("iat"), ex.TokenIssuedInFuture),
    ("nbf in the future", _set("nbf", 1_800_000_600), ex.TokenIssuedInFuture),
    ("nbf not a number", _set("nbf", "soon"), ex.TokenIssuedInFuture),
    ("nonce missing", _drop("nonce"), ex.NonceMismatch),
    ("nonce differs", _set("nonce", "another-nonce"), ex.NonceMismatch),
    ("deployment unknown", _set(c.DEPLOYMENT_ID, "7"), ex.InactiveDeployment),
    ("deployment missing", _drop(c.DEPLOYMENT_ID), ex.MissingClaim),
    ("message type unknown", _set(c.MESSAGE_TYPE, "LtiOther"), ex.UnsupportedMessageType),
    ("message type missing", _drop(c.MESSAGE_TYPE), ex.UnsupportedMessageType),
    ("version 1.1", _set(c.VERSION, "1.1"), ex.UnsupportedVersion),
    ("version missing", _drop(c.VERSION), ex.UnsupportedVersion),
    ("roles missing", _drop(c.ROLES), ex.MissingClaim),
    ("roles not a list", _set(c.ROLES, "Learner"), ex.MissingClaim),
    ("roles not strings", _set(c.ROLES, [1]), ex.MissingClaim),
    ("resource link missing", _drop(c.RESOURCE_LINK), ex.MissingClaim),
    ("resource link id missing", _edit(c.RESOURCE_LINK, "id", None), ex.MissingClaim),
    ("resource link id empty", _edit(c.RESOURCE_LINK, "id", ""), ex.MissingClaim),
    ("sub missing", _drop("sub"), ex.MissingClaim),
    ("sub empty", _set("sub", ""), ex.MissingClaim),
    ("sub longer than 255", _set("sub", "x" * 256), ex.InvalidClaim),
    ("target elsewhere", _set(c.TARGET_LINK_URI, "https://evil.example"), ex.ForeignTargetLinkUri),
    ("target prefix trick", _set(c.TARGET_LINK_URI, TOOL + ".evil.ex"), ex.ForeignTargetLinkUri),
    ("target missing", _drop(c.TARGET_LINK_URI), ex.MissingClaim),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tamper", "error"),
    [pytest.param(t, e, id=name) for name, t, e in CLAIM_FAILURES],
)
def test_each_claim_check_refuses_its_case(
    core: Core, tamper: Tamper, error: type[ex.InvalidLaunch]
) -> None:
    with pytest.raises(error):
        core.launch(tamper=tamper)


def test_deep_linking_without_return_url_is_refused(core: Core) -> None:
    with pytest.raises(ex.MissingClaim, match="deep_link_return_url"):
        core.launch(
            SimLaunch(user="manager", message="deep"),
            tamper=_edit(c.DEEP_LINKING_SETTINGS, "deep_link_return_url", None),
        )


def test_a_nonce_is_used_once(core: Core) -> None:
    query, binding = core.begin()
    post = core.sim.authorize(query)
    record = {"issuer": ISSUER, "client_id": core.sim.client_id, "nonce": query["nonce"]}
    stored = core.states.pop(query["state"])
    assert stored is not None
    core.states.put(query["state"], stored, 60)
    core.flow.complete(post.fields, binding)
    core.states.put(query["state"], stored, 60)  # a state store that failed to forget it
    with pytest.raises(ex.NonceReplayed):
        core.flow.complete(post.fields, binding)
    assert record["nonce"] == stored["nonce"]


def test_a_state_is_used_once(core: Core) -> None:
    query, binding = core.begin()
    post = core.sim.authorize(query)
    core.flow.complete(post.fields, binding)
    with pytest.raises(ex.BadState):
        core.flow.complete(post.fields, binding)


@pytest.mark.parametrize("binding", [None, "another-browser"])
def test_state_from_another_browser_is_refused(core: Core, binding: str | None) -> None:
    query, _ = core.begin()
    post = core.sim.authorize(query)
    with pytest.raises(ex.StateFromOtherBrowser):
        core.flow.complete(post.fields, binding)


def test_expired_state_is_refused(core: Core) -> None:
    query, binding = core.begin()
    post = core.sim.authorize(query)
    core.clock.advance(seconds=601)
    with pytest.raises(ex.BadState):
        core.flow.complete(post.fields, binding)


def _forged(core: Core, query: dict[str, str], **kwargs: Any) -> str:
    return core.sim.sign(core.sim.claims(SimLaunch(), nonce=query["nonce"]), **kwargs)


def _other_key(core: Core, query: dict[str, str]) -> str:
    other = PlatformSimulator(issuer=ISSUER, tool_url=TOOL, key=generate_signing_key())
    return other.sign(
        other.claims(SimLaunch(), nonce=query["nonce"]), header={"kid": core.sim.key.kid}
    )


def _alg_confusion(core: Core, query: dict[str, str]) -> str:
    return _forged(core, query, alg="HS256", hmac_key=core.sim.public_key_pem())


def _payload_swapped(core: Core, query: dict[str, str]) -> str:
    head, _, sig = _forged(core, query).split(".")
    claims = core.sim.claims(SimLaunch(user="admin"), nonce=query["nonce"])
    return ".".join([head, core.sim.sign(claims).split(".")[1], sig])


TOKEN_FAILURES: list[tuple[str, Callable[[Core, dict[str, str]], str], type[ex.InvalidLaunch]]] = [
    ("alg none", lambda k, q: _forged(k, q, alg="none"), ex.UnsupportedAlgorithm),
    ("alg HS256 with the public key", _alg_confusion, ex.UnsupportedAlgorithm),
    ("alg RS512", lambda k, q: _forged(k, q, alg="RS512"), ex.UnsupportedAlgorithm),
    ("no kid", lambda k, q: _forged(k, q, header={"kid": None}), ex.UnknownKeyId),
    ("unknown kid", lambda k, q: _forged(k, q, header={"kid": "nope"}), ex.UnknownKeyId),
    ("signed by another key", _other_key, ex.InvalidSignature),
    ("signature cut", lambda k, q: _forged(k, q)[:-10], ex.InvalidSignature),
    ("payload swapped (admin)", _payload_swapped, ex.InvalidSignature),
    ("two parts", lambda k, q: ".".join(_forged(k, q).split(".")[:2]), ex.MalformedToken),
    ("garbage", lambda k, q: "not-a-jwt", ex.MalformedToken),
    ("bad base64", lambda k, q: "a.b$c.d", ex.MalformedToken),
    ("header not JSON", lambda k, q: "bm90anNvbg.e30.e30", ex.MalformedToken),
    ("header a JSON list", lambda k, q: "W10.e30.e30", ex.MalformedToken),
    ("truncated", lambda k, q: _forged(k, q)[:40], ex.MalformedToken),
    ("too large", lambda k, q: "a" * (65 * 1024), ex.RequestTooLarge),
]  # fmt: skip


@pytest.mark.parametrize(
    ("token", "error"),
    [pytest.param(t, e, id=name) for name, t, e in TOKEN_FAILURES],
)
def test_each_token_check_refuses_its_case(
    core: Core, token: Callable[[Core, dict[str, str]], str], error: type[ex.InvalidLaunch]
) -> None:
    with pytest.raises(error):
        core.launch(token=lambda query: token(core, query))


def test_a_refused_token_does_not_burn_the_nonce(core: Core) -> None:
    query, binding = core.begin()
    bad = core.sim.sign(core.sim.claims(SimLaunch(), nonce=query["nonce"]), alg="none")
    with pytest.raises(ex.UnsupportedAlgorithm):
        core.flow.complete({"state": query["state"], "id_token": bad}, binding)
    assert core.nonces.consume(ISSUER, query["nonce"], 60)


def test_inactive_deployment_is_refused_at_login_and_launch(core: Core) -> None:
    query, binding = core.begin()
    post = core.sim.authorize(query)
    registration = core.sim.registration()
    core.platforms.save(
        type(registration)(**{**registration.__dict__, "deployments": (Deployment("1"),)})
    )
    with pytest.raises(ex.InactiveDeployment):
        core.flow.complete(post.fields, binding)
    with pytest.raises(ex.InactiveDeployment, match="activate-deployment"):
        core.begin()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"iss": "https://unknown.example"}, ex.UnknownIssuer),
        ({"client_id": "other"}, ex.UnknownIssuer),
        ({"iss": ""}, ex.MalformedRequest),
        ({"login_hint": ""}, ex.MalformedRequest),
        ({"target_link_uri": "https://evil.example/"}, ex.ForeignTargetLinkUri),
        ({"lti_message_hint": "x" * 5000}, ex.MalformedRequest),
    ],
)
def test_login_refuses_bad_initiations(
    core: Core, fields: dict[str, str], error: type[ex.InvalidLaunch]
) -> None:
    params = {**core.sim.login_form(TOOL + "/lti/login").fields, **fields}
    with pytest.raises(error):
        core.login.start(LoginRequest.from_params(params))


def test_login_redirect_matches_moodle_shape_and_keeps_the_message_hint(core: Core) -> None:
    form = core.sim.login_form(TOOL + "/lti/login")
    query, _ = core.begin()
    assert set(query) == {
        "scope", "response_type", "response_mode", "prompt", "client_id", "redirect_uri",
        "login_hint", "lti_message_hint", "state", "nonce",
    }  # fmt: skip
    assert query["lti_message_hint"] == form.fields["lti_message_hint"]
    assert query["redirect_uri"] == TOOL + "/lti/launch"
    assert query["state"] != query["nonce"]


def test_the_captured_moodle_claims_pass_every_check(platform_key: SigningKey) -> None:
    """Moodle 4.5's real id_token claims, re-signed with a test key, pass the pipeline."""
    fixtures = MOODLE_FIXTURES
    claims = json.loads((fixtures / "id_token.resource-link.claims.json").read_text())
    clock = FakeClock(datetime.fromtimestamp(claims["iat"] + 5, UTC))
    moodle = PlatformSimulator(
        issuer=claims["iss"], tool_url="http://127.0.0.1:5000", key=platform_key,
        client_id=claims["aud"],
    )  # fmt: skip
    platforms = MemoryPlatformStore()
    moodle.register(platforms)
    session = requests.Session()
    session.mount(moodle.issuer + "/", SimulatorTransport(moodle))
    validator = IdTokenValidator(
        platforms, MemoryNonceStore(clock), JwksCache(session, timer=clock.monotonic),
        tool_base_url="http://127.0.0.1:5000", clock=clock,
    )  # fmt: skip
    issued = IssuedState(issuer=claims["iss"], client_id=claims["aud"], nonce=claims["nonce"])
    context = validator.validate(moodle.sign(claims), issued)
    assert context.role is ToolRole.LEARNER
    assert (context.sub, context.context_id, context.resource_link_id) == ("3", "2", "1")
    assert context.locale == "en"
    assert context.ags is not None
    assert context.ags["lineitem"].endswith("lineitem?type_id=1")


def test_the_launch_validator_built_from_the_stores_takes_a_launch(
    platform_key: SigningKey,
) -> None:
    sim = PlatformSimulator(issuer=ISSUER, tool_url=TOOL, key=platform_key)
    platforms = MemoryPlatformStore()
    sim.register(platforms)
    session = requests.Session()
    session.mount(ISSUER + "/", SimulatorTransport(sim))
    validator = LaunchValidator.from_stores(
        platforms=platforms,
        states=MemoryLaunchStateStore(),
        nonces=MemoryNonceStore(),
        tool_base_url=TOOL,
        http=session,
    )
    redirect = validator.start(LoginRequest.from_params(sim.login_form(TOOL + "/lti/login").fields))
    assert parse_qs(urlsplit(redirect.url).query)["redirect_uri"] == [TOOL + "/lti/launch"]
    post = sim.authorize(dict(parse_qsl(urlsplit(redirect.url).query)))
    context = validator.complete(post.fields, redirect.browser_binding)
    assert (context.issuer, context.message_type) == (ISSUER, MessageType.RESOURCE_LINK)
    with pytest.raises(ex.BadState):
        validator.complete(post.fields, redirect.browser_binding)
