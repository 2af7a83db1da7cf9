"""Bad logins and launches over HTTP: each gets a 4xx with its typed error, none is accepted,
none is a 500. The error class is read from the ``X-Yrkesresan-Error`` header."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.lti_fixtures import TOOL_URL
from yrkesresan_adapter.lti.views import binding_cookie
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

Claims = dict[str, Any]


@dataclass
class Harness:
    app: Flask
    sim: PlatformSimulator
    client: FlaskClient

    def login_fields(self, **changes: str) -> dict[str, str]:
        return {**self.sim.login_form("/lti/login").fields, **changes}

    def begin(
        self, client: FlaskClient | None = None, launch: SimLaunch | None = None
    ) -> dict[str, str]:
        response = (client or self.client).post(
            "/lti/login", data=self.sim.login_form("/lti/login", launch).fields
        )
        assert response.status_code == 302
        return dict(parse_qsl(urlsplit(response.headers["Location"]).query))

    def token(self, query: dict[str, str], launch: SimLaunch | None = None, **sign: Any) -> str:
        return self.sim.sign(self.sim.claims(launch or SimLaunch(), nonce=query["nonce"]), **sign)

    def launch_with(
        self, tamper: Callable[[Claims], None], launch: SimLaunch | None = None
    ) -> TestResponse:
        query = self.begin(launch=launch)
        claims = self.sim.claims(launch or SimLaunch(), nonce=query["nonce"])
        tamper(claims)
        return self.post_launch(query["state"], self.sim.sign(claims))

    def post_launch(
        self, state: str, id_token: str, client: FlaskClient | None = None
    ) -> TestResponse:
        return (client or self.client).post(
            "/lti/launch", data={"state": state, "id_token": id_token}
        )


@pytest.fixture
def h(launch_app: Flask, simulator: PlatformSimulator) -> Harness:
    return Harness(launch_app, simulator, launch_app.test_client())


Case = Callable[[Harness], TestResponse]


def _set(name: str, value: Any) -> Case:
    return lambda h: h.launch_with(lambda claims: claims.__setitem__(name, value))


def _drop(name: str, launch: SimLaunch | None = None) -> Case:
    return lambda h: h.launch_with(lambda claims: claims.pop(name, None), launch)


def _signed(**sign: Any) -> Case:
    def case(h: Harness) -> TestResponse:
        query = h.begin()
        return h.post_launch(query["state"], h.token(query, **sign))

    return case


def _raw_token(make: Callable[[Harness, dict[str, str]], str]) -> Case:
    def case(h: Harness) -> TestResponse:
        query = h.begin()
        return h.post_launch(query["state"], make(h, query))

    return case


def _other_key(h: Harness, query: dict[str, str]) -> str:
    other = PlatformSimulator(issuer=h.sim.issuer, tool_url=TOOL_URL, key=generate_signing_key())
    claims = other.claims(SimLaunch(), nonce=query["nonce"])
    return other.sign(claims, header={"kid": h.sim.key.kid})


def _alg_confusion(h: Harness, query: dict[str, str]) -> str:
    return h.token(query, alg="HS256", hmac_key=h.sim.public_key_pem())


def _signature_stripped(h: Harness, query: dict[str, str]) -> str:
    return h.token(query).rsplit(".", 1)[0] + "."


def _state_reused(h: Harness) -> TestResponse:
    query = h.begin()
    token = h.token(query)
    cookie = h.client.get_cookie(binding_cookie(query["state"]), path="/lti/launch")
    assert cookie is not None
    assert h.post_launch(query["state"], token).status_code == 200  # the first page
    # the same browser, its binding cookie (which the launch deleted) sent again
    h.client.set_cookie(cookie.key, cookie.value, path="/lti/launch")
    return h.post_launch(query["state"], token)


def _other_browser(h: Harness) -> TestResponse:
    victim = h.app.test_client()
    h.begin(client=victim)  # the victim has a login (and a binding cookie) of its own
    query = h.begin()  # the attacker's state and token …
    return h.post_launch(query["state"], h.token(query), client=victim)  # … posted by the victim


def _no_cookie(h: Harness) -> TestResponse:
    query = h.begin()
    return h.post_launch(query["state"], h.token(query), client=h.app.test_client())


def _platform_removed(h: Harness) -> TestResponse:
    query = h.begin()
    AdapterState.of(h.app).services.platforms.remove(h.sim.issuer, h.sim.client_id)
    return h.post_launch(query["state"], h.token(query))


def _deployment_deactivated(h: Harness) -> TestResponse:
    query = h.begin()
    AdapterState.of(h.app).services.platforms.set_deployment_active(
        h.sim.issuer, "1", False, h.sim.client_id
    )
    return h.post_launch(query["state"], h.token(query))


def _deep_without_return_url(h: Harness) -> TestResponse:
    launch = SimLaunch(user="manager", message="deep")
    return h.launch_with(
        lambda claims: claims[c.DEEP_LINKING_SETTINGS].pop("deep_link_return_url"), launch
    )


def _resource_link_without_id(h: Harness) -> TestResponse:
    return h.launch_with(lambda claims: claims[c.RESOURCE_LINK].pop("id"))


def _login(method: str = "POST", content_type: str | None = None, **changes: str) -> Case:
    def case(h: Harness) -> TestResponse:
        fields = {k: v for k, v in h.login_fields(**changes).items() if v != "<drop>"}
        if method == "GET":
            return h.client.get("/lti/login", query_string=fields)
        if content_type == "application/json":
            return h.client.post("/lti/login", json=fields)
        return h.client.post("/lti/login", data=fields)

    return case


def _launch_raw(**kwargs: Any) -> Case:
    return lambda h: h.client.post("/lti/launch", **kwargs)


CASES: list[tuple[str, Case, int, str]] = [
    # login initiation
    ("login without iss", _login(iss="<drop>"), 400, "MalformedRequest"),
    ("login without login_hint", _login(login_hint="<drop>"), 400, "MalformedRequest"),
    (
        "login without target_link_uri (GET)",
        _login("GET", target_link_uri="<drop>"),
        400,
        "MalformedRequest",
    ),
    ("login from unknown issuer", _login(iss="https://okand.example"), 400, "UnknownIssuer"),
    ("login with unknown client_id", _login(client_id="someone-else"), 400, "UnknownIssuer"),
    ("login for inactive deployment", _login(lti_deployment_id="9"), 403, "DeploymentNotActive"),
    (
        "login for a foreign target",
        _login(target_link_uri="https://evil.example/"),
        400,
        "ForeignTargetLinkUri",
    ),
    (
        "login posted as JSON",
        _login(content_type="application/json"),
        415,
        "UnsupportedContentType",
    ),
    (
        "login body too large",
        lambda h: h.client.post("/lti/login", data={"iss": "x" * 20_000}),
        413,
        "BodyTooLarge",
    ),
    ("login hint too long", _login(lti_message_hint="x" * 5000), 400, "InvalidField"),
    # the launch request itself
    (
        "launch posted as JSON",
        _launch_raw(json={"state": "s", "id_token": "t"}),
        415,
        "UnsupportedContentType",
    ),
    (
        "launch as text/plain",
        _launch_raw(data="state=s", content_type="text/plain"),
        415,
        "UnsupportedContentType",
    ),
    ("launch without id_token", _launch_raw(data={"state": "s"}), 400, "MalformedRequest"),
    ("launch without state", _launch_raw(data={"id_token": "t"}), 400, "MalformedRequest"),
    (
        "launch with empty fields",
        _launch_raw(data={"state": "", "id_token": ""}),
        400,
        "MalformedRequest",
    ),
    (
        "platform answered error",
        _launch_raw(data={"error": "login_required", "state": "s"}),
        400,
        "MalformedRequest",
    ),
    (
        "1 MB id_token",
        _launch_raw(data={"state": "s", "id_token": "a" * 1_000_000}),
        413,
        "BodyTooLarge",
    ),
    # a state the tool never sealed: without its cookie nothing tells it from a blocked cookie
    (
        "unknown state",
        _launch_raw(data={"state": "nope", "id_token": "a.b.c"}),
        400,
        "StateFromOtherBrowser",
    ),
    ("state used twice", _state_reused, 400, "BadState"),
    ("state from another browser", _other_browser, 400, "StateFromOtherBrowser"),
    ("state without its cookie", _no_cookie, 400, "StateFromOtherBrowser"),
    # the id_token: JWS
    ("alg none", _signed(alg="none"), 400, "UnsupportedAlgorithm"),
    (
        "alg HS256 signed with the public key",
        _raw_token(_alg_confusion),
        400,
        "UnsupportedAlgorithm",
    ),
    ("no kid", _signed(header={"kid": None}), 400, "UnknownKeyId"),
    ("unknown kid", _signed(header={"kid": "rotated-away"}), 400, "UnknownKeyId"),
    ("signed with another key", _raw_token(_other_key), 400, "InvalidSignature"),
    ("truncated JWT", _raw_token(lambda h, q: h.token(q)[:60]), 400, "MalformedToken"),
    ("garbage JWT", _raw_token(lambda h, q: "garbage"), 400, "MalformedToken"),
    ("signature stripped", _raw_token(_signature_stripped), 400, "InvalidSignature"),
    # the id_token: claims
    ("iss differs", _set("iss", "https://evil.example"), 400, "InvalidIssuer"),
    ("aud is another client", _set("aud", "another-client"), 400, "InvalidAudience"),
    (
        "several aud without azp",
        _set("aud", ["yrkesresan-simulator", "other"]),
        400,
        "InvalidAuthorizedParty",
    ),
    ("azp is another client", _set("azp", "another-client"), 400, "InvalidAuthorizedParty"),
    ("expired", _set("exp", 1_000_000_000), 400, "TokenExpired"),
    ("issued in the future", _set("iat", 4_000_000_000), 400, "TokenIssuedInFuture"),
    ("nonce differs", _set("nonce", "another-nonce"), 400, "NonceMismatch"),
    ("unknown deployment", _set(c.DEPLOYMENT_ID, "7"), 403, "DeploymentNotActive"),
    ("deployment deactivated mid-launch", _deployment_deactivated, 403, "DeploymentNotActive"),
    ("platform removed mid-launch", _platform_removed, 400, "UnknownIssuer"),
    (
        "unsupported message type",
        _set(c.MESSAGE_TYPE, "LtiStartProctoring"),
        400,
        "UnsupportedMessageType",
    ),
    ("LTI 1.1 version", _set(c.VERSION, "1.1.0"), 400, "UnsupportedVersion"),
    ("no roles claim", _drop(c.ROLES), 400, "MissingClaim"),
    ("no resource_link.id", _resource_link_without_id, 400, "MissingClaim"),
    ("no deep_link_return_url", _deep_without_return_url, 400, "MissingClaim"),
    ("no sub", _drop("sub"), 400, "MissingClaim"),
    (
        "foreign target_link_uri",
        _set(c.TARGET_LINK_URI, "https://evil.example/app"),
        400,
        "ForeignTargetLinkUri",
    ),
]


def test_there_are_at_least_30_distinct_bad_inputs() -> None:
    assert len({name for name, *_ in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize(
    ("case", "status", "error"), [pytest.param(f, s, e, id=n) for n, f, s, e in CASES]
)
def test_bad_input_gets_its_typed_4xx(h: Harness, case: Case, status: int, error: str) -> None:
    response = case(h)
    assert response.status_code == status
    assert response.headers.get("X-Yrkesresan-Error") == error
    assert "lt=" not in response.headers.get("Location", "")
    assert "Traceback" not in response.get_data(as_text=True)


def test_an_unreachable_key_set_is_a_502_not_a_500(h: Harness) -> None:
    registration = h.sim.registration()
    platforms = AdapterState.of(h.app).services.platforms
    platforms.save(
        type(registration)(**{**registration.__dict__, "key_set_url": "https://gone.example/jwks"})
    )
    query = h.begin()
    response = h.post_launch(query["state"], h.token(query))
    assert response.status_code == 502
    assert response.headers["X-Yrkesresan-Error"] == "KeySetUnavailable"
