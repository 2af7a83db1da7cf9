"""A learner's launch of a placed course or course part sends *launched*, in the launch's
transaction; other placements and staff launches send nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.lti_fixtures import LaunchClientFactory
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables

JOURNEY = "https://yrkesresan.se/id/journeys/barn-och-unga"
COURSE = f"{JOURNEY}/courses/samtal-med-barn"
LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
ACTIVITIES = "http://adlnet.gov/expapi/activities/"


def statements(app: Flask) -> list[dict[str, Any]]:
    table = outbox_tables.entries
    with AdapterState.of(app).services.db.session() as db:
        rows = db.execute(
            select(table.c.payload).where(table.c.kind == "xapi-statement").order_by(table.c.id)
        )
        return [json.loads(payload) for (payload,) in rows]


@pytest.mark.parametrize(
    ("node", "activity_type", "parent"),
    [
        (COURSE, ACTIVITIES + "course", f"{JOURNEY}/phases/ny"),
        (f"{COURSE}/preparation", "http://id.tincanapi.com/activitytype/checklist", COURSE),
        (f"{COURSE}/course-days", ACTIVITIES + "module", COURSE),
        (f"{COURSE}/follow-up", "http://id.tincanapi.com/activitytype/checklist", COURSE),
    ],
    ids=["course", "preparation", "course-days", "follow-up"],
)
def test_launching_a_placed_course_or_part_sends_launched(
    launch_app: Flask,
    launched_client: LaunchClientFactory,
    node: str,
    activity_type: str,
    parent: str,
) -> None:
    launched_client("learner", custom={"yrkesresan_node": node})
    (statement,) = statements(launch_app)  # before the learner's browser reaches a page
    assert statement["verb"]["id"] == LAUNCHED
    assert statement["object"]["id"] == node
    assert statement["object"]["definition"]["type"] == activity_type
    assert [a["id"] for a in statement["context"]["contextActivities"]["parent"]] == [parent]
    assert "mbox" not in statement["actor"]


def test_each_launch_sends_its_own_statement(
    launch_app: Flask, launched_client: LaunchClientFactory
) -> None:
    for _ in range(2):
        learner = launched_client("learner", custom={"yrkesresan_node": COURSE})
        learner.get("/pages/")  # landing (or reloading) the page sends nothing more
        learner.get("/pages/")
    assert len({s["id"] for s in statements(launch_app)}) == 2


@pytest.mark.parametrize(
    "node",
    [
        None,
        JOURNEY,
        f"{JOURNEY}/phases/ny",
        f"{COURSE}/preparation/tasks/kunskapsguiden-samtal",
        "https://yrkesresan.se/id/journeys/finns-inte",
    ],
    ids=["no-node", "journey", "phase", "task", "unknown"],
)
def test_other_placements_send_nothing(
    launch_app: Flask, launched_client: LaunchClientFactory, node: str | None
) -> None:
    launched_client("learner", custom={"yrkesresan_node": node} if node else None)
    assert statements(launch_app) == []


@pytest.mark.parametrize("role", ["manager", "admin", "mentor"])
def test_staff_launches_send_nothing(
    launch_app: Flask, launched_client: LaunchClientFactory, role: str
) -> None:
    launched_client(role, custom={"yrkesresan_node": COURSE})
    assert statements(launch_app) == []
