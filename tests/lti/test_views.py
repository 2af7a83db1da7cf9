"""The launch endpoints end to end: login (GET and POST), launch, landing page, launch token."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask

from tests.conftest import FakeClock
from tests.log_fixtures import Lines
from tests.lti_fixtures import MOODLE_FIXTURES, TOOL_URL, LaunchClientFactory, launch, make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.context import MessageType, ToolRole
from yrkesresan_lti.lti.launch_token import LaunchTokens
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

FIXTURES = MOODLE_FIXTURES
MOODLE = PlatformRegistration(
    issuer="http://127.0.0.1:8080",
    client_id="probe-client-id",
    name="Moodle",
    auth_login_url="http://127.0.0.1:8080/mod/lti/auth.php",
    auth_token_url="http://127.0.0.1:8080/mod/lti/token.php",
    key_set_url="http://127.0.0.1:8080/mod/lti/certs.php",
    deployments=(Deployment("1", active=True),),
)

LONG_AGO = datetime.fromtimestamp(1_000_000, UTC)


def _fixture(name: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((FIXTURES / name).read_text())
    return data


@pytest.fixture
def moodle_app(tmp_path: Path) -> Flask:
    app = make_app(tmp_path, base_url="http://127.0.0.1:5000")
    AdapterState.of(app).services.platforms.save(MOODLE)
    return app


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(
    "initiation", ["login-initiation.resource-link.json", "login-initiation.deep-linking.json"]
)
def test_moodle_login_redirects_like_the_captured_auth_request(
    moodle_app: Flask, method: str, initiation: str
) -> None:
    fields = _fixture(initiation)
    client = moodle_app.test_client()
    if method == "POST":
        response = client.post("/lti/login", data=fields)
    else:
        response = client.get("/lti/login", query_string=fields)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == MOODLE.auth_login_url
    query = dict(parse_qsl(location.query))
    expected = _fixture("auth-request.query.json")
    assert set(query) == set(expected)
    for name in ("scope", "response_type", "response_mode", "prompt", "client_id", "redirect_uri"):
        assert query[name] == expected[name]
    assert query["login_hint"] == fields["login_hint"]
    assert query["lti_message_hint"] == fields["lti_message_hint"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "Path=/lti/launch" in cookie


def test_the_state_cookie_path_follows_each_requests_script_root(moodle_app: Flask) -> None:
    """The cookie's path is the launch URL under the request's own script root, every time
    (a tool mounted under a prefix, and the same tool without it)."""
    fields = _fixture("login-initiation.resource-link.json")
    client = moodle_app.test_client()
    for _ in range(2):
        for base, path in (
            ("http://localhost/", "/lti/launch"),
            ("http://localhost/tool/", "/tool/lti/launch"),
        ):
            response = client.get("/lti/login", query_string=fields, base_url=base)
            assert response.status_code == 302
            assert f"Path={path};" in response.headers["Set-Cookie"] + ";"


@pytest.mark.parametrize(
    ("role", "expected", "shown"),
    [
        ("learner", ToolRole.LEARNER, "Deltagare"),
        ("manager", ToolRole.MANAGER, "Chef/utbildare"),
        ("admin", ToolRole.ADMIN, "Administratör"),
        ("mentor", ToolRole.LEARNER, "mentor för 1 personer"),
    ],
)
def test_launch_lands_on_the_app_with_role_and_course(
    launched_client: LaunchClientFactory, role: str, expected: ToolRole, shown: str
) -> None:
    launched = launched_client(role)
    assert launched.response.status_code == 200  # the launch answers with its first page
    assert launched.response.headers["Cache-Control"] == "no-store"
    first = launched.response.get_data(as_text=True)
    reload_url = launched.response.headers["Content-Location"]  # the page's GET URL
    assert f'data-reload-url="{reload_url}"' in first  # pages.js puts it in the address bar
    assert reload_url.startswith("/pages/")
    assert f"lt={launched.token}" in reload_url
    assert launched.client.get(reload_url).status_code == 200  # a reload is a GET
    assert launched.context.role is expected
    page = launched.get("/app")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert shown in text
    assert "Yrkesresan: introduktion" in text
    assert launched.token in text  # links keep the launch token


def test_deep_linking_launch_is_marked(launched_client: LaunchClientFactory) -> None:
    launched = launched_client("manager", message="deep")
    assert launched.context.message_type is MessageType.DEEP_LINKING
    assert "Djuplänkning" in launched.get("/app").get_data(as_text=True)


def test_launch_token_works_without_cookies_and_from_another_client(
    launch_app: Flask, launched_client: LaunchClientFactory
) -> None:
    launched = launched_client("learner", custom={"yrkesresan_node": "https://x/id/j"})
    fresh = launch_app.test_client()  # no cookies at all
    assert fresh.get(launched.url("/app")).status_code == 200
    assert fresh.post("/app", data={"lt": launched.token}).status_code == 200
    assert launched.context.custom == {"yrkesresan_node": "https://x/id/j"}


def _tampered_token(app: Flask, token: str) -> str:
    """The token with one character of its signature changed. (Overwriting its last three
    characters with ``AAA`` left it valid when the signature ended in ``AAA``: one token in
    65,536, and it happened in a full run on 2026-12-07.)"""
    payload, signature = token.rsplit(".", 1)
    middle = len(signature) // 2
    changed = "B" if signature[middle] == "A" else "A"
    return f"{payload}.{signature[:middle]}{changed}{signature[middle + 1 :]}"


def _expired_token(app: Flask, token: str) -> str:
    launch_id = token.split(".")[1]
    past = LaunchTokens(b"test-secret-key-of-enough-length", 60, clock=FakeClock(LONG_AGO))
    return past.issue(launch_id)


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda app, t: "", "LaunchExpired"),
        (_tampered_token, "LaunchTokenTampered"),
        (lambda app, t: t.replace(t.split(".")[1], "0" * 32), "LaunchTokenTampered"),
        (lambda app, t: "garbage", "LaunchTokenTampered"),
        (_expired_token, "LaunchExpired"),
        (
            lambda app, t: LaunchTokens(b"test-secret-key-of-enough-length", 60).issue("f" * 32),
            "LaunchExpired",
        ),
    ],
    ids=["missing", "tampered", "other-launch", "garbage", "expired", "unknown-launch"],
)
def test_bad_launch_tokens_get_401(
    launch_app: Flask, launched_client: LaunchClientFactory, edit: object, error: str
) -> None:
    launched = launched_client()
    assert callable(edit)
    response = launch_app.test_client().get(
        "/app", query_string={"lt": edit(launch_app, launched.token)}
    )
    assert response.status_code == 401
    assert response.headers["X-Yrkesresan-Error"] == error
    assert "Starta verktyget igen" in response.get_data(as_text=True)


def test_error_page_is_english_when_the_browser_prefers_it(launch_app: Flask) -> None:
    response = launch_app.test_client().get(
        "/app", headers={"Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"}
    )
    assert response.status_code == 401
    assert response.headers["Content-Language"] == "en"
    assert "Start the tool again" in response.get_data(as_text=True)


def test_rejections_are_logged_without_tokens(
    launch_app: Flask, simulator: PlatformSimulator, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    client = launch_app.test_client()
    fields = simulator.login_form("/lti/login").fields
    location = client.post("/lti/login", data=fields).headers["Location"]
    query = dict(parse_qsl(urlsplit(location).query))
    token = simulator.sign(simulator.claims(SimLaunch(), nonce="wrong-nonce"))
    response = client.post("/lti/launch", data={"state": query["state"], "id_token": token})
    assert response.status_code == 400
    (line,) = lines.events("lti_rejected")
    assert line["level"] == "WARNING"
    assert line["error"] == "NonceMismatch"
    assert line["status"] == 400
    assert (line["method"], line["path"]) == ("POST", "/lti/launch")
    assert line["issuer"] == simulator.issuer
    assert line["request_id"] == response.headers["X-Request-ID"]
    logged = lines.buffer.getvalue()
    assert token[:40] not in logged
    assert query["state"] not in logged
    assert query["nonce"] not in logged


def test_login_and_launch_are_logged_once_each_with_their_fields(
    launch_app: Flask, simulator: PlatformSimulator, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    launched = launch(launch_app, simulator, SimLaunch())
    (login,) = lines.events("lti_login")
    assert (login["issuer"], login["client_id"]) == (simulator.issuer, simulator.client_id)
    (line,) = lines.events("lti_launch")
    assert line["level"] == "INFO"
    assert line["logger"] == "yrkesresan.lti"
    assert line["launch_id"] == launched.context.launch_id
    assert line["deployment_id"] == launched.context.deployment_id
    assert (line["message_type"], line["role"]) == ("LtiResourceLinkRequest", "learner")
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    (text,) = [text for text in lines.text() if json.loads(text).get("event") == "lti_launch"]
    assert text.count(launched.context.launch_id) == 1


def test_demo_is_404_unless_enabled(launch_app: Flask) -> None:
    client = launch_app.test_client()
    assert client.get("/demo/").status_code == 404
    assert client.get("/demo/platform/jwks.json").status_code == 404


def test_demo_runs_the_real_flow_from_its_buttons(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    client = app.test_client()
    page = client.get("/demo/")
    text = page.get_data(as_text=True)
    for label in ("Starta som deltagare", "Starta som chef", "Starta som administratör"):
        assert label in text
    sim: PlatformSimulator = AdapterState.of(app).services.demo_platform
    assert client.get("/demo/platform/jwks.json").json == sim.jwks()
    fields = sim.login_form("/lti/login").fields
    login = client.post("/lti/login", data=fields)
    assert login.status_code == 302
    assert login.headers["Location"].startswith(f"{TOOL_URL}/demo/platform/auth?")
    auth = client.get(login.headers["Location"])
    assert auth.status_code == 200
    html = auth.get_data(as_text=True)
    assert 'action="http://localhost/lti/launch"' in html
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    launched = client.post("/lti/launch", data=form)
    assert launched.status_code == 200  # the first page
    assert "<main" in launched.get_data(as_text=True)


def test_log_lines_cannot_be_forged_by_input(
    launch_app: Flask, simulator: PlatformSimulator, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="text")
    fields = {
        **simulator.login_form("/lti/login").fields,
        "iss": "https://x.example\r\nevent=lti_launch role=admin",
    }
    response = launch_app.test_client().post("/lti/login", data=fields)
    assert response.headers["X-Yrkesresan-Error"] == "UnknownIssuer"
    (line,) = [line for line in lines.text() if "event=lti_rejected" in line]
    assert 'issuer="https://x.example  event=lti_launch role=admin"' in line
    assert not [line for line in lines.text() if "event=lti_launch" in line.split('"')[0]]


def test_pages_do_not_leak_the_launch_token_to_other_sites(
    launched_client: LaunchClientFactory,
) -> None:
    page = launched_client("learner").get("/app")
    assert page.headers["Referrer-Policy"] == "same-origin"
