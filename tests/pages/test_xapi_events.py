"""A learner's click puts xAPI statements (and an AGS score) in the outbox, same transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.pages.conftest import (
    COURSE,
    MOODLE,
    TASK_BBIC,
    TASK_FILM,
    TASK_REFLECTION,
    Launches,
    csrf_of,
    launch,
)
from yrkesresan_adapter.pages.attendance import AttendanceService
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.context import LaunchContext

VERB = "http://adlnet.gov/expapi/verbs/"
SPRING = f"{COURSE}/occasions/vt-2027"
LINEITEM = "https://moodle.example.se/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1"
AGS_CLAIM = {
    "lineitem": LINEITEM,
    "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
}


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(outbox_events=True)
    AdapterState.of(app).services.platforms.add(MOODLE)
    return app


def outbox(app: Flask) -> list[tuple[str, str, dict[str, Any]]]:
    table = outbox_tables.entries
    with AdapterState.of(app).services.db.session() as db:
        rows = db.execute(
            select(table.c.kind, table.c.target, table.c.payload).order_by(table.c.id)
        )
        return [(kind, target, json.loads(payload)) for kind, target, payload in rows]


def act(client: FlaskClient, token: str, path: str, task: str) -> None:
    page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    csrf = csrf_of(page.get_data(as_text=True))
    response = client.post(path, data={"lt": token, "csrf_token": csrf, "task": task})
    assert response.status_code == 303


def placed(app: Flask, context: LaunchContext) -> str:
    """What the real launch does: keep the placement (in the launch's transaction)."""
    state = AdapterState.of(app)
    with state.services.db.session() as db:
        assert state.services.advantage.placements.record(db, context, now=datetime.now(UTC))
    return context.launch_id


def test_done_enqueues_completion_progress_goal_and_ags_score(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    context = launch(ags=AGS_CLAIM, custom={"yrkesresan_node": COURSE}, resource_link_id="rl-7")
    placed(app, context)
    token = launches.add(context)
    act(client, token, "/pages/task/done", TASK_BBIC)
    entries = outbox(app)
    statements = [p for kind, _, p in entries if kind == "xapi-statement"]
    verbs = [s["verb"]["id"].removeprefix(VERB) for s in statements]
    assert verbs == ["completed", "progressed"]
    assert statements[0]["object"]["id"] == TASK_BBIC
    assert "mbox" not in statements[0]["actor"]  # pseudonymous
    assert {target for kind, target, _ in entries if kind == "xapi-statement"} == {"default"}
    (score,) = [p for kind, _, p in entries if kind == "ags-score"]
    assert score["lineitem"] == LINEITEM
    # 3 tasks and the course days (not registered for an occasion yet: one item)
    assert (score["score"]["scoreGiven"], score["score"]["scoreMaximum"]) == (1, 4)
    assert score["score"]["userId"] == "learner-1"
    assert score["score"]["gradingProgress"] == "FullyGraded"


def test_a_link_without_a_catalog_node_gets_no_score(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    context = launch(ags=AGS_CLAIM, resource_link_id="rl-7")  # placed by hand, no node
    token = launches.add(context)
    act(client, token, "/pages/task/done", TASK_BBIC)
    assert not any(kind == "ags-score" for kind, _, _ in outbox(app))


def test_finishing_a_goal_sends_passed(app: Flask, client: FlaskClient, launches: Launches) -> None:
    token = launches.add(launch())
    act(client, token, "/pages/task/done", TASK_BBIC)
    act(client, token, "/pages/task/done", TASK_FILM)  # BBIC's last task
    verbs = [p["verb"]["id"].removeprefix(VERB) for k, _, p in outbox(app) if k == "xapi-statement"]
    assert verbs.count("passed") == 1
    assert not any(k == "ags-score" for k, _, _ in outbox(app))  # no AGS claim, no score


def test_undo_voids_exactly_the_completion(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    token = launches.add(launch())
    act(client, token, "/pages/task/done", TASK_BBIC)
    completion = outbox(app)[0][2]
    act(client, token, "/pages/task/undo", TASK_BBIC)
    voiding = [p for _, _, p in outbox(app) if p["verb"]["id"].endswith("/voided")]
    assert len(voiding) == 1
    assert voiding[0]["object"] == {"objectType": "StatementRef", "id": completion["id"]}


def test_opening_a_task_sends_experienced(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    act(client, launches.add(launch()), "/pages/task/open", TASK_FILM)
    (entry,) = outbox(app)
    assert entry[2]["verb"]["id"] == VERB + "experienced"


@pytest.mark.parametrize("locale", ["sv_SE", "en-GB", "x@@!", "ett mycket långt ogiltigt språk"])
@pytest.mark.parametrize("registered", [True, False], ids=["registered", "registration-removed"])
def test_any_launch_locale_gives_a_valid_statement_language_never_an_error(
    app: Flask, client: FlaskClient, launches: Launches, locale: str, registered: bool
) -> None:
    if not registered:  # the platform was removed after the learner launched
        AdapterState.of(app).services.platforms.remove("https://moodle.example.se", "client-1")
    token = launches.add(launch(locale=locale))
    act(client, token, "/pages/task/done", TASK_BBIC)
    (completed, *_) = [p for kind, _, p in outbox(app) if kind == "xapi-statement"]
    expected = {"sv_SE": "sv-SE", "en-GB": "en-GB"}.get(locale, "sv")
    assert completed["context"]["language"] == expected


GOAL_BBIC = f"{COURSE}/goals/bbic"
GOAL_METHOD = f"{COURSE}/goals/samtalsmetodik"


def _statements(app: Flask) -> list[dict[str, Any]]:
    return [p for kind, _, p in outbox(app) if kind == "xapi-statement"]


def _unvoided(app: Flask, verb: str) -> list[str]:
    """Object ids of the ``verb`` statements no later *voided* statement voids."""
    statements = _statements(app)
    voided = {s["object"]["id"] for s in statements if s["verb"]["id"] == VERB + "voided"}
    return sorted(
        s["object"]["id"]
        for s in statements
        if s["verb"]["id"] == VERB + verb and s["id"] not in voided
    )


def _finish_course(client: FlaskClient, token: str) -> None:
    """Every task; the course days count too, so the learner attended them first."""
    for task in (TASK_BBIC, TASK_FILM, TASK_REFLECTION):
        act(client, token, "/pages/task/done", task)


@pytest.fixture
def every_day(app: Flask) -> None:
    """The learner (``learner-1``) registered for the spring occasion and attended both
    days, as a trainer records it (the rows; the statements are tested elsewhere)."""
    store = OccasionService.of(app).store
    attended = AttendanceService.of(app).store
    where, now = Scope.of(launch()), datetime(2027, 3, 10, tzinfo=UTC)
    with AdapterState.of(app).services.db.session() as db:
        conn = db.connection()
        store.register(
            conn,
            where,
            "learner-1",
            course_iri=COURSE,
            occasion_iri=SPRING,
            by="boss",
            statement_id="r",
            now=now,
        )
        for day in (1, 2):
            attended.record(
                conn,
                where,
                "learner-1",
                occasion_iri=SPRING,
                day_iri=f"{SPRING}/days/{day}",
                by="boss",
                statement_id=f"a{day}",
                now=now,
            )


@pytest.mark.usefixtures("every_day")
def test_undo_after_finishing_voids_the_course_completion_and_the_goals_it_undoes(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    token = launches.add(launch())
    _finish_course(client, token)
    assert _unvoided(app, "passed") == [GOAL_BBIC, GOAL_METHOD]
    assert COURSE in _unvoided(app, "completed")
    act(client, token, "/pages/task/undo", TASK_REFLECTION)  # serves samtalsmetodik only
    assert _unvoided(app, "passed") == [GOAL_BBIC]
    assert _unvoided(app, "completed") == sorted([TASK_BBIC, TASK_FILM])
    act(client, token, "/pages/task/undo", TASK_FILM)  # serves both goals
    assert _unvoided(app, "passed") == []
    assert _unvoided(app, "completed") == [TASK_BBIC]


@pytest.mark.usefixtures("every_day")
def test_redoing_after_an_undo_sends_goal_and_course_once_again_with_new_ids(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    token = launches.add(launch())
    _finish_course(client, token)
    first = {s["id"] for s in _statements(app)}
    act(client, token, "/pages/task/undo", TASK_REFLECTION)
    act(client, token, "/pages/task/done", TASK_REFLECTION)
    assert _unvoided(app, "passed") == [GOAL_BBIC, GOAL_METHOD]
    assert _unvoided(app, "completed") == sorted([COURSE, TASK_BBIC, TASK_FILM, TASK_REFLECTION])
    again = [s for s in _statements(app) if s["id"] not in first]
    objects = [s["object"]["id"] for s in again if s["verb"]["id"] != VERB + "voided"]
    assert sorted(o for o in objects if o in (GOAL_BBIC, GOAL_METHOD, COURSE)) == sorted(
        [GOAL_METHOD, COURSE]
    )


def test_undoing_a_task_of_an_unfinished_course_voids_only_its_completion(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    token = launches.add(launch())
    act(client, token, "/pages/task/done", TASK_BBIC)
    act(client, token, "/pages/task/done", TASK_FILM)  # bbic passed, course not done
    act(client, token, "/pages/task/undo", TASK_REFLECTION)  # was not done: nothing
    act(client, token, "/pages/task/undo", TASK_FILM)
    voided = [s for s in _statements(app) if s["verb"]["id"] == VERB + "voided"]
    assert len(voided) == 2  # the film's completion and bbic's passed
    assert _unvoided(app, "passed") == []
