"""A login from a cross-site LMS frame without platform storage (Moodle 4.5): the tool checks
that its cookie survives in the frame, and when it does not, offers a new window instead of
a dead end. Top-level logins and platform storage take no extra step; the state stays bound
to the browser."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import FakeClock
from yrkesresan_adapter.lti.views import binding_cookie
from yrkesresan_lti.lti.login import LoginRequest
from yrkesresan_lti.lti.memory import MemoryLaunchStateStore
from yrkesresan_lti.lti.new_window import FetchMetadata, RestartStore
from yrkesresan_lti.testing.simulator import PlatformSimulator

FRAME = {"Sec-Fetch-Dest": "iframe", "Sec-Fetch-Site": "cross-site"}
TOP = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "cross-site"}
CHECKED = {"Sec-Fetch-Dest": "iframe", "Sec-Fetch-Site": "same-origin"}
"""The check page's own post, from the tool's page in the frame."""


@dataclass
class Form:
    action: str
    method: str
    target: str
    fields: dict[str, str] = field(default_factory=dict)


class Forms(HTMLParser):
    """The forms of a page with their hidden fields."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                Form(values.get("action", ""), values.get("method", ""), values.get("target", ""))
            )
        elif tag == "input" and self.forms and values.get("type") == "hidden":
            self.forms[-1].fields[values.get("name", "")] = values.get("value", "")


def page_forms(response: TestResponse) -> list[Form]:
    return Forms(response.get_data(as_text=True)).forms


def login(
    client: FlaskClient, sim: PlatformSimulator, headers: dict[str, str], **extra: str
) -> TestResponse:
    return client.post(
        "/lti/login", data={**sim.login_form("/lti/login").fields, **extra}, headers=headers
    )


def post_form(client: FlaskClient, form: Form, headers: dict[str, str]) -> TestResponse:
    return client.post(form.action, data=form.fields, headers=headers)


def finish(
    client: FlaskClient, sim: PlatformSimulator, redirect: TestResponse, headers: dict[str, str]
) -> TestResponse:
    """Follow the login's redirect through the platform and post the launch."""
    assert redirect.status_code == 302, redirect.get_data(as_text=True)[:300]
    query = dict(parse_qsl(urlsplit(redirect.headers["Location"]).query))
    post = sim.authorize(query)
    return client.post("/lti/launch", data=post.fields, headers=headers)


