"""Hostile logins and launches on SQLite and PostgreSQL: each is a 4xx naming what was wrong,
or a launch whose pages keep working; never a 500 (issue 12, items 1-3 and 4's long name)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.hostile import LONE_SURROGATE, NUL, TEN_KB, deep_json, form_body, header_of, sign_raw
from tests.lti_fixtures import app_on_each_backend, begin_login  # noqa: F401 (fixture: app)
from yrkesresan_adapter.lti.views import binding_cookie
from yrkesresan_adapter.pages.schema import progress_tables
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

Claims = dict[str, Any]
FORM = "application/x-www-form-urlencoded"


def _launch_payload(
    client: FlaskClient, sim: PlatformSimulator, payload: Callable[[Claims], str]
) -> TestResponse:
    """Log in, then post a launch whose payload text ``payload`` writes from valid claims."""
    query, token = _logged_in(client, sim, payload)
    return client.post("/lti/launch", data={"state": query["state"], "id_token": token})


def _logged_in(
    client: FlaskClient, sim: PlatformSimulator, payload: Callable[[Claims], str] = json.dumps
) -> tuple[dict[str, str], str]:
    """The login's query (``state``, ``nonce``) and an id_token for it, not yet posted."""
    query = begin_login(client, sim)
    claims = sim.claims(SimLaunch(), nonce=query["nonce"])
    return query, sign_raw(sim, header_of(sim), payload(claims))


def _with(path: tuple[str, ...], value: Any) -> Callable[[Claims], str]:
    def payload(claims: Claims) -> str:
        target = claims
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return json.dumps(claims)

    return payload


def _refused(response: TestResponse, status: int, code: str) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.headers["X-Yrkesresan-Error"] == code
    assert "lt=" not in response.headers.get("Location", "")
    return response.get_data(as_text=True)


# --- 1. no key needed: NUL in login and state, JSON nested 5,000 deep -------------------------


