"""The waiting list and changed occasions in the LRS (profile 1.5), on SQLite and PostgreSQL:
joining and leaving the line, a promotion, a cancellation and a moved day each enqueue the
statement of their own template, once, in the transaction of the action, about the person
(pseudonymous) in their own tenant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.launch_factory import CLIENT_ID, ISSUER
from tests.pages.conftest import MOODLE, Launches, launch, load_test_catalog
from tests.pages.test_occasion_pages import (
    AUTUMN,
    JANUARY,
    learners,
    manager,
    register,
    register_waiting,
)
from tests.pages.test_occasion_statements import post
from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.pages.journal import OccasionEvent
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.statements import OutboxJournal
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.profile.matcher import matching_templates
from yrkesresan_lti.xapi.serialization import statement_bytes
from yrkesresan_lti.xapi.validation import validate_statement

BASE = "https://yrkesresan.se/id/"
PROFILE = build_profile(BASE)
ADMIN = "/pages/admin/occasions/"
OTHER = {"issuer": "https://canvas.example.se", "client_id": "canvas-1"}
"""A second municipality (tenant)."""


@pytest.fixture
def app(tmp_path: Path, database_url: str, launches: Launches) -> Iterator[Flask]:
    settings = Settings(
        instance_path=tmp_path / "instance", database_url=database_url, _env_file=None
    )
    app = create_app(settings)
    catalog = load_test_catalog(tmp_path)
    service = PagesService.of(app)
    service.catalog = lambda: catalog
    service.resolve_launch = launches
    service.events = wiring.outbox_journal(app, service.catalog, b"k" * 32)
    service.roster = None
    service.clock = FakeClock(JANUARY)
    AdapterState.of(app).services.platforms.add(MOODLE)
    occasions = OccasionService.of(app)
    assert occasions.overlay is not None
    occasions.overlay.seed(catalog, now=JANUARY)
    with service.sessions() as db:
        plan = occasions.plans.get(db, AUTUMN)
        assert plan is not None
        occasions.regions.set(db, ISSUER, CLIENT_ID, [plan.region])
    yield app
    AdapterState.of(app).services.db.dispose()


def payloads(app: Flask) -> list[bytes]:
    table = outbox_tables.entries
    with AdapterState.of(app).services.db.session() as db:
        query = select(table.c.payload).where(table.c.kind == "xapi-statement")
        return [bytes(p) for (p,) in db.execute(query.order_by(table.c.id))]


def statements(app: Flask) -> list[dict[str, Any]]:
    return [json.loads(p) for p in payloads(app)]


def template(statement: dict[str, Any]) -> str:
    """The one profile template the statement matches (its short name)."""
    (found,) = matching_templates(PROFILE, statement)
    return found.rsplit("/", 1)[1]


def new_since(app: Flask, count: int) -> list[dict[str, Any]]:
    return statements(app)[count:]


def _region(app: Flask) -> str:
    with PagesService.of(app).sessions() as db:
        plan = OccasionService.of(app).plans.get(db, AUTUMN)
    assert plan is not None
    return plan.region


def _admin(launches: Launches) -> tuple[str, str]:
    context = launch("adm", role=ToolRole.ADMIN)
    return launches.add(context), context.launch_id


def _admin_post(
    app: Flask, client: FlaskClient, admin: tuple[str, str], path: str, data: dict[str, str]
) -> int:
    csrf = PagesService.of(app).csrf.token(admin[1])
    form = {"lt": admin[0], "csrf_token": csrf, **data}
    return client.post(ADMIN + path, data=form).status_code


def test_waiting_list_promotion_and_cancellation_send_their_own_statements(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo", "cia", "dan")
    learners(client, launches, "eva", **OTHER)
    boss, other_boss = manager(launches), manager(launches, "chef-b", **OTHER)
    assert register(client, boss, AUTUMN, "anna", "bo").status_code == 303  # full: 2 seats
    seen = len(statements(app))
    assert register_waiting(client, boss, AUTUMN, "cia", "dan").status_code == 303
    assert register_waiting(client, other_boss, AUTUMN, "eva").status_code == 303
    joined = new_since(app, seen)
    assert [template(s) for s in joined] == ["waiting-list-joined"] * 3
    position = f"{BASE}extensions/waiting-list-position"
    assert [s["context"]["extensions"][position] for s in joined] == [1, 2, 3]
    assert {s["object"]["id"] for s in joined} == {f"{AUTUMN}/waiting-list"}
    eva = joined[2]
    deployment = eva["context"]["extensions"][f"{BASE}extensions/lti-deployment"]
    assert deployment["issuer"] == OTHER["issuer"]  # each person in their own tenant

    seen = len(statements(app))
    assert post(client, boss, "leave-waiting", occasion=AUTUMN, person="dan") == 303
    (left,) = new_since(app, seen)
    assert template(left) == "waiting-list-left"
    assert left["context"]["extensions"][f"{BASE}extensions/reason"] == "withdrawn"
    assert left["actor"] == joined[1]["actor"]  # dan
    assert left["context"]["registration"] == joined[1]["context"]["registration"]

    seen = len(statements(app))
    assert post(client, boss, "withdraw", person="bo") == 303
    withdrawn, promoted = new_since(app, seen)
    assert (template(withdrawn), template(promoted)) == (
        "unregistered",
        "registered-from-waiting-list",
    )
    assert promoted["actor"] == joined[0]["actor"]  # cia, first in line
    assert promoted["context"]["registration"] == joined[0]["context"]["registration"]
    came = promoted["context"]["extensions"][f"{BASE}extensions/from-waiting-list"]
    assert came == {"joinedAt": "2027-01-10T09:00:00.000Z"}

    seen = len(statements(app))
    admin = _admin(launches)
    assert _admin_post(app, client, admin, "cancel", {"occasion": AUTUMN}) == 303
    changed = new_since(app, seen)
    kinds = sorted(template(s) for s in changed)
    assert kinds == ["occasion-cancelled", "occasion-cancelled", "waiting-list-left"]
    reasons = {s["context"]["extensions"][f"{BASE}extensions/reason"] for s in changed}
    assert reasons == {"occasion-cancelled"}
    (eva_left,) = [s for s in changed if template(s) == "waiting-list-left"]
    assert eva_left["actor"] == eva["actor"]

    found = statements(app)
    assert len({s["id"] for s in found}) == len(found)  # each statement enqueued once
    for statement, raw in zip(found, payloads(app), strict=True):
        validate_statement(statement)
        assert set(statement["actor"]) == {"objectType", "account"}  # pseudonymous
        assert statement_bytes(statement) == raw  # the bytes every retry resends


def test_a_moved_day_sends_rescheduled_to_everyone_registered(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    learners(client, launches, "olle", **OTHER)
    assert register(client, manager(launches), AUTUMN, "anna").status_code == 303
    assert register(client, manager(launches, "chef-b", **OTHER), AUTUMN, "olle").status_code == 303
    admin = _admin(launches)
    page = client.get(ADMIN + "edit", query_string={"lt": admin[0], "occasion": AUTUMN})
    html = page.get_data(as_text=True)
    days = html.split('name="days"')[1].split(">", 1)[1].split("</textarea>")[0].split("\n")
    first_date = days[0].split()[0]
    moved = [f"{first_date} 10:00-15:00", *days[1:]]  # day 1 starts later
    form = {
        "occasion": AUTUMN,
        "region": _region(app),
        "days": "\n".join(moved),
        "capacity": "2",
        "deadline": html.split('name="deadline" type="date" value="')[1].split('"')[0],
        "meeting_url": "https://meet.example.se/x",
        "status": "open",
    }
    seen = len(statements(app))
    assert _admin_post(app, client, admin, "edit", form) == 303
    rescheduled = new_since(app, seen)
    assert [template(s) for s in rescheduled] == ["course-day-moved"] * 2
    assert {s["object"]["id"] for s in rescheduled} == {f"{AUTUMN}/days/1"}
    change = rescheduled[0]["context"]["extensions"][f"{BASE}extensions/schedule-change"]
    assert change["after"]["start"][:19] == f"{first_date}T10:00:00"
    assert change["after"]["start"][19:] in ("+01:00", "+02:00")  # Swedish time
    assert change["before"]["start"] != change["after"]["start"]
    issuers = {
        s["context"]["extensions"][f"{BASE}extensions/lti-deployment"]["issuer"]
        for s in rescheduled
    }
    assert issuers == {ISSUER, OTHER["issuer"]}


def test_joining_the_waiting_list_and_its_statement_commit_together_or_not_at_all(
    app: Flask, client: FlaskClient, launches: Launches, monkeypatch: pytest.MonkeyPatch
) -> None:
    learners(client, launches, "anna", "bo", "cia")
    boss = manager(launches)
    assert register(client, boss, AUTUMN, "anna", "bo").status_code == 303
    seen = len(statements(app))
    journal = PagesService.of(app).events
    assert isinstance(journal, OutboxJournal)
    enqueue = journal.waiting_joined

    def enqueue_then_fail(db: Executor, event: OccasionEvent) -> str | None:
        enqueue(db, event)
        raise RuntimeError("disk full")

    monkeypatch.setattr(journal, "waiting_joined", enqueue_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert register_waiting(client, boss, AUTUMN, "cia").status_code == 500
    assert len(statements(app)) == seen
    with PagesService.of(app).sessions() as db:
        assert OccasionService.of(app).waiting.counts(db, [AUTUMN]) == {AUTUMN: 0}
