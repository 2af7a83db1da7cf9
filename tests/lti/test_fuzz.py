"""Whatever a launch carries, the pipeline answers with a typed launch error or a context,
never with another exception (which the web layer would turn into a 500)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yrkesresan_lti.exceptions import InvalidLaunch
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.lti.login import LoginRequest
from yrkesresan_lti.testing.claims import SimLaunch

from .conftest import TOOL, Core

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
CLAIM_NAMES = [
    "iss", "aud", "azp", "exp", "iat", "nonce", "sub", c.DEPLOYMENT_ID, c.MESSAGE_TYPE,
    c.VERSION, c.ROLES, c.RESOURCE_LINK, c.TARGET_LINK_URI, c.CUSTOM, c.CONTEXT,
    c.LAUNCH_PRESENTATION, c.DEEP_LINKING_SETTINGS, c.AGS_ENDPOINT, c.NRPS,
    "https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor",
]  # fmt: skip


LOGIN_FIELDS = [
    "iss", "login_hint", "target_link_uri", "client_id", "lti_message_hint", "lti_deployment_id",
]  # fmt: skip


def _outcome(core: Core, token: str) -> str:
    query, binding = core.begin()
    try:
        core.flow.complete({"state": query["state"], "id_token": token}, binding)
    except InvalidLaunch as err:
        return type(err).__name__
    return "accepted"


@FUZZ
@given(token=st.text(max_size=3000))
def test_any_text_as_id_token_is_a_typed_error(core: Core, token: str) -> None:
    assert _outcome(core, token) != "accepted"


@FUZZ
@given(
    parts=st.lists(st.from_regex(r"[A-Za-z0-9_-]{0,80}", fullmatch=True), min_size=1, max_size=5)
)
def test_base64url_shaped_garbage_is_a_typed_error(core: Core, parts: list[str]) -> None:
    assert _outcome(core, ".".join(parts)) != "accepted"


@FUZZ
@given(name=st.sampled_from(CLAIM_NAMES), value=json_values, header=json_values)
def test_any_claim_value_is_accepted_or_a_typed_error(
    core: Core, name: str, value: Any, header: Any
) -> None:
    query, binding = core.begin()
    claims = core.sim.claims(SimLaunch(), nonce=query["nonce"])
    claims[name] = value
    token = core.sim.sign(claims, header={"x": header})
    try:
        context = core.flow.complete({"state": query["state"], "id_token": token}, binding)
    except InvalidLaunch:
        return
    assert context.sub == claims["sub"]  # accepted only when the claim was not a required one


@FUZZ
@given(params=st.dictionaries(st.sampled_from(LOGIN_FIELDS), st.text(max_size=300)))
def test_any_login_initiation_is_a_redirect_or_a_typed_error(
    core: Core, params: dict[str, str]
) -> None:
    fields = {**core.sim.login_form(TOOL + "/lti/login").fields, **params}
    try:
        redirect = core.login.start(LoginRequest.from_params(fields))
    except InvalidLaunch:
        return
    assert redirect.url.startswith(core.sim.auth_login_url + "?")


HTTP_FIELDS = ["state", "id_token", "error", "lt", *LOGIN_FIELDS]


@FUZZ
@given(
    path=st.sampled_from(["/lti/login", "/lti/launch", "/app"]),
    method=st.sampled_from(["GET", "POST"]),
    fields=st.dictionaries(st.sampled_from(HTTP_FIELDS), st.text(max_size=300), max_size=6),
)
def test_no_request_to_the_launch_endpoints_is_a_server_error(
    launch_app: Flask, path: str, method: str, fields: dict[str, str]
) -> None:
    client = launch_app.test_client()
    if method == "GET":
        response = client.get(path, query_string=fields)
    else:
        response = client.post(path, data=fields)
    assert response.status_code < 500
    if response.status_code >= 400 and response.status_code != 405:
        assert response.headers.get("X-Yrkesresan-Error")