@pytest.mark.parametrize("field", ["iss", "client_id", "login_hint", "target_link_uri"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_nul_in_a_login_parameter_is_a_400_naming_it(
    app: Flask, simulator: PlatformSimulator, field: str, method: str
) -> None:
    fields = simulator.login_form("/lti/login").fields
    fields[field] = fields[field] + NUL
    client = app.test_client()
    if method == "GET":
        response = client.get("/lti/login", query_string=fields)
    else:
        response = client.post("/lti/login", data=fields)
    assert field in _refused(response, 400, "InvalidField")


def test_a_nul_in_the_state_is_a_400_naming_it(app: Flask, simulator: PlatformSimulator) -> None:
    client = app.test_client()
    query = begin_login(client, simulator)
    response = client.post("/lti/launch", data={"state": query["state"] + NUL, "id_token": "a.b.c"})
    assert "state" in _refused(response, 400, "InvalidField")


def test_a_lone_surrogate_in_the_state_is_refused(app: Flask, simulator: PlatformSimulator) -> None:
    client = app.test_client()
    query = begin_login(client, simulator)
    body = form_body({"state": query["state"] + LONE_SURROGATE, "id_token": "a.b.c"})
    response = client.post("/lti/launch", data=body, content_type=FORM)
    assert response.status_code == 400  # invalid UTF-8 reads as U+FFFD: an unknown state,
    # which has no binding cookie of its own
    assert response.headers["X-Yrkesresan-Error"] in ("InvalidField", "StateFromOtherBrowser")


@pytest.mark.parametrize("part", ["header", "payload"])
def test_json_nested_5000_deep_is_a_malformed_token(
    app: Flask, simulator: PlatformSimulator, part: str
) -> None:
    deep = deep_json(5000)

    def token(claims: Claims) -> str:
        return json.dumps(claims)[:-1] + f', "x": {deep}}}'

    client = app.test_client()
    if part == "payload":
        response = _launch_payload(client, simulator, token)
    else:
        query = begin_login(client, simulator)
        header = header_of(simulator)[:-1] + f', "x": {deep}}}'
        payload = json.dumps(simulator.claims(SimLaunch(), nonce=query["nonce"]))
        response = client.post(
            "/lti/launch",
            data={"state": query["state"], "id_token": sign_raw(simulator, header, payload)},
        )
    _refused(response, 400, "MalformedToken")


# --- 2. signed tokens with odd numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "literal", "code"),
    [
        ("exp", "NaN", "MalformedToken"),  # not JSON at all
        ("exp", "Infinity", "MalformedToken"),
        ("exp", "1e400", "InvalidClaim"),  # JSON, but parses to infinity
        ("exp", "1e15", "InvalidClaim"),
        ("exp", str(10**30), "InvalidClaim"),
        ("iat", "NaN", "MalformedToken"),
        ("iat", "-1e400", "InvalidClaim"),
        ("iat", "-5", "InvalidClaim"),
        ("nbf", "1e15", "InvalidClaim"),
    ],
)
def test_odd_dates_are_refused(
    app: Flask, simulator: PlatformSimulator, claim: str, literal: str, code: str
) -> None:
    def payload(claims: Claims) -> str:
        claims[claim] = "__NUMBER__"
        return json.dumps(claims).replace('"__NUMBER__"', literal)

    body = _refused(_launch_payload(app.test_client(), simulator, payload), 400, code)
    if code == "InvalidClaim":
        assert claim in body


def test_a_float_date_is_accepted(app: Flask, simulator: PlatformSimulator) -> None:
    def payload(claims: Claims) -> str:
        claims["exp"] = claims["exp"] + 0.5
        return json.dumps(claims)

    assert _launch_payload(app.test_client(), simulator, payload).status_code == 200


# --- 3. launches that used to lock the learner out ---------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("sub",), "learner" + NUL),
        (("name",), "Lina" + NUL),
        (("name",), "Lina" + LONE_SURROGATE),
        (("given_name",), LONE_SURROGATE),
        ((c.CONTEXT, "id"), "k" * 256),
        ((c.CONTEXT, "title"), "Kurs" + NUL),
        ((c.RESOURCE_LINK, "id"), "r" * 256),
        ((c.CUSTOM, "yrkesresan_node"), "https://x.example/" + "n" * 1100),
        ((c.AGS_ENDPOINT, "lineitem"), "https://lms.example/" + "l" * 2100),
        ((c.DEPLOYMENT_ID,), "1" + NUL),
        (("https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor",), ["m" * 300]),
    ],
)
def test_unstorable_claims_are_a_400_naming_the_claim(
    app: Flask, simulator: PlatformSimulator, path: tuple[str, ...], value: Any
) -> None:
    body = _refused(
        _launch_payload(app.test_client(), simulator, _with(path, value)), 400, "InvalidClaim"
    )
    assert path[-1].rsplit("/", 1)[-1] in body


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((c.AGS_ENDPOINT, "lineitem"), "http://["),
        ((c.AGS_ENDPOINT, "lineitem"), "javascript:alert(1)"),
        ((c.AGS_ENDPOINT, "lineitem"), "/mod/lti/services.php/2/lineitems/5/lineitem"),
        ((c.AGS_ENDPOINT, "lineitem"), "https://lms.example:99999/lineitem"),
        ((c.AGS_ENDPOINT, "lineitems"), "https://lms.example/line items"),
        ((c.AGS_ENDPOINT, "lineitem"), 5),
        ((c.NRPS, "context_memberships_url"), "file:///etc/passwd"),
        ((c.NRPS, "context_memberships_url"), ["https://lms.example/members"]),
    ],
)
def test_a_service_url_no_request_can_reach_is_a_400_naming_the_claim(
    app: Flask, simulator: PlatformSimulator, path: tuple[str, ...], value: Any
) -> None:
    """Before, ``http://[`` was stored with the launch and every score for it waited in the
    outbox for a URL that no request can reach; a relative or ``file:`` URL likewise."""
    client = app.test_client()
    body = _refused(_launch_payload(client, simulator, _with(path, value)), 400, "InvalidClaim")
    assert path[-1] in body
    assert "ingen http(s)-adress som verktyget kan anropa" in body
    with AdapterState.of(app).services.db.connection() as connection:  # no learner stored
        assert connection.execute(select(progress_tables.learners.c.name)).all() == []


@pytest.mark.parametrize("scope", ["https://purl.imsglobal.org/spec/lti-ags/scope/score", [{}]])
def test_ags_scopes_that_are_not_a_list_of_strings_are_a_400(
    app: Flask, simulator: PlatformSimulator, scope: Any
) -> None:
    payload = _with((c.AGS_ENDPOINT, "scope"), scope)
    body = _refused(_launch_payload(app.test_client(), simulator, payload), 400, "InvalidClaim")
    assert "ingen lista med texter" in body


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((c.CUSTOM, "k" + LONE_SURROGATE), f"k\\u{ord(LONE_SURROGATE):04x}"),
        ((c.CONTEXT, "x" + LONE_SURROGATE, "y"), f"x\\u{ord(LONE_SURROGATE):04x}"),
        ((c.CUSTOM, "k" + NUL), "k\\u0000"),
    ],
    ids=["custom", "nested", "nul"],
)
def test_a_claim_named_with_a_lone_surrogate_or_nul_is_a_400_naming_it(
    app: Flask, simulator: PlatformSimulator, path: tuple[str, ...], shown: str
) -> None:
    """The claim's name comes from the token: the page names it with the character
    escaped (it was a 500, a page that could not be encoded as UTF-8)."""

    def payload(claims: Claims) -> str:
        target = claims
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = "v" + NUL
        return json.dumps(claims)

    body = _refused(_launch_payload(app.test_client(), simulator, payload), 400, "InvalidClaim")
    assert shown in body


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("kid", "k" + LONE_SURROGATE, "UnknownKeyId"),
        ("alg", "RS" + LONE_SURROGATE, "UnsupportedAlgorithm"),
        ("kid", "k" + NUL, "UnknownKeyId"),
    ],
)
def test_a_header_value_with_a_lone_surrogate_or_nul_is_a_400(
    app: Flask, simulator: PlatformSimulator, field: str, value: str, code: str
) -> None:
    """Checked before the signature, so anyone who can log in can send them (they were
    500s: the error page quoted the value)."""
    client = app.test_client()
    query = begin_login(client, simulator)
    header = json.dumps({**json.loads(header_of(simulator)), field: value})
    payload = json.dumps(simulator.claims(SimLaunch(), nonce=query["nonce"]))
    response = client.post(
        "/lti/launch",
        data={"state": query["state"], "id_token": sign_raw(simulator, header, payload)},
    )
    _refused(response, 400, code)


