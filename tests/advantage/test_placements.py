"""A learner's launch of a placed link keeps the placement, in the launch's transaction."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.lti_fixtures import LaunchClientFactory
from yrkesresan_adapter.advantage.schema import placements_table
from yrkesresan_adapter.state import AdapterState

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"


def rows(app: Flask) -> list[tuple[str, str, str, str]]:
    t = placements_table
    with AdapterState.of(app).services.db.session() as db:
        query = select(t.c.user_sub, t.c.resource_link_id, t.c.node_iri, t.c.lineitem_url)
        return [tuple(r) for r in db.execute(query.order_by(t.c.id))]  # type: ignore[misc]


def test_learner_launch_of_a_placed_node_keeps_link_line_item_and_node(
    launch_app: Flask, launched_client: LaunchClientFactory
) -> None:
    launched = launched_client(custom={"yrkesresan_node": COURSE}, resource_link_id="rl-9")
    ((sub, link, node, lineitem),) = rows(launch_app)
    assert (sub, link, node) == (launched.context.sub, "rl-9", COURSE)
    assert lineitem == (launched.context.ags or {})["lineitem"]
    launched_client(custom={"yrkesresan_node": COURSE}, resource_link_id="rl-9")
    assert len(rows(launch_app)) == 1  # launching again keeps one row


def test_launches_that_are_not_graded_keep_nothing(
    launch_app: Flask, launched_client: LaunchClientFactory
) -> None:
    launched_client(resource_link_id="rl-1")  # no node: placed by hand
    launched_client("manager", custom={"yrkesresan_node": COURSE})  # teachers get no grade
    assert rows(launch_app) == []
