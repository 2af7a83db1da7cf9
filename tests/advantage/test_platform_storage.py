"""LTI Platform Storage: a launch without the binding cookie succeeds through lti.get_data."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

from flask import Flask

from tests.adapter.test_metrics import scrape, value
from tests.lti_fixtures import TOOL_URL, launch_app  # noqa: F401
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator


def _js(html: str, name: str) -> str:
    match = re.search(r"var [^;]*\b" + name + r' = ("(?:[^"\\]|\\.)*")', html)
    assert match is not None, f"{name} not in page"
    value: str = json.loads(match.group(1))
    return value


def _login(app: Flask, simulator: PlatformSimulator, target: str) -> tuple[str, dict[str, str]]:
    fields = dict(simulator.login_form(f"{TOOL_URL}/lti/login", SimLaunch(user="manager")).fields)
    response = app.test_client().post("/lti/login", data={**fields, "lti_storage_target": target})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "lti.put_data" in html
    assert _js(html, "origin") == simulator.issuer  # the origin of the platform's auth URL
    assert _js(html, "frame") == target
    value = re.search(r"value: (\"[^\"]+\")", html)
    assert value is not None
    next_url = _js(html, "next")
    post = simulator.authorize(dict(parse_qsl(urlsplit(next_url).query)))
    return json.loads(value.group(1)), dict(post.fields)


def test_launch_without_cookie_reads_the_binding_from_the_platform(
    launch_app: Flask,  # noqa: F811
    simulator: PlatformSimulator,
) -> None:
    binding, launch_form = _login(launch_app, simulator, "_parent")
    no_cookies = launch_app.test_client()
    fetch = no_cookies.post("/lti/launch", data=launch_form)
    assert fetch.status_code == 200
    html = fetch.get_data(as_text=True)
    assert "lti.get_data" in html
    assert _js(html, "origin") == simulator.issuer
    assert f'name="id_token" value="{launch_form["id_token"]}"' in html
    launched = no_cookies.post("/lti/launch", data={**launch_form, "lti_storage_binding": binding})
    assert launched.status_code == 200  # the first page
    assert "lt=" in launched.headers["Content-Location"]


def test_the_storage_fetch_counts_as_incomplete_and_the_launch_as_ok(
    launch_app: Flask,  # noqa: F811
    simulator: PlatformSimulator,
) -> None:
    binding, launch_form = _login(launch_app, simulator, "_parent")
    no_cookies = launch_app.test_client()
    assert "lti.get_data" in no_cookies.post("/lti/launch", data=launch_form).get_data(True)
    launched = no_cookies.post("/lti/launch", data={**launch_form, "lti_storage_binding": binding})
    assert launched.status_code == 200  # the first page: both answers are 200s
    counted = scrape(launch_app)
    launches = "yrkesresan_lti_launches_total"
    assert value(counted, launches, outcome="incomplete", error="") == 1
    assert value(counted, launches, outcome="ok", error="") == 1


def test_a_wrong_binding_is_refused(
    launch_app: Flask,  # noqa: F811
    simulator: PlatformSimulator,
) -> None:
    _, launch_form = _login(launch_app, simulator, "post_message_forwarding")
    client = launch_app.test_client()
    assert client.post("/lti/launch", data=launch_form).status_code == 200
    refused = client.post("/lti/launch", data={**launch_form, "lti_storage_binding": "guess"})
    assert refused.status_code == 400


def test_unusable_storage_target_keeps_the_plain_redirect(
    launch_app: Flask,  # noqa: F811
    simulator: PlatformSimulator,
) -> None:
    fields = dict(simulator.login_form(f"{TOOL_URL}/lti/login").fields)
    response = launch_app.test_client().post(
        "/lti/login", data={**fields, "lti_storage_target": "<script>"}
    )
    assert response.status_code == 302


def test_a_binding_field_without_platform_storage_is_ignored(
    launch_app: Flask,  # noqa: F811
    simulator: PlatformSimulator,
) -> None:
    fields = dict(simulator.login_form(f"{TOOL_URL}/lti/login").fields)
    login = launch_app.test_client().post("/lti/login", data=fields)
    binding = login.headers["Set-Cookie"].split("=", 1)[1].split(";", 1)[0]
    post = simulator.authorize(dict(parse_qsl(urlsplit(login.headers["Location"]).query)))
    refused = launch_app.test_client().post(
        "/lti/launch", data={**post.fields, "lti_storage_binding": binding}
    )
    assert refused.status_code == 400