@pytest.mark.parametrize(
    "name",
    ["Lina \U0001f600", "Lina \\u0000", "Lina \\ud800", "\u00c5sa \u00d6berg"],
    ids=["emoji", "the text \\u0000", "the text \\ud800", "swedish"],
)
def test_names_that_only_look_unsafe_in_the_token_launch(
    app: Flask, simulator: PlatformSimulator, name: str
) -> None:
    """An emoji is written as two surrogate escapes, and a backslash before ``u0000`` is
    text: the token's escapes send these through the check of every string, which lets
    them pass."""
    response = _launch_payload(app.test_client(), simulator, _with(("name",), name))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def _pages_after(app: Flask, response: TestResponse) -> list[TestResponse]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]  # the first page
    token = parse_qs(urlsplit(response.headers["Content-Location"]).query)["lt"][0]
    client = app.test_client()
    return [
        client.get("/pages/", query_string={"lt": token}, follow_redirects=True),
        client.get("/pages/journey", query_string={"lt": token}),
        client.get("/app", query_string={"lt": token}),
    ]


@pytest.mark.parametrize("length", [256, 10_000])
def test_a_long_name_is_shortened_and_every_page_works(
    app: Flask, simulator: PlatformSimulator, length: int
) -> None:
    name = ("Lina " + TEN_KB)[:length]
    response = _launch_payload(app.test_client(), simulator, _with(("name",), name))
    assert [page.status_code for page in _pages_after(app, response)] == [200, 200, 200]
    table = progress_tables.learners
    with AdapterState.of(app).services.db.connection() as connection:
        stored = connection.execute(select(table.c.name)).scalar_one()
    assert len(stored) == 255
    assert stored.endswith("…")
    assert name.startswith(stored[:-1])


def test_long_given_and_family_names_fit_together(app: Flask, simulator: PlatformSimulator) -> None:
    def payload(claims: Claims) -> str:
        del claims["name"]
        claims["given_name"], claims["family_name"] = "G" * 400, "F" * 400
        return json.dumps(claims)

    response = _launch_payload(app.test_client(), simulator, payload)
    assert [page.status_code for page in _pages_after(app, response)] == [200, 200, 200]
    with AdapterState.of(app).services.db.connection() as connection:
        stored = connection.execute(select(progress_tables.learners.c.name)).scalar_one()
    assert len(stored) <= 255


def test_a_right_to_left_override_in_a_name_is_kept_as_text(
    app: Flask, simulator: PlatformSimulator
) -> None:
    name = "\u202eanilorak"
    response = _launch_payload(app.test_client(), simulator, _with(("name",), name))
    assert [page.status_code for page in _pages_after(app, response)] == [200, 200, 200]


@pytest.mark.parametrize("token", ["v1.abc.1999999999.é", "v1.ä.1.x", "v1.abc.1.\u00ff" * 3])
def test_a_launch_token_beyond_ascii_is_a_401_not_a_500(app: Flask, token: str) -> None:
    """``hmac.compare_digest`` raises ``TypeError`` for such a string: every page was a 500
    for a link whose ``lt`` someone had edited."""
    for path in ("/pages/journey", "/pages/staff/", "/pages/course"):
        response = app.test_client().get(path, query_string={"lt": token})
        assert response.status_code == 401, path
        assert response.headers["X-Yrkesresan-Error"] == "LaunchTokenTampered"


def test_a_binding_cookie_beyond_ascii_is_refused_not_a_500(
    app: Flask, simulator: PlatformSimulator
) -> None:
    client = app.test_client()
    query, token = _logged_in(client, simulator)
    name = binding_cookie(query["state"])
    assert client.get_cookie(name, path="/lti/launch") is not None
    browser = app.test_client(use_cookies=False)  # sends the Cookie header as a browser would
    for value in ("s1.é.ö", "s1.x.ö"):  # a seal's three parts, a signature beyond ASCII
        response = browser.post(
            "/lti/launch",
            data={"state": query["state"], "id_token": token},
            headers={"Cookie": f"{name}={value}"},
        )
        assert response.status_code == 400, response.get_data(as_text=True)[:200]
        assert response.headers["X-Yrkesresan-Error"] == "StateFromOtherBrowser"
