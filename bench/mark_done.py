"""Marking a task done: the added time of the real POST over a no-op POST in the same app.

Both requests resolve the launch and check the CSRF token; the real one also writes the task
state, builds the xAPI statements (completed, progressed, maybe passed and course completed)
and enqueues them in the outbox with the AGS score for the LMS gradebook, in one SQLite (WAL)
transaction. The launch is what a placed Moodle link sends: a registered platform and an AGS
claim with a line item. Target: median added time ≤ 2 ms.

Besides wall-clock time it prints the added *CPU* time of the request thread: it leaves out
waiting for the disk (fsync) and is steadier when the machine is busy with other work.

    .venv/bin/python bench/mark_done.py [rounds]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Request, redirect
from sqlalchemy import event
from tests.launch_factory import launch_context
from werkzeug.wrappers import Response

from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages.common import check_csrf
from yrkesresan_adapter.pages.journal import Journal
from yrkesresan_adapter.pages.launch import Launched, token_of
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import LaunchExpired
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration
from yrkesresan_lti.settings import Settings

PLATFORM = PlatformRegistration(
    issuer="https://moodle.example.se",
    client_id="client-1",
    name="Moodle Exempelkommun",
    auth_login_url="https://moodle.example.se/mod/lti/auth.php",
    auth_token_url="https://moodle.example.se/mod/lti/token.php",
    key_set_url="https://moodle.example.se/mod/lti/certs.php",
    deployments=(Deployment(deployment_id="dep-1"),),
)
AGS_CLAIM = {  # Moodle's line item of the placed link, with its query string
    "lineitem": "https://moodle.example.se/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1",
    "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
}


class Launches:
    def __init__(self) -> None:
        self.by_token: dict[str, LaunchContext] = {}

    def add(
        self,
        sub: str,
        role: ToolRole = ToolRole.LEARNER,
        ags: dict[str, Any] | None = None,
        node: str | None = None,
    ) -> str:
        context = launch_context(
            sub,
            role=role,
            context_title=None,
            name=f"Person {sub}",
            ags=ags,
            resource_link_id="rl-1",
            custom={"yrkesresan_node": node} if node else {},
        )
        token = f"tok-{sub}"
        self.by_token[token] = context
        return token

    def __call__(self, request: Request) -> Launched:
        token = token_of(request)
        if token not in self.by_token:
            raise LaunchExpired("unknown token")
        return Launched(self.by_token[token], token)


def make_app(catalog: Catalog | None = None) -> tuple[Flask, Launches]:
    directory = Path(tempfile.mkdtemp(prefix="yrkesresan-bench-"))
    app = create_app(
        Settings(_env_file=None, instance_path=directory, secret_key="bench-secret-of-length-32!")
    )
    # Every click comes from a launch of a registered platform (the launch checked it).
    AdapterState.of(app).services.platforms.add(PLATFORM)
    launches = Launches()
    service = PagesService.of(app)
    service.resolve_launch = launches
    service.roster = None
    if catalog is not None:
        service.catalog = lambda: catalog
    return app, launches


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], Any]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this thread)."""
    start, cpu = time.perf_counter(), time.thread_time()
    action()
    return time.perf_counter() - start, time.thread_time() - cpu


noop = Blueprint("bench_noop", __name__)


@noop.post("/bench/noop")
def noop_post() -> Response:
    check_csrf()
    return redirect("/pages/course", 303)


def relaxed_fsync(app: Flask) -> None:
    """``PRAGMA synchronous = NORMAL`` (the usual WAL setting: no fsync per commit; a power
    cut may lose the last commits, an application crash loses nothing)."""
    engine = AdapterState.of(app).services.db.engine
    engine.dispose()
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous = NORMAL"))


Samples = list[tuple[float, float]]


@dataclass(frozen=True)
class Variant:
    what: str
    statements: bool = True
    ags: bool = True
    synchronous_normal: bool = False


VARIANTS = (
    Variant("Moodle click: task state + xAPI statements + AGS score in the outbox"),
    Variant("task state + xAPI statements (launch without AGS)", ags=False),
    Variant("task state only (PageEvents off)", statements=False, ags=False),
    Variant("Moodle click, synchronous=NORMAL", synchronous_normal=True),
)


def measure(rounds: int, variant: Variant) -> tuple[Samples, Samples, int]:
    """(no-op times, mark-done times, tasks in the catalog); each time is (wall, CPU)."""
    app, launches = make_app()
    if variant.synchronous_normal:
        relaxed_fsync(app)
    app.register_blueprint(noop)
    service = PagesService.of(app)
    if not variant.statements:
        service.events = Journal()
    catalog = service.catalog()
    tasks = [t.iri for _, _, course in catalog.courses() for t in course.tasks]
    placed = catalog.journeys[0].iri  # a placed journey: every click changes its score
    placements = AdapterState.of(app).services.advantage.placements
    client = app.test_client()
    done: Samples = []
    baseline: Samples = []
    for i in range(rounds + 20):
        sub = f"learner-{i}"
        token = launches.add(sub, ags=AGS_CLAIM if variant.ags else None, node=placed)
        if variant.ags:  # what the learner's launch of the placed journey keeps
            with AdapterState.of(app).services.db.session() as db:
                placements.record(db, launches.by_token[token], now=datetime.now(UTC))
        csrf = service.csrf.token(f"launch-{sub}")
        form = {"lt": token, "csrf_token": csrf, "task": tasks[i % len(tasks)]}
        noop_time = timed(partial(client.post, "/bench/noop", data=form))
        done_time = timed(partial(client.post, "/pages/task/done", data=form))
        if i >= 20:  # warm-up
            baseline.append(noop_time)
            done.append(done_time)
    return baseline, done, len(tasks)


def main(rounds: int = 400) -> None:
    for variant in VARIANTS:
        baseline, done, tasks = measure(rounds, variant)
        added = [d[0] - b[0] for d, b in zip(done, baseline, strict=True)]
        added_cpu = [d[1] - b[1] for d, b in zip(done, baseline, strict=True)]
        walls, done_walls = [b[0] for b in baseline], [d[0] for d in done]
        sync = "NORMAL" if variant.synchronous_normal else "FULL (adapter default)"
        print(f"== {variant.what}; SQLite WAL, synchronous={sync}; {rounds} rounds, {tasks} tasks")
        print(f"no-op POST median:        {median_ms(walls):.3f} ms")
        print(f"mark-done POST median:    {median_ms(done_walls):.3f} ms")
        print(f"added by marking done:    {median_ms(added):.3f} ms (target <= 2 ms)")
        print(f"added CPU time:           {median_ms(added_cpu):.3f} ms")
        print(f"ratio done / no-op:       {median_ms(done_walls) / median_ms(walls):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
