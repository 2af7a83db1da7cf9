"""Access tokens: signed client assertion, cache per (platform, scopes), typed errors."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs

import jwt
import pytest
import requests
import responses

from tests.advantage.conftest import MOODLE
from tests.conftest import FakeClock
from yrkesresan_lti.exceptions import ServiceNotEnabled, ServiceUnavailable
from yrkesresan_lti.lti.advantage.service_token import CLIENT_ASSERTION_TYPE, ServiceTokenClient
from yrkesresan_lti.lti.stores import SigningKey

TOKEN_URL = MOODLE.auth_token_url
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def _client(key: SigningKey, clock: FakeClock) -> ServiceTokenClient:
    ids = iter(f"jti-{n}" for n in range(100))
    return ServiceTokenClient(lambda: key, clock=clock, id_factory=lambda: next(ids))


def _sent_form(index: int) -> dict[str, str]:
    body = responses.calls[index].request.body
    text = body.decode() if isinstance(body, bytes) else str(body)
    return {k: v[0] for k, v in parse_qs(text).items()}


def _grant(token: str = "tok-1", expires_in: int = 3600) -> None:
    responses.add(
        responses.POST,
        TOKEN_URL,
        json={"access_token": token, "token_type": "Bearer", "expires_in": expires_in},
    )


@responses.activate
def test_client_assertion_is_signed_for_the_token_url(
    signing_key: SigningKey, clock: FakeClock
) -> None:
    _grant()
    assert _client(signing_key, clock).token(MOODLE, [SCORE]) == "tok-1"
    form = _sent_form(0)
    assert form["grant_type"] == "client_credentials"
    assert form["client_assertion_type"] == CLIENT_ASSERTION_TYPE
    assert form["scope"] == SCORE
    assertion = form["client_assertion"]
    assert jwt.get_unverified_header(assertion)["kid"] == signing_key.kid
    public = jwt.PyJWK(dict(signing_key.public_jwk), algorithm="RS256")
    claims = jwt.decode(
        assertion, public, algorithms=["RS256"], audience=TOKEN_URL, options={"verify_exp": False}
    )
    assert claims["iss"] == claims["sub"] == MOODLE.client_id
    assert claims["jti"] == "jti-0"
    assert claims["exp"] > claims["iat"] == int(clock.now().timestamp())


@responses.activate
def test_auth_audience_overrides_the_token_url(signing_key: SigningKey, clock: FakeClock) -> None:
    _grant()
    platform = dataclasses.replace(MOODLE, auth_audience="https://idp.example/aud")
    _client(signing_key, clock).token(platform, [SCORE])
    assertion = _sent_form(0)["client_assertion"]
    assert jwt.decode(assertion, options={"verify_signature": False})["aud"] == (
        "https://idp.example/aud"
    )


@responses.activate
def test_tokens_are_cached_per_scopes_until_shortly_before_expiry(
    signing_key: SigningKey, clock: FakeClock
) -> None:
    _grant("first", expires_in=600)
    _grant("second", expires_in=600)
    _grant("third", expires_in=600)
    client = _client(signing_key, clock)
    assert client.token(MOODLE, [SCORE]) == "first"
    clock.advance(seconds=500)
    assert client.token(MOODLE, [SCORE]) == "first"  # still 100 s left, margin is 60 s
    other = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
    assert client.token(MOODLE, [other]) == "second"  # other scopes, other token
    clock.advance(seconds=50)
    assert client.token(MOODLE, [SCORE]) == "third"  # within the margin: refreshed
    assert len(responses.calls) == 3


@responses.activate
def test_slow_token_endpoint_is_a_typed_unavailable_error(
    signing_key: SigningKey, clock: FakeClock
) -> None:
    responses.add(responses.POST, TOKEN_URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(ServiceUnavailable, match="did not answer within"):
        _client(signing_key, clock).token(MOODLE, [SCORE])


@responses.activate
def test_refused_scope_tells_the_admin_to_enable_services(
    signing_key: SigningKey, clock: FakeClock
) -> None:
    responses.add(responses.POST, TOKEN_URL, status=400, json={"error": "invalid_scope"})
    with pytest.raises(ServiceNotEnabled, match=r"invalid_scope.*are enabled"):
        _client(signing_key, clock).token(MOODLE, [SCORE])


@responses.activate
def test_token_endpoint_5xx_is_retryable(signing_key: SigningKey, clock: FakeClock) -> None:
    responses.add(responses.POST, TOKEN_URL, status=503, body="down")
    with pytest.raises(ServiceUnavailable, match="503"):
        _client(signing_key, clock).token(MOODLE, [SCORE])
