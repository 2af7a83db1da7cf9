"""A scenario with real data in every table that can hold a person, on SQLite and PostgreSQL.

Anna (``ANNA``) launched, opened and marked tasks done (one undone and redone), was registered
for an occasion by the manager ``boss`` and attended a course day; her launch is stored with
her name and e-mail, and she has an AGS placement, score head and queued score; ``boss`` put
her on an occasion's waiting list, she has an unread notice, and ``boss`` changed an occasion
on the admin page (audit trail). Bo is in the same course; the same ``sub`` as Anna's on
another platform (``CANVAS``) is someone else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, inspect, select, text, update

from tests.conftest import FakeClock
from tests.db_fixtures import database_url  # noqa: F401 - fixture
from tests.launch_factory import launch_context
from tests.pages.conftest import MOODLE, TASK_BBIC, TASK_FILM, Launches, csrf_of, load_test_catalog
from tests.pages.test_attendance_pages import MARCH_9
from tests.pages.test_attendance_pages import save as save_attendance
from tests.pages.test_evaluation_pages import MARCH_11
from tests.pages.test_evaluation_pages import answer as answer_evaluation
from tests.pages.test_occasion_pages import JANUARY, SPRING, register
from yrkesresan_adapter import create_app
from yrkesresan_adapter.advantage.schema import placements_table, score_heads_table
from yrkesresan_adapter.cli import register as register_cli
from yrkesresan_adapter.lti.session import SqlLaunchContextStore
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.pages.occasions.plan_schema import plan_tables
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_SCORE_KIND, AGS_TARGET
from yrkesresan_lti.lti.advantage.score_heads import head_key
from yrkesresan_lti.lti.claims import context_to_dict
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.outbox.outbox import Outbox, Payload
from yrkesresan_lti.settings import LrsTarget, Settings
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

ISSUER, CLIENT = MOODLE.issuer, MOODLE.client_id
CANVAS = PlatformRegistration(
    issuer="https://canvas.example.se",
    client_id="canvas-1",
    name="Canvas Annanstad",
    auth_login_url="https://canvas.example.se/api/lti/authorize_redirect",
    auth_token_url="https://canvas.example.se/login/oauth2/token",
    key_set_url="https://canvas.example.se/api/lti/security/jwks",
)
ANNA = "anna-sub-4711"
ANNA_NAME = "Anna Aronsdotter-Privat"
ANNA_EMAIL = "anna.aronsdotter@kommun.example"
ANNA_COMMENT = "Annas egen kommentar om kursen"
BO = "bo-sub-0815"
BOSS = "boss-sub-1234"
PSEUDONYM_KEY = "privacy-test-pseudonym-key-0123456789"
LINEITEM = "https://moodle.example.se/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:  # noqa: F811 - fixture
    catalog = load_test_catalog(tmp_path)  # writes tmp_path/catalog.yaml
    assert catalog.iri_base
    return Settings(
        _env_file=None,
        instance_path=tmp_path / "instance",
        database_url=database_url,
        catalog_path=tmp_path / "catalog.yaml",
        pseudonym_key=PSEUDONYM_KEY,
        base_url="https://yrkesresan.kommun.example",
        lrs_targets=[LrsTarget(name="rss", endpoint="https://lrs.example/xapi/")],
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(JANUARY)


@dataclass
class Scenario:
    app: Flask
    settings: Settings
    client: FlaskClient
    launches: Launches

    @property
    def engine(self) -> Engine:
        return AdapterState.of(self.app).services.db.engine

    def cli(self, *args: str, input: str | None = None) -> Result:
        @click.group()
        def group() -> None:
            pass

        register_cli(group)
        return CliRunner().invoke(group, list(args), obj=self.settings, input=input)

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, text and binary columns as text."""
        found: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            for name in inspect(conn).get_table_names():
                rows = conn.execute(text(f'SELECT * FROM "{name}"')).mappings()
                found[name] = [{k: _text(v) for k, v in row.items()} for row in rows]
        return found

    def deliver_everything(self) -> None:
        """As if the worker had delivered every entry (to the LRS and the LMS)."""
        table = outbox_tables.entries
        with self.engine.begin() as conn:
            conn.execute(update(table).values(status="delivered", attempts=1, delivered_at=JANUARY))

    def statements(self) -> list[dict[str, Any]]:
        table = outbox_tables.entries
        with self.engine.connect() as conn:
            query = select(table.c.payload).where(table.c.kind == "xapi-statement")
            return [json.loads(p) for (p,) in conn.execute(query)]


