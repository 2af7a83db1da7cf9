"""Recording attendance puts *attended* statements in the outbox and a correction *voided*,
in the same transaction as the attendance rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.pages import test_attendance_pages as attendance_pages
from tests.pages.conftest import MOODLE, Launches
from tests.pages.test_attendance_pages import DAY_1, followed, save, stored
from tests.pages.test_occasion_statements import statements
from yrkesresan_adapter.pages.journal import AttendanceEvent
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.statements import OutboxJournal
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.profile.matcher import matching_templates
from yrkesresan_lti.xapi.validation import validate_statement

ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
PROFILE = "https://yrkesresan.se/id/profile/templates/"

clock_start = attendance_pages.clock_start  # the fixtures: January, Anna and Bo registered
registered = attendance_pages.registered


@pytest.fixture
def app(make_app: Callable[..., Flask], clock: FakeClock) -> Flask:
    app = make_app(outbox_events=True, clock=clock)
    AdapterState.of(app).services.platforms.add(MOODLE)
    return app


def attendance_statements(app: Flask) -> list[dict[str, Any]]:
    return [s for s in statements(app) if s["verb"]["id"] != REGISTERED]


def test_attended_then_corrected_enqueues_valid_statements_about_the_learner(
    app: Flask, client: FlaskClient, registered: str
) -> None:
    registration = statements(app)[0]  # anna's *registered* (she was registered first)
    assert registration["verb"]["id"] == REGISTERED
    followed(client, save(client, registered, ["1|anna"]))
    followed(client, save(client, registered, [], was=["1|anna"]))
    attended, voided = attendance_statements(app)
    assert attended["verb"]["id"] == ATTENDED
    assert attended["object"]["id"] == DAY_1
    assert voided["verb"]["id"] == VOIDED
    assert voided["object"] == {"objectType": "StatementRef", "id": attended["id"]}
    profile = build_profile("https://yrkesresan.se/id/")
    assert matching_templates(profile, attended) == [f"{PROFILE}course-day-attended"]
    assert matching_templates(profile, voided) == [f"{PROFILE}attendance-withdrawn"]
    for statement in (attended, voided):
        validate_statement(statement)
        assert set(statement["actor"]) == {"objectType", "account"}  # pseudonymous
        assert statement["actor"] == registration["actor"]  # anna, as when registered
        assert statement["context"]["registration"] == registration["context"]["registration"]
    instructor = attended["context"]["instructor"]
    assert set(instructor) == {"objectType", "account"}  # the manager, pseudonymous
    assert instructor["account"]["homePage"] == attended["actor"]["account"]["homePage"]
    assert instructor != attended["actor"]


def test_recording_several_people_makes_one_statement_each(
    app: Flask, client: FlaskClient, registered: str
) -> None:
    followed(client, save(client, registered, ["1|anna", "1|bo"]))
    found = attendance_statements(app)
    assert [s["verb"]["id"] for s in found] == [ATTENDED, ATTENDED]
    assert len({json.dumps(s["actor"], sort_keys=True) for s in found}) == 2


def test_attendance_and_statements_commit_together_or_not_at_all(
    app: Flask,
    client: FlaskClient,
    registered: str,
    launches: Launches,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = statements(app)
    journal = PagesService.of(app).events
    assert isinstance(journal, OutboxJournal)
    enqueue = journal.attended

    def enqueue_then_fail(db: Executor, event: AttendanceEvent) -> str | None:
        enqueue(db, event)  # the statement is in the outbox, then the disk is full
        raise RuntimeError("disk full")

    monkeypatch.setattr(journal, "attended", enqueue_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert save(client, registered, ["1|anna"]).status_code == 500
    assert statements(app) == before
    assert stored(app) == set()
