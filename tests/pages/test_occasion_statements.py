"""Registering and withdrawing put *registered* / *unregistered* statements in the outbox,
in the same transaction as the registration row."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.pages.conftest import COURSE, MOODLE, TASK_BBIC, Launches, csrf_of, launch
from tests.pages.test_occasion_pages import AUTUMN, JANUARY, SPRING, learners, manager
from yrkesresan_adapter.pages.journal import OccasionEvent
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.statements import OutboxJournal
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.profile.matcher import matching_templates
from yrkesresan_lti.xapi.validation import validate_statement

VERB = "http://adlnet.gov/expapi/verbs/registered"
UNVERB = "http://id.tincanapi.com/verb/unregistered"
PAGE = "/pages/staff/occasions/"


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(outbox_events=True, clock=FakeClock(JANUARY))
    AdapterState.of(app).services.platforms.add(MOODLE)
    return app


def statements(app: Flask) -> list[dict[str, Any]]:
    table = outbox_tables.entries
    with AdapterState.of(app).services.db.session() as db:
        rows = db.execute(select(table.c.payload).where(table.c.kind == "xapi-statement"))
        return [json.loads(payload) for (payload,) in rows]


def post(client: FlaskClient, token: str, action: str, **data: str) -> int:
    page = client.get(PAGE, query_string={"lt": token, "course": COURSE})
    form = {"lt": token, "csrf_token": csrf_of(page.get_data(as_text=True)), "course": COURSE}
    return client.post(PAGE + action, data={**form, **data}).status_code


def registrations(app: Flask) -> int:
    with AdapterState.of(app).services.db.session() as db:
        return len(db.execute(select(occasion_tables.registrations.c.id)).all())


def test_register_move_and_withdraw_enqueue_valid_statements_about_the_learner(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    boss = manager(launches)
    assert post(client, boss, "register", occasion=SPRING, person="anna") == 303
    assert post(client, boss, "register", occasion=AUTUMN, person="anna") == 303
    assert post(client, boss, "withdraw", person="anna") == 303
    found = statements(app)
    assert [(s["verb"]["id"], s["context"]["registration"] != "") for s in found] == [
        (VERB, True),
        (UNVERB, True),
        (VERB, True),
        (UNVERB, True),
    ]
    occasions = [s["context"]["contextActivities"]["other"][0]["id"] for s in found]
    assert occasions == [SPRING, SPRING, AUTUMN, AUTUMN]
    profile = build_profile("https://yrkesresan.se/id/")
    for statement in found:
        validate_statement(statement)
        assert len(matching_templates(profile, statement)) == 1
        assert statement["object"]["id"] == COURSE
        assert set(statement["actor"]) == {"objectType", "account"}  # pseudonymous
    assert len({json.dumps(s["actor"], sort_keys=True) for s in found}) == 1


def test_the_actor_is_the_learner_not_the_manager(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    boss = manager(launches)
    post(client, boss, "register", occasion=SPRING, person="anna")
    post(client, manager(launches, "boss-b"), "register", occasion=SPRING, person="anna")
    (registered,) = statements(app)  # already registered the second time: nothing new
    for token in (launches.add(launch("anna", launch_id="again")), boss):
        page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
        form = {"lt": token, "csrf_token": csrf_of(page.get_data(as_text=True))}
        client.post("/pages/task/done", data={**form, "task": TASK_BBIC})
    done = [s for s in statements(app) if s["object"]["id"] == TASK_BBIC]
    anna_done, boss_done = done
    assert registered["actor"] == anna_done["actor"]  # the same person in the LRS
    assert registered["actor"] != boss_done["actor"]


def test_registration_and_statements_commit_together_or_not_at_all(
    app: Flask, client: FlaskClient, launches: Launches, monkeypatch: pytest.MonkeyPatch
) -> None:
    learners(client, launches, "anna")
    journal = PagesService.of(app).events
    assert isinstance(journal, OutboxJournal)
    enqueue = journal.registered

    def enqueue_then_fail(db: Executor, event: OccasionEvent) -> str | None:
        enqueue(db, event)  # the statement is in the outbox, then the disk is full
        raise RuntimeError("disk full")

    monkeypatch.setattr(journal, "registered", enqueue_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert post(client, manager(launches), "register", occasion=SPRING, person="anna") == 500
    assert statements(app) == []
    assert registrations(app) == 0
