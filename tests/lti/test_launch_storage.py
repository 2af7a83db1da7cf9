"""What a launch does to the database: one commit, and a refused launch still burns its state."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator


@pytest.fixture
def commits(launch_app: Flask) -> Iterator[list[str]]:
    database: Database = AdapterState.of(launch_app).services.db
    """The commits of transactions that wrote (the first page's reads commit on their own)."""
    seen: list[str] = []
    writing: set[int] = set()

    def on_execute(connection: object, _cursor: object, statement: str, *_: object) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA")):
            writing.add(id(connection))

    def on_commit(connection: object) -> None:
        if id(connection) in writing:
            writing.discard(id(connection))
            seen.append("commit")

    event.listen(database.engine, "before_cursor_execute", on_execute)
    event.listen(database.engine, "commit", on_commit)
    yield seen
    event.remove(database.engine, "commit", on_commit)
    event.remove(database.engine, "before_cursor_execute", on_execute)


def login(client: FlaskClient, simulator: PlatformSimulator) -> dict[str, str]:
    response = client.post("/lti/login", data=simulator.login_form("/lti/login").fields)
    assert response.status_code == 302
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))


def test_a_launch_commits_once(
    launch_app: Flask, simulator: PlatformSimulator, commits: list[str]
) -> None:
    client = launch_app.test_client()
    query = login(client, simulator)
    commits.clear()
    token = simulator.sign(simulator.claims(SimLaunch(), nonce=query["nonce"]))
    response = client.post("/lti/launch", data={"state": query["state"], "id_token": token})
    assert response.status_code == 200  # answered with the first page
    assert commits == ["commit"]  # state popped, nonce used, launch stored: one transaction


def test_a_refused_launch_uses_up_its_state(
    launch_app: Flask, simulator: PlatformSimulator
) -> None:
    client = launch_app.test_client()
    query = login(client, simulator)
    expired = simulator.claims(SimLaunch(), nonce=query["nonce"])
    expired["exp"] = int(time.time()) - 3600
    refused = client.post(
        "/lti/launch", data={"state": query["state"], "id_token": simulator.sign(expired)}
    )
    assert refused.headers["X-Yrkesresan-Error"] == "TokenExpired"
    valid = simulator.sign(simulator.claims(SimLaunch(), nonce=query["nonce"]))
    again = client.post("/lti/launch", data={"state": query["state"], "id_token": valid})
    assert (again.status_code, again.headers["X-Yrkesresan-Error"]) == (400, "BadState")
