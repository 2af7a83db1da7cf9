"""A learner's statements carry the municipality the admin attached (profile 1.5): the LMS
context's beats the platform's, none attached is explicit; the occasion carries its seats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.pages.conftest import COURSE, MOODLE, Launches
from tests.pages.test_occasion_pages import JANUARY, SPRING, learners, manager
from tests.pages.test_occasion_statements import post, statements
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.municipalities import SqlMunicipalityStore
from yrkesresan_lti.municipalities import municipality
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.profile.matcher import matching_templates

BASE = "https://yrkesresan.se/id/"
CODE, NAME, COUNTY = (
    f"{BASE}extensions/{n}" for n in ("municipality-code", "municipality-name", "county-code")
)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(outbox_events=True, clock=FakeClock(JANUARY))
    AdapterState.of(app).services.platforms.add(MOODLE)
    return app


def _attach(app: Flask, code: str, context_id: str | None = None) -> None:
    store = SqlMunicipalityStore(AdapterState.of(app).services.db)
    store.attach(MOODLE.issuer, MOODLE.client_id, municipality(code), context_id=context_id)


def _registered(
    app: Flask, client: FlaskClient, launches: Launches, context: str
) -> dict[str, Any]:
    learners(client, launches, "anna", context_id=context)
    boss = manager(launches, context_id=context)
    assert post(client, boss, "register", occasion=SPRING, person="anna") == 303
    found = statements(app)[-1]
    assert found["object"]["id"] == COURSE
    return found


def test_nothing_attached_says_unknown_municipality(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    extensions = _registered(app, client, launches, "course-42")["context"]["extensions"]
    assert (extensions[CODE], extensions[NAME], extensions[COUNTY]) == (None, "okänd kommun", None)
    assert extensions[f"{BASE}extensions/municipality"] == MOODLE.name  # unchanged


@pytest.mark.parametrize(
    ("context", "expected"),
    [("course-42", ("1402", "Partille", "14")), ("course-43", ("1480", "Göteborg", "14"))],
)
def test_the_contexts_municipality_beats_the_platforms(
    app: Flask, client: FlaskClient, launches: Launches, context: str, expected: tuple[str, ...]
) -> None:
    _attach(app, "1480")
    _attach(app, "1402", context_id="course-42")
    statement = _registered(app, client, launches, context)
    extensions = statement["context"]["extensions"]
    assert (extensions[CODE], extensions[NAME], extensions[COUNTY]) == expected
    occasion = statement["context"]["contextActivities"]["other"][0]
    assert occasion["id"] == SPRING
    assert isinstance(occasion["definition"]["extensions"][f"{BASE}extensions/seats"], int)
    assert len(matching_templates(build_profile(BASE), statement)) == 1
