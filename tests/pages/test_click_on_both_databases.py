"""A learner's clicks leave the same outbox on SQLite and PostgreSQL: the xAPI statements
byte for byte and in the same order, the same AGS scores, one newest score per line item.

PostgreSQL runs a click in fewer statements than SQLite (the reads in one, the outbox
entries as the ``WITH`` of the statistics' and the score head's upserts); what the LRS
and the LMS receive must not show it."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from tests.conftest import FakeClock
from tests.db_fixtures import postgres_schema_url, terminate_pooled_backends, wait_for_a_lock_wait
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
from tests.pages.test_course_completion import AGS_CLAIM, last_score, placed
from tests.pages.test_occasion_pages import JANUARY
from yrkesresan_adapter.advantage.schema import score_heads_table
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.stats.schema import stats_tables
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.context import LaunchContext

CLICKS = (
    ("done", TASK_BBIC),
    ("done", TASK_FILM),
    ("undo", TASK_BBIC),
    ("done", TASK_REFLECTION),
    ("done", TASK_BBIC),
    ("open", TASK_FILM),
)


def anna_placed(
    make_app: Callable[..., Flask], launches: Launches, url: str
) -> tuple[Flask, FlaskClient, str, LaunchContext]:
    """The app on ``url``, Anna's launch of the placed course: her client, launch token and
    launch."""
    app = make_app(outbox_events=True, clock=FakeClock(JANUARY), on=url)
    AdapterState.of(app).services.platforms.add(MOODLE)
    context = launch(
        "anna", ags=AGS_CLAIM, custom={"yrkesresan_node": COURSE}, resource_link_id="rl-9"
    )
    placed(app, context)
    return app, app.test_client(), launches.add(context), context


def clicked(make_app: Callable[..., Flask], launches: Launches, url: str | None) -> Flask:
    """Anna's launch of the placed course and :data:`CLICKS`, with a fixed clock and ids."""
    app = make_app(outbox_events=True, clock=FakeClock(JANUARY), on=url)
    AdapterState.of(app).services.platforms.add(MOODLE)
    service = PagesService.of(app)
    numbers = itertools.count(1)

    def ids() -> str:
        return f"00000000-0000-4000-8000-{next(numbers):012d}"

    service.new_id = ids  # a completed statement's id: the click chooses it
    service.events = wiring.outbox_journal(
        app, service.catalog, b"k" * 32, clock=FakeClock(JANUARY), id_factory=ids
    )
    context = launch(
        "anna", ags=AGS_CLAIM, custom={"yrkesresan_node": COURSE}, resource_link_id="rl-9"
    )
    placed(app, context)
    token = launches.add(context)
    client = app.test_client()
    for action, task in CLICKS:
        page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
        form = {"lt": token, "csrf_token": csrf_of(page.get_data(as_text=True)), "task": task}
        assert client.post(f"/pages/task/{action}", data=form).status_code == 303
    return app


def ledger(app: Flask) -> list[tuple[Any, ...]]:
    """The statistics ledger's rows without their ids, in statement order."""
    events = stats_tables.events
    columns = [c for c in events.c if c.name != "id"]
    with AdapterState.of(app).services.db.session() as db:
        return [tuple(row) for row in db.execute(select(*columns).order_by(events.c.id))]


def outbox(app: Flask) -> tuple[list[tuple[str, bytes]], list[dict[str, Any]], int]:
    """The xAPI entries (target, bytes) and the AGS payloads without their random ids, in
    the order enqueued; the number of score heads."""
    entries = outbox_tables.entries
    query = select(entries.c.kind, entries.c.target, entries.c.payload).order_by(entries.c.id)
    with AdapterState.of(app).services.db.session() as db:
        rows = [(kind, target, bytes(payload)) for kind, target, payload in db.execute(query)]
        heads = db.execute(select(func.count()).select_from(score_heads_table)).scalar_one()
    statements = [(target, body) for kind, target, body in rows if kind == "xapi-statement"]
    scores = [json.loads(body) for kind, _, body in rows if kind == "ags-score"]
    for score in scores:
        del score["id"]
    return statements, scores, heads


@pytest.mark.postgres
def test_the_same_clicks_leave_the_same_outbox_on_sqlite_and_postgresql(
    make_app: Callable[..., Flask], launches: Launches, tmp_path: Path
) -> None:
    on_sqlite = clicked(make_app, launches, f"sqlite:///{tmp_path / 'clicks.db'}")
    with postgres_schema_url() as url:
        on_postgresql = clicked(make_app, launches, url)
        try:
            found = outbox(on_postgresql)
            counted = ledger(on_postgresql)
        finally:
            AdapterState.of(on_postgresql).services.db.dispose()
    expected = outbox(on_sqlite)
    assert len(ledger(on_sqlite)) >= 2  # the goals passed, the course completed
    assert counted == ledger(on_sqlite)
    AdapterState.of(on_sqlite).services.db.dispose()
    assert len(expected[0]) >= 10  # completed, progressed, passed, voided … for each click
    assert [s["score"]["scoreGiven"] for s in expected[1]] == [1, 2, 1, 2, 3]
    assert found == expected