def _text(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def pseudonym(sub: str = ANNA, issuer: str = ISSUER) -> str:
    return Pseudonymizer(PSEUDONYM_KEY).pseudonym(issuer, sub)


@pytest.fixture
def scenario(tmp_path: Path, settings: Settings, clock: FakeClock) -> Iterator[Scenario]:
    app = create_app(settings)
    state = AdapterState.of(app)
    state.services.platforms.add(MOODLE)
    state.services.platforms.add(CANVAS)
    catalog = load_test_catalog(tmp_path)
    service = PagesService.of(app)
    service.catalog = lambda: catalog
    launches = Launches()
    service.resolve_launch = launches
    service.events = wiring.outbox_journal(app, service.catalog, b"k" * 32)
    service.roster = None
    service.clock = clock
    client = app.test_client()
    s = Scenario(app, settings, client, launches)
    _fill(s, clock)
    yield s
    state.services.db.dispose()


def _learner(s: Scenario, sub: str, **changes: Any) -> str:
    token = s.launches.add(launch_context(sub, **changes))
    assert s.client.get("/pages/", query_string={"lt": token}).status_code == 303
    return token


def _done(s: Scenario, token: str, task: str, action: str = "done") -> None:
    from tests.pages.conftest import COURSE

    page = s.client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    csrf = csrf_of(page.get_data(as_text=True))
    response = s.client.post(
        f"/pages/task/{action}", data={"lt": token, "csrf_token": csrf, "task": task}
    )
    assert response.status_code == 303, response.get_data(as_text=True)


def _fill(s: Scenario, clock: FakeClock) -> None:
    anna = _learner(s, ANNA, name=ANNA_NAME, email=ANNA_EMAIL)
    bo = _learner(s, BO)
    other_anna = _learner(  # same sub, another platform: another person
        s,
        ANNA,
        issuer=CANVAS.issuer,
        client_id=CANVAS.client_id,
        name="Anna på Canvas",
        launch_id="launch-canvas-anna",
    )
    for token in (anna, bo, other_anna):
        _done(s, token, TASK_BBIC)
    _done(s, anna, TASK_BBIC, "undo")  # voids the completion
    _done(s, anna, TASK_BBIC)
    _done(s, anna, TASK_FILM)
    boss = s.launches.add(launch_context(BOSS, role=ToolRole.MANAGER))
    assert register(s.client, boss, SPRING, ANNA, BO).status_code == 303
    clock.set(MARCH_9)
    assert save_attendance(s.client, boss, [f"1|{ANNA}", f"1|{BO}"]).status_code == 303
    clock.set(MARCH_11)  # after the last course day: both evaluate the course, with comments
    for token, words in ((anna, ANNA_COMMENT), (bo, "Bos kommentar om kursen")):
        assert answer_evaluation(s.client, token, q_helhet="4", comment=words).status_code == 303
    clock.set(MARCH_9)
    db = AdapterState.of(s.app).services.db
    launch = launch_context(ANNA, name=ANNA_NAME, email=ANNA_EMAIL, launch_id="stored-anna")
    SqlLaunchContextStore(db).put("stored-anna", context_to_dict(launch), 8 * 3600)
    other = launch_context(BO, launch_id="stored-bo", email="bo@kommun.example")
    SqlLaunchContextStore(db).put("stored-bo", context_to_dict(other), 8 * 3600)
    score = {
        "id": "score-anna-1",
        "platform": {"issuer": ISSUER, "client_id": CLIENT},
        "lineitem": LINEITEM,
        "score": {"userId": ANNA, "scoreGiven": 1, "timestamp": MARCH_9.isoformat()},
    }
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        conn.execute(
            placements_table.insert(),
            {
                "issuer": ISSUER,
                "client_id": CLIENT,
                "deployment_id": "dep-1",
                "context_id": "course-42",
                "user_sub": ANNA,
                "resource_link_id": "rl-1",
                "lineitem_url": LINEITEM,
                "node_iri": "https://yrkesresan.se/id/journeys/barn-och-unga",
                "launched_at": now,
            },
        )
        conn.execute(
            score_heads_table.insert(),
            {
                "key": head_key(ISSUER, CLIENT, LINEITEM, ANNA),
                "head_id": "score-anna-1",
                "updated_at": now,
            },
        )
        body = json.dumps(score, sort_keys=True).encode()
        Outbox(outbox_tables).enqueue(
            conn, [Payload("score-anna-1", body)], [AGS_TARGET], kind=AGS_SCORE_KIND
        )
    _occasion_rows(db.engine, now)


def _occasion_rows(engine: Engine, now: datetime) -> None:
    """Waiting list, notices and audit trail rows of Anna, Bo, the boss and Canvas' Anna."""
    scope = Scope.of(launch_context(ANNA))
    tenant = {
        "issuer": scope.issuer,
        "client_id": scope.client_id,
        "deployment_id": scope.deployment_id,
        "context_id": scope.context_id,
    }
    occasion = SPRING + "-waiting"
    course = SPRING.split("/occasions/")[0]
    t = plan_tables
    with engine.begin() as conn:
        for sub in (ANNA, BO):
            conn.execute(
                t.waiting.insert(),
                {
                    **tenant,
                    "user_sub": sub,
                    "course_iri": course,
                    "occasion_iri": occasion,
                    "added_at": now,
                    "added_by": BOSS,
                },
            )
            conn.execute(
                t.notices.insert(),
                {
                    **tenant,
                    "user_sub": sub,
                    "occasion_iri": occasion,
                    "kind": "cancelled",
                    "details": "{}",
                    "created_at": now,
                    "read_at": None,
                },
            )
        actors = [
            (ISSUER, CLIENT, scope.deployment_id, BOSS),
            (CANVAS.issuer, CANVAS.client_id, scope.deployment_id, ANNA),
            (None, None, None, "cli"),
        ]
        for issuer, client, deployment, sub in actors:
            conn.execute(
                t.audit.insert(),
                {
                    "occasion_iri": occasion,
                    "at": now,
                    "actor_issuer": issuer,
                    "actor_client_id": client,
                    "actor_deployment_id": deployment,
                    "actor_sub": sub,
                    "action": "edited",
                    "details": "{}",
                },
            )
