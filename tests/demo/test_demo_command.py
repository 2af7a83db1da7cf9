"""The README's demo, end to end: ``yrkesresan demo`` as a new user runs it.

The command starts a local Ralph LRS, the adapter in demo mode and the delivery worker. The
test then behaves like a browser: it launches as a learner from the simulated LMS at
``/demo`` (the real OIDC login and launch), opens a course, marks a task done, and reads the
*completed* statement back from Ralph. Ctrl-C stops everything, Ralph included.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from yrkesresan_adapter.demo.ralph import free_port

pytestmark = [pytest.mark.ralph, pytest.mark.slow]

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    text: str = ""


class PageParser(HTMLParser):
    """The forms (with their hidden fields and button text) and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(values.get("action", ""), values.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and values.get("name"):
            self._form.fields[values["name"]] = values.get("value", "")
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._form is not None:
            self._form.text += data


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def submit(session: requests.Session, page: requests.Response, form: Form) -> requests.Response:
    url = urljoin(page.url, form.action)
    if form.method == "post":
        response = session.post(url, data=form.fields, timeout=30)
    else:
        response = session.get(url, params=form.fields, timeout=30)
    assert response.status_code < 400, (response.status_code, response.text[:500])
    return response


def form_with(page: requests.Response, text: str) -> Form:
    forms = [f for f in parse(page.text).forms if text in " ".join(f.text.split())]
    assert forms, f"no form with {text!r} on {page.url}"
    return forms[0]


def follow(session: requests.Session, page: requests.Response, path: str) -> requests.Response:
    links = [link for link in parse(page.text).links if path in link]
    assert links, f"no link to {path} on {page.url}"
    response = session.get(urljoin(page.url, links[0]), timeout=30)
    assert response.status_code == 200, response.text[:500]
    return response


@dataclass
class Demo:
    url: str
    lrs_endpoint: str
    lrs_auth: tuple[str, str]
    output: list[str]


def _wait_for(url: str, process: subprocess.Popen[str], deadline: float) -> None:
    while time.monotonic() < deadline:
        assert process.poll() is None, "the demo exited early"
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)  # polling for readiness, bounded by the deadline
    pytest.fail(f"{url} did not come up")


def _port_open(url: str) -> bool:
    host, port = re.match(r"https?://([^:/]+):(\d+)", url).groups()  # type: ignore[union-attr]
    with socket.socket() as sock:
        return sock.connect_ex((host, int(port))) == 0


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("YRKESRESAN_")},
        "YRKESRESAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "YRKESRESAN_PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "yrkesresan_lti", "demo"]
    process = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 120
        lrs = None
        while lrs is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, f"the demo exited: {''.join(output)}"
            output.append(line)
            lrs = re.search(r"Ralph LRS (\S+) \(demokonto ([^:]+):(\S+)\)", line)
        assert lrs is not None, "".join(output)
        url = f"http://127.0.0.1:{port}"
        _wait_for(f"{url}/healthz", process, deadline)
        yield Demo(url, lrs.group(1), (lrs.group(2), lrs.group(3)), output)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            if process.stdout is not None:
                process.stdout.close()
    assert not _port_open(lrs.group(1)), "Ralph must stop with the demo"


def test_demo_launches_a_learner_and_a_completed_task_lands_in_ralph(demo: Demo) -> None:
    browser = requests.Session()
    start = browser.get(f"{demo.url}/demo", timeout=30)
    assert start.status_code == 200
    auth_page = submit(browser, start, form_with(start, "deltagare"))  # OIDC login → platform
    (launch_form,) = parse(auth_page.text).forms  # the platform's auto-submitting form_post
    landing = submit(browser, auth_page, launch_form)  # id_token → /lti/launch → the pages
    assert "Välj yrkesresa" in landing.text  # two journeys in the example catalog
    journey = follow(browser, landing, "/journey")
    course = follow(browser, journey, "/course")
    assert course.status_code == 200
    submit(browser, course, form_with(course, "Markera som klar"))

    deadline = time.monotonic() + 60
    found: list[dict[str, object]] = []
    while not found and time.monotonic() < deadline:
        answer = requests.get(
            f"{demo.lrs_endpoint}statements",
            params={"verb": COMPLETED},
            auth=demo.lrs_auth,
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        found = answer.json()["statements"]
        if not found:
            time.sleep(0.5)  # the background worker delivers within its idle interval
    assert found, "the completion never reached the LRS"
    statement = found[0]
    assert statement["actor"]["account"]["homePage"]  # pseudonymous account, no name
    assert "name" not in statement["actor"]
    assert statement["object"]["definition"]["type"] == (
        "http://id.tincanapi.com/activitytype/checklist-item"
    )


def test_demo_prints_how_to_launch_and_where_the_profile_is(demo: Demo) -> None:
    text = "".join(demo.output)
    assert "Katalog: " in text
    assert re.search(r"\d+ kurser", text), "the counts in the CLI's language"
    assert re.search(r"\d+ courses", text) or re.search(r"\d+ \w+", text)
    profile = requests.get(f"{demo.url}/xapi/profile.jsonld", timeout=10)
    assert profile.status_code == 200
    ready = requests.get(f"{demo.url}/readyz", timeout=10).json()
    assert "default" in ready["checks"]["outbox"]["targets"]