@pytest.mark.postgres
def test_a_second_click_of_the_same_learner_waits_for_the_first_and_counts_its_task(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    """A double click or two tabs: the first click holds Anna's row and has marked the film
    done, not yet committed; the second waits for it and then scores both."""
    with postgres_schema_url() as url:
        app, client, token, context = anna_placed(make_app, launches, url)
        page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
        form = {"lt": token, "csrf_token": csrf_of(page.get_data(as_text=True))}
        assert client.post("/pages/task/done", data={**form, "task": TASK_BBIC}).status_code == 303
        answers: list[int] = []

        def second() -> None:
            answer = app.test_client().post(
                "/pages/task/done", data={**form, "task": TASK_REFLECTION}
            )
            answers.append(answer.status_code)

        pages = PagesService.of(app)
        try:
            with pages.sessions() as db:  # the first click, in its transaction
                first = db.connection()
                pages.store.touch(first, Scope.of(context), "anna", now=JANUARY)
                pages.store.mark_done(
                    first, Scope.of(context), "anna", TASK_FILM, statement_id="s-1", now=JANUARY
                )
                thread = threading.Thread(target=second)
                thread.start()
                wait_for_a_lock_wait("page_learners")  # the click's touch
                assert answers == []
            thread.join()
            assert answers == [303]
            assert last_score(app)[0] == 3  # BBIC, the film and the reflection
        finally:
            AdapterState.of(app).services.db.dispose()


@pytest.mark.postgres
def test_a_click_after_the_server_ended_the_pooled_connection_is_answered_and_stored(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    """PostgreSQL restarted (or ended an idle session) between two clicks: the next click
    is not a 500, and its task and statements are stored."""
    with postgres_schema_url() as url:
        app = make_app(outbox_events=True, clock=FakeClock(JANUARY), on=url)
        AdapterState.of(app).services.platforms.add(MOODLE)
        context = launch("anna", custom={"yrkesresan_node": COURSE})
        token = launches.add(context)
        client = app.test_client()
        db = AdapterState.of(app).services.db
        try:
            page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
            form = {"lt": token, "csrf_token": csrf_of(page.get_data(as_text=True))}
            terminate_pooled_backends(db)
            answer = client.post("/pages/task/done", data={**form, "task": TASK_BBIC})
            assert answer.status_code == 303
            pages = PagesService.of(app)
            with pages.sessions() as session:
                done = pages.store.completed(session.connection(), Scope.of(context), "anna")
            assert list(done) == [TASK_BBIC]
            assert any(TASK_BBIC.encode() in body for _, body in outbox(app)[0])
        finally:
            db.dispose()


@pytest.mark.postgres
def test_on_postgresql_a_click_marks_its_task_in_the_statement_of_its_reads(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    """Round trips fewer per click: the task-state upsert rides in the reads' statement (the
    task keeps the id of the *completed* statement the outbox sends: an undo voids exactly
    that one); the statistics ledger's rows, the goals and course sent and the AGS score
    with its head ride in the activity upsert with the xAPI statements' outbox entries; the
    statistics summary's units and counts are one statement."""
    with postgres_schema_url() as url:
        app, client, token, context = anna_placed(make_app, launches, url)
        db = AdapterState.of(app).services.db
        sent: list[str] = []
        try:
            page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
            form = {"lt": token, "csrf_token": csrf_of(page.get_data(as_text=True))}
            event.listen(db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
            answer = client.post("/pages/task/done", data={**form, "task": TASK_BBIC})
            assert answer.status_code == 303
            writes = [s for s in sent if "INSERT INTO page_task_states" in s]
            assert len(writes) == 1
            assert "FROM page_occasion_registrations" in writes[0]  # with the reads
            for task in (TASK_FILM, TASK_REFLECTION):  # goals and the course: ledger rows
                assert (
                    client.post("/pages/task/done", data={**form, "task": task}).status_code == 303
                )
            assert ledger(app)
            carried = (
                "INSERT INTO stats_events",
                "INSERT INTO page_outcome_statements",
                "INSERT INTO ags_score_heads",
            )
            writes = [s for s in sent if any(table in s for table in carried)]
            assert writes
            assert all("INSERT INTO stats_activity" in s for s in writes)
            summary = [s for s in sent if "INSERT INTO stats_counts" in s]
            assert summary
            assert all("INSERT INTO stats_units" in s for s in summary)  # one statement
            pages = PagesService.of(app)
            with pages.sessions() as session:
                done = pages.store.completed(session.connection(), Scope.of(context), "anna")
            statements = [json.loads(body) for _, body in outbox(app)[0]]
            completed = next(s for s in statements if s["object"]["id"] == TASK_BBIC)
            assert done[TASK_BBIC] == completed["id"]
            assert last_score(app)[0] == 3  # the score of each click, the newest at its head
            metrics = client.get("/metrics").get_data(as_text=True)
            assert 'outbox_enqueued_total{kind="ags-score",target="ags"} 3.0' in metrics
        finally:
            db.dispose()
