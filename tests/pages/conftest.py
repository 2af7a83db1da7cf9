"""An adapter with the pages, a test catalog and launches resolved from plain tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient

from tests.db_fixtures import database, database_url  # noqa: F401 - fixtures
from tests.launch_factory import launch_context
from tests.lti_fixtures import launch_app, launched_client, simulator  # noqa: F401 - fixtures
from tests.pages.recording_journal import RecordingJournal
from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.pages.launch import Launched, token_of
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_lti.catalog import Catalog, load_catalog
from yrkesresan_lti.exceptions import LaunchExpired
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.settings import Settings

HERE = Path(__file__).parent
BASE = "https://yrkesresan.se/id/journeys/barn-och-unga"
COURSE = f"{BASE}/courses/samtal"
TASK_BBIC = f"{COURSE}/preparation/tasks/las-bbic"
TASK_FILM = f"{COURSE}/preparation/tasks/film-samtal"
TASK_REFLECTION = f"{COURSE}/follow-up/tasks/reflektion"
MOODLE = PlatformRegistration(
    issuer="https://moodle.example.se",
    client_id="client-1",
    name="Moodle Exempelkommun",
    auth_login_url="https://moodle.example.se/mod/lti/auth.php",
    auth_token_url="https://moodle.example.se/mod/lti/token.php",
    key_set_url="https://moodle.example.se/mod/lti/certs.php",
)
"""The platform of the test launches (``make_app`` does not register it)."""
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def load_test_catalog(tmp_path: Path, mark: str = "") -> Catalog:
    text = (HERE / "catalog.yaml").read_text("utf-8").replace(" TITLE_MARK", mark)
    path = tmp_path / "catalog.yaml"
    path.write_text(text, "utf-8")
    return load_catalog(path)


launch = launch_context
"""The suite's launch builder (:func:`tests.launch_factory.launch_context`)."""


class Launches:
    """Token → launch, like the real launch flow but without signatures."""

    def __init__(self) -> None:
        self.by_token: dict[str, LaunchContext] = {}

    def add(self, context: LaunchContext) -> str:
        token = f"tok-{context.launch_id}"
        self.by_token[token] = context
        return token

    def __call__(self, request: Request) -> Launched:
        token = token_of(request)
        if token not in self.by_token:
            raise LaunchExpired("no launch token: start the tool again from the LMS")
        return Launched(self.by_token[token], token)


@pytest.fixture
def launches() -> Launches:
    return Launches()


@pytest.fixture
def events() -> RecordingJournal:
    return RecordingJournal()


@pytest.fixture
def make_app(tmp_path: Path, launches: Launches, events: RecordingJournal) -> Callable[..., Flask]:
    def make(
        mark: str = "",
        *,
        outbox_events: bool = False,
        on: str | None = None,
        **collaborators: Any,
    ) -> Flask:
        """``on``: a database URL (default: SQLite under ``tmp_path``)."""
        where: dict[str, Any] = {"database_url": on} if on else {}
        app = create_app(Settings(instance_path=tmp_path / "instance", _env_file=None, **where))
        catalog = load_test_catalog(tmp_path, mark)
        service = PagesService.of(app)
        service.catalog = lambda: catalog
        service.resolve_launch = launches
        if not outbox_events:
            service.events = events
        else:  # the real xAPI/AGS wiring, on the test catalog
            service.events = wiring.outbox_journal(app, service.catalog, b"k" * 32)
        service.roster = None
        for name, value in collaborators.items():
            setattr(service, name, value)
        return app

    return make


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)
