"""Property: whatever a learner clicks, and however delivery fails, every gradebook ends right.

Any sequence of done/undo clicks over four placements of one learner in one LMS context
(journey, course, course part, task; many clicks within one second), delivered to a
Moodle-strict platform (``scoreGiven`` only when ``FullyGraded``; 409 to a score not later,
in whole seconds, than the last) that fails now and then (503; the answer lost after the
score was recorded; the worker process killed after the POST), with retries and worker
restarts, ends with every line item's recorded grade equal to the tool's state.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, delete

from tests.advantage.conftest import DictPlatformStore
from tests.conftest import FakeClock
from tests.pages.conftest import BASE, COURSE, MOODLE, TASK_BBIC, launch, load_test_catalog
from yrkesresan_adapter.advantage.placement_scores import PlacementScores, PlacementStore
from yrkesresan_adapter.advantage.schema import placements_table, score_heads_table
from yrkesresan_adapter.pages.schema import progress_tables
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.storage.metadata import metadata, outbox_tables
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import ServiceConflict, ServiceUnavailable
from yrkesresan_lti.lti.advantage.ags import AgsClient
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET, AgsScoreDeliverer
from yrkesresan_lti.lti.advantage.node_scores import node_task_iris
from yrkesresan_lti.lti.advantage.score_heads import SqlScoreHeads
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.outbox.worker import OutboxWorker
from yrkesresan_lti.retry import RetryPolicy

NODES = (BASE, COURSE, f"{COURSE}/preparation", TASK_BBIC)
LEARNER = launch("learner-1")
RETRY = RetryPolicy.for_outbox(max_attempts=100_000, base_delay=0.0, max_delay=0.0)
LEASE = timedelta(seconds=5)


class Killed(BaseException):
    """The worker process dies (after its POST reached the platform)."""


class StrictMoodle(AgsClient):
    """Moodle 4.5.6's score endpoint in memory, with faults to inject."""

    def __init__(self) -> None:
        self.grades: dict[str, tuple[float | None, int]] = {}
        self.faults: deque[str] = deque()

    def post_score_json(
        self, platform: PlatformRegistration, lineitem_url: str, body: Mapping[str, Any]
    ) -> None:
        fault = self.faults.popleft() if self.faults else "ok"
        if fault == "503":
            raise _with_status(ServiceUnavailable("503"), 503)
        seconds = int(datetime.fromisoformat(body["timestamp"]).timestamp())
        old = self.grades.get(lineitem_url)
        if old is not None and old[1] >= seconds:
            raise _with_status(ServiceConflict("409"), 409)
        graded = body["gradingProgress"] == "FullyGraded"
        self.grades[lineitem_url] = (body["scoreGiven"] if graded else None, seconds)
        if fault == "lost":
            raise ServiceUnavailable("timed out reading the answer")
        if fault == "killed":
            raise Killed


def _with_status(error: ServiceUnavailable | ServiceConflict, status: int) -> Exception:
    error.platform_status = status
    return error


@dataclass
class World:
    engine: Engine
    catalog: Catalog

    def reset(self) -> None:
        with self.engine.begin() as conn:
            for table in (
                outbox_tables.entries,
                placements_table,
                score_heads_table,
                progress_tables.task_states,
            ):
                conn.execute(delete(table))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    where: Path = tmp_path_factory.mktemp("grades")
    engine = create_engine(f"sqlite:///{where / 'grades.db'}")
    metadata.create_all(engine)
    yield World(engine, load_test_catalog(where))
    engine.dispose()


def lineitem(node: str) -> str:
    return f"https://moodle.example.se/mod/lti/services.php/2/lineitems/{NODES.index(node)}/lineitem?type_id=1"


def placed(node: str) -> LaunchContext:
    return launch(
        "learner-1",
        launch_id=f"launch-{NODES.index(node)}",
        resource_link_id=f"rl-{NODES.index(node)}",
        custom={"yrkesresan_node": node},
        ags={
            "lineitem": lineitem(node),
            "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
        },
    )


click = st.tuples(st.just("click"), st.integers(0, 3), st.integers(0, 1500))
deliver = st.tuples(
    st.just("deliver"),
    st.lists(st.sampled_from(["ok", "503", "lost", "killed"]), max_size=4),
    st.integers(0, 1500),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.one_of(click, deliver), min_size=1, max_size=30))
def test_every_gradebook_ends_equal_to_the_tools_state(
    world: World, steps: list[tuple[Any, ...]]
) -> None:
    world.reset()
    clock = FakeClock(datetime(2026, 12, 6, 9, 0, 0, 0, tzinfo=UTC))
    progress = ProgressStore(progress_tables)
    placements = PlacementStore(placements_table)
    heads = SqlScoreHeads(world.engine, score_heads_table, clock=clock)
    outbox = Outbox(outbox_tables, clock=clock)
    scores = PlacementScores(placements, progress, heads, outbox, lambda: world.catalog)
    moodle = StrictMoodle()

    def worker() -> OutboxWorker:  # a fresh process: nothing carried over but the database
        deliverer = AgsScoreDeliverer(moodle, DictPlatformStore(MOODLE), heads=heads, clock=clock)
        return OutboxWorker(
            world.engine,
            {AGS_TARGET: deliverer},
            outbox=outbox,
            retry=RETRY,
            lease=LEASE,
            clock=clock,
        )

    with world.engine.begin() as conn:
        for node in NODES:
            placements.record(conn, placed(node), now=clock.now())
    tasks = sorted(node_task_iris(world.catalog.node(BASE)))
    scope = Scope.of(LEARNER)
    clicked: set[str] = set()
    running = worker()
    for step in steps:
        if step[0] == "click":
            task, gap = tasks[step[1]], step[2]
            clock.advance(milliseconds=gap)
            with world.engine.begin() as conn:  # the click's transaction
                done = task not in progress.completed(conn, scope, LEARNER.sub)
                if done:
                    progress.mark_done(
                        conn, scope, LEARNER.sub, task, statement_id="s", now=clock.now()
                    )
                else:
                    progress.undo(conn, scope, LEARNER.sub, task, now=clock.now())
                for write in scores.scoring(conn, LEARNER, MOODLE, task, done=done, at=clock.now()):
                    write.alone(conn)
            clicked.add(task)
        else:
            moodle.faults = deque(step[1])
            clock.advance(milliseconds=step[2])
            try:
                running.run_once()
            except Killed:
                running = worker()  # restarted; its leased entries come back after the lease
                clock.advance(seconds=6)
    moodle.faults.clear()
    for _ in range(50):  # let the worker finish
        clock.advance(seconds=6)
        if running.run_once().claimed == 0:
            break

    with world.engine.connect() as conn:
        completed = set(progress.completed(conn, scope, LEARNER.sub))
    for node in NODES:
        inside = node_task_iris(world.catalog.node(node))
        expected = len(inside & completed) if inside & clicked else None
        recorded = moodle.grades.get(lineitem(node), (None, 0))[0]
        assert recorded == expected, (node, expected, recorded)
