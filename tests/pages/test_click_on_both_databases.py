"""A learner's clicks leave the same outbox on SQLite and PostgreSQL: the xAPI statements
byte for byte and in the same order, the same AGS scores, one newest score per line item.

PostgreSQL runs a click in fewer statements than SQLite (the reads in one, the outbox
entries as the ``WITH`` of the statistics' and the score head's upserts); what the LRS
and the LMS receive must not show it."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.db_fixtures import postgres_schema_url
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
from tests.pages.test_course_completion import AGS_CLAIM, placed
from tests.pages.test_occasion_pages import JANUARY
from yrkesresan_adapter.advantage.schema import score_heads_table
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables

CLICKS = (
    ("done", TASK_BBIC),
    ("done", TASK_FILM),
    ("undo", TASK_BBIC),
    ("done", TASK_REFLECTION),
    ("done", TASK_BBIC),
    ("open", TASK_FILM),
)


def clicked(make_app: Callable[..., Flask], launches: Launches, url: str | None) -> Flask:
    """Anna's launch of the placed course and :data:`CLICKS`, with a fixed clock and ids."""
    app = make_app(outbox_events=True, clock=FakeClock(JANUARY), on=url)
    AdapterState.of(app).services.platforms.add(MOODLE)
    service = PagesService.of(app)
    numbers = itertools.count(1)
    service.events = wiring.outbox_journal(
        app,
        service.catalog,
        b"k" * 32,
        clock=FakeClock(JANUARY),
        id_factory=lambda: f"00000000-0000-4000-8000-{next(numbers):012d}",
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
        finally:
            AdapterState.of(on_postgresql).services.db.dispose()
    expected = outbox(on_sqlite)
    AdapterState.of(on_sqlite).services.db.dispose()
    assert len(expected[0]) >= 10  # completed, progressed, passed, voided … for each click
    assert [s["score"]["scoreGiven"] for s in expected[1]] == [1, 2, 1, 2, 3]
    assert found == expected