def test_a_top_level_login_goes_straight_to_the_platform(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    client = launch_app.test_client()
    response = login(client, simulator, TOP)
    assert response.status_code == 302
    assert finish(client, simulator, response, TOP).status_code == 200  # the first page


@pytest.mark.parametrize(
    "headers", [{}, {"Sec-Fetch-Dest": "iframe", "Sec-Fetch-Site": "same-site"}]
)
def test_a_login_without_fetch_metadata_or_from_a_same_site_frame_takes_no_extra_step(
    launch_app: Flask, simulator: PlatformSimulator, headers: dict[str, str]
) -> None:
    assert login(launch_app.test_client(), simulator, headers).status_code == 302


def test_a_cross_site_frame_login_first_checks_the_cookie_then_continues(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    client = launch_app.test_client()
    check = login(client, simulator, FRAME)
    assert check.status_code == 200
    assert check.headers["Cache-Control"] == "no-store"
    assert "nonce-" in check.headers["Content-Security-Policy"]
    assert "Startar Yrkesresan" in check.get_data(as_text=True)
    (form,) = page_forms(check)
    assert form.action == "/lti/login"
    assert form.target == ""
    assert {k: v for k, v in form.fields.items() if k != "yr_cookie_check"} == simulator.login_form(
        "/lti/login"
    ).fields
    continued = post_form(client, form, CHECKED)  # the cookie came back: on to the platform
    assert continued.status_code == 302
    assert continued.headers["Location"].startswith(simulator.auth_login_url)
    assert finish(client, simulator, continued, FRAME).status_code == 200  # the first page


def test_a_blocked_cookie_gets_a_page_that_opens_the_login_in_a_new_window(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    frame = launch_app.test_client(use_cookies=False)  # the browser drops the frame's cookies
    (form,) = page_forms(login(frame, simulator, FRAME))
    blocked = post_form(frame, form, CHECKED)
    assert blocked.status_code == 200
    text = blocked.get_data(as_text=True)
    assert '<html lang="sv"' in text
    assert "<h1" in text
    assert "Öppna Yrkesresan i ett nytt fönster" in text
    assert "blockerar kakor" in text
    (new_window,) = page_forms(blocked)
    assert new_window.target == "_blank"
    assert new_window.action == "/lti/login"
    assert new_window.fields == simulator.login_form("/lti/login").fields
    window = launch_app.test_client()  # the new top-level window keeps the cookie
    started = post_form(window, new_window, TOP)
    assert finish(window, simulator, started, TOP).status_code == 200  # the first page


def test_the_new_window_page_speaks_english_when_the_browser_prefers_it(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    frame = launch_app.test_client(use_cookies=False)
    english = {**FRAME, "Accept-Language": "en"}
    (form,) = page_forms(login(frame, simulator, english))
    text = post_form(frame, form, {**CHECKED, "Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en"' in text
    assert "Open Yrkesresan in a new window" in text


def test_with_platform_storage_nothing_changes(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    response = login(launch_app.test_client(), simulator, FRAME, lti_storage_target="_parent")
    assert response.status_code == 200
    assert "lti.put_data" in response.get_data(as_text=True)


def test_a_bad_login_from_a_frame_is_refused_before_any_page(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    response = login(launch_app.test_client(), simulator, FRAME, iss="https://unknown.example")
    assert response.status_code == 400
    assert response.headers["X-Yrkesresan-Error"] == "UnknownIssuer"


def checked_login(app: Flask, sim: PlatformSimulator) -> tuple[FlaskClient, dict[str, str]]:
    """A frame login whose cookie check passed; returns the client and the launch form."""
    client = app.test_client()
    (form,) = page_forms(login(client, sim, FRAME))
    redirect = post_form(client, form, CHECKED)
    query = dict(parse_qsl(urlsplit(redirect.headers["Location"]).query))
    return client, dict(sim.authorize(query).fields)


def test_a_frame_launch_still_without_the_cookie_is_refused_with_the_new_window_offer(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    _, launch = checked_login(launch_app, simulator)
    frame = launch_app.test_client(use_cookies=False)
    refused = frame.post("/lti/launch", data=launch, headers=FRAME)
    assert refused.status_code == 400
    assert refused.headers["X-Yrkesresan-Error"] == "StateFromOtherBrowser"
    assert "Location" not in refused.headers
    assert "Öppna Yrkesresan i ett nytt fönster" in refused.get_data(as_text=True)
    (new_window,) = page_forms(refused)
    assert new_window.target == "_blank"
    assert new_window.fields == simulator.login_form("/lti/login").fields
    again = frame.post("/lti/launch", data=launch, headers=FRAME)  # the offer is made once
    assert again.headers["X-Yrkesresan-Error"] == "StateFromOtherBrowser"
    assert page_forms(again) == []


def test_a_state_started_in_another_browser_is_still_refused_in_a_frame(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    _, launch = checked_login(launch_app, simulator)  # the attacker's state and id_token …
    victim, _ = checked_login(launch_app, simulator)  # … posted by a victim with its own login
    refused = victim.post("/lti/launch", data=launch, headers=FRAME)
    assert refused.status_code == 400
    assert refused.headers["X-Yrkesresan-Error"] == "StateFromOtherBrowser"
    assert "Location" not in refused.headers
    assert "lt=" not in refused.get_data(as_text=True)
    # the offer only restarts a login at the platform, which answers for its own user
    assert all(form.target == "_blank" for form in page_forms(refused))
    again = victim.post("/lti/launch", data=launch, headers=FRAME)  # never without its binding
    assert again.headers["X-Yrkesresan-Error"] == "StateFromOtherBrowser"


def test_a_launch_with_a_wrong_binding_is_refused_without_an_offer(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    _, launch = checked_login(launch_app, simulator)
    other = launch_app.test_client()
    other.set_cookie(binding_cookie(launch["state"]), "not-the-binding", path="/lti/launch")
    refused = other.post("/lti/launch", data=launch, headers=FRAME)
    assert refused.headers["X-Yrkesresan-Error"] == "StateFromOtherBrowser"
    assert page_forms(refused) == []
    assert "Inloggningen startades i en annan webbläsare" in refused.get_data(as_text=True)


def test_a_top_level_launch_without_the_cookie_is_refused_without_an_offer(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    _, launch = checked_login(launch_app, simulator)
    refused = launch_app.test_client().post("/lti/launch", data=launch, headers=TOP)
    assert refused.headers["X-Yrkesresan-Error"] == "StateFromOtherBrowser"
    assert page_forms(refused) == []


def test_the_check_logs_its_outcome_without_tokens(
    launch_app: Flask, simulator: PlatformSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    frame = launch_app.test_client(use_cookies=False)
    with caplog.at_level(logging.INFO, logger="yrkesresan.lti"):
        (form,) = page_forms(login(frame, simulator, FRAME))
        post_form(frame, form, CHECKED)
    events = [
        (r.getMessage(), getattr(r, "outcome", None))
        for r in caplog.records
        if getattr(r, "event", "") == "lti_cookie_check"
    ]
    assert events == [("lti_cookie_check", "checking"), ("lti_cookie_check", "blocked")]
    logged = " ".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert simulator.login_form("/lti/login").fields["lti_message_hint"] not in logged


@pytest.mark.parametrize(
    ("dest", "site", "in_frame", "cross_site_frame"),
    [
        ("iframe", "cross-site", True, True),
        ("IFRAME", "Cross-Site", True, True),
        ("frame", "cross-site", True, True),
        ("iframe", "same-site", True, False),
        ("iframe", "same-origin", True, False),
        ("document", "cross-site", False, False),
        ("", "", False, False),
    ],
)
def test_fetch_metadata_tells_a_cross_site_frame(
    dest: str, site: str, in_frame: bool, cross_site_frame: bool
) -> None:
    metadata = FetchMetadata(dest, site)
    assert metadata.in_frame is in_frame
    assert metadata.cross_site_frame is cross_site_frame


def test_a_remembered_login_is_handed_out_once_and_expires(
    simulator: PlatformSimulator, clock: FakeClock
) -> None:
    store = RestartStore(MemoryLaunchStateStore(clock), ttl_seconds=600)
    request = LoginRequest.from_params(simulator.login_form("/lti/login").fields)
    store.remember("s1", request)
    store.remember("s2", request)
    assert store.recall("s1") == request
    assert store.recall("s1") is None
    assert store.recall("") is None
    clock.advance(seconds=601)
    assert store.recall("s2") is None
