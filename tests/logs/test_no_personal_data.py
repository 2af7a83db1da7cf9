"""A day in production, logged as in production: no line carries a name, e-mail, ``sub``,
id_token, state, nonce or launch token.

A learner launches and marks a task done; a forged launch is refused; the LRS first refuses
our credentials, then every statement (echoing it back); the platform refuses the AGS score
(echoing it back); a page fails on a broken database. Every line written must be JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
import requests
import responses
from flask import Flask
from sqlalchemy import text

from tests.log_fixtures import Lines
from tests.lti_fixtures import TOOL_URL, FlaskBrowser, attach_simulator, make_app
from yrkesresan_adapter.delivery.worker import delivery_worker
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.testing.claims import USERS, SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

LRS = "https://lrs.test/xapi/"
COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"


class EchoingPlatform(requests.adapters.BaseAdapter):
    """The LMS's token endpoint works; every other call is refused, quoting the request."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        answer = requests.Response()
        answer.request, answer.url = request, request.url or ""
        if (request.url or "").endswith("/token"):
            answer.status_code = 200
            body = {"access_token": "at", "token_type": "Bearer", "expires_in": 3600}
            answer._content = json.dumps(body).encode()
        else:
            answer.status_code = 400
            sent = request.body or b""
            answer._content = b"refused: " + (sent if isinstance(sent, bytes) else sent.encode())
        answer.headers["Content-Type"] = "text/plain"
        return answer

    def close(self) -> None:
        return None


@pytest.fixture
def app(tmp_path: Path, simulator: PlatformSimulator) -> Iterator[Flask]:
    made = make_app(tmp_path, lrs=LrsTarget(endpoint=LRS))
    attach_simulator(made, simulator)
    session = AdapterState.of(made).services.advantage.http_session
    session.mount(simulator.issuer + "/", EchoingPlatform())
    yield made
    AdapterState.of(made).services.db.dispose()


def _lrs_refuses(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
    calls = _lrs_refuses.calls = getattr(_lrs_refuses, "calls", 0) + 1
    if calls == 1:
        return 401, {}, b'{"detail": "Invalid authentication credentials"}'
    sent = request.body if isinstance(request.body, bytes) else str(request.body).encode()
    return 400, {}, b'{"detail": ' + json.dumps(sent.decode()).encode() + b"}"


def test_no_line_carries_identities_or_tokens(
    app: Flask, simulator: PlatformSimulator, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json", log_level="DEBUG")
    secrets: list[str] = []
    user = USERS["learner"]
    secrets += [user.name, user.given_name, user.family_name, user.email, user.sub]

    # a launch of a placed course, like a browser: login, the platform's form post, the
    # first page (the placement is what the AGS score goes to)
    browser = FlaskBrowser(app.test_client())
    placed = SimLaunch(custom=(("yrkesresan_node", COURSE),))
    query = simulator.start(browser, f"{TOOL_URL}/lti/login", placed)
    post = simulator.authorize(query)
    launched = browser.post_form(post.action, post.fields)
    assert launched.status == 200  # the first page, in the launch's answer
    token = parse_qs(urlsplit(launched.page_url or "").query)["lt"][0]
    secrets += [query["state"], query["nonce"], post.fields["id_token"], token]
    client = browser.client

    # the learner opens a course and marks a task done
    page = client.get("/pages/course", query_string={"course": COURSE, "lt": token})
    html = page.get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    task = re.search(r'name="task" value="([^"]+)"', html)
    assert csrf, html[:300]
    assert task, html[:300]
    done = client.post(
        "/pages/task/done", data={"lt": token, "csrf_token": csrf[1], "task": task[1]}
    )
    assert done.status_code == 303

    # a forged launch is refused
    login = client.post("/lti/login", data=simulator.login_form("/lti/login").fields)
    forged_query = dict(parse_qsl(urlsplit(login.headers["Location"]).query))
    forged = simulator.sign(simulator.claims(SimLaunch(), nonce="wrong-nonce"))
    refused = client.post("/lti/launch", data={"state": forged_query["state"], "id_token": forged})
    assert refused.status_code == 400
    secrets += [forged_query["state"], forged_query["nonce"], forged]

    # delivery: the LRS refuses our credentials, then every statement; the LMS the score
    worker = delivery_worker(app)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as lrs:
        lrs.add_callback(responses.POST, LRS + "statements", callback=_lrs_refuses)
        worker.run_once()
        worker.flush()

    # a page on a broken database
    with AdapterState.of(app).services.db.engine.begin() as conn:
        conn.execute(text("DROP TABLE page_task_states"))
    broken = client.get("/pages/course", query_string={"course": COURSE, "lt": token})
    assert broken.status_code == 500

    parsed = lines.json()  # every line is JSON
    events = {line.get("event") for line in parsed}
    expected = {"lti_login", "lti_launch", "lti_rejected", "http_request", "outbox_retry"}
    assert expected | {"outbox_dead_letter", "lrs_rejected"} <= events
    assert {line["target"] for line in lines.events("outbox_retry")} == {"default", "ags"}
    failed = [line for line in parsed if line["level"] == "ERROR" and "exc_info" in line]
    assert failed, "the broken page is logged with its traceback"
    assert "page_task_states" in failed[-1]["exc_info"]
    written = lines.buffer.getvalue()
    leaked = [secret for secret in secrets if secret in written]
    assert leaked == []
