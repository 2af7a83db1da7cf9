"""Marking a task done: the added time of the real POST over a no-op POST in the same app.

Both requests resolve the launch and check the CSRF token; the real one also writes the task
state, builds the xAPI statements (completed, progressed ×2, maybe passed) and enqueues them
in the outbox, in one SQLite (WAL) transaction. Target: median added time ≤ 2 ms.

    .venv/bin/python bench/mark_done.py [rounds]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Request, redirect
from sqlalchemy import event
from werkzeug.wrappers import Response

from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages.common import check_csrf
from yrkesresan_adapter.pages.launch import Launched, token_of
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import LaunchExpired
from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole
from yrkesresan_lti.settings import Settings


class Launches:
    def __init__(self) -> None:
        self.by_token: dict[str, LaunchContext] = {}

    def add(self, sub: str, role: ToolRole = ToolRole.LEARNER) -> str:
        context = LaunchContext(
            launch_id=f"launch-{sub}",
            issuer="https://moodle.example.se",
            client_id="client-1",
            deployment_id="dep-1",
            sub=sub,
            message_type=MessageType.RESOURCE_LINK,
            role=role,
            context_id="course-42",
            name=f"Person {sub}",
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
        Settings(_env_file=None, instance_path=directory, secret_key="bench-secret-of-length-32!")  # type: ignore[call-arg]
    )
    launches = Launches()
    service = PagesService.of(app)
    service.resolve_launch = launches
    service.roster = None
    if catalog is not None:
        service.catalog = lambda: catalog
    return app, launches


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


noop = Blueprint("bench_noop", __name__)


@noop.post("/bench/noop")
def noop_post() -> Response:
    check_csrf()
    return redirect("/pages/course", 303)


def relaxed_fsync(app: Flask) -> None:
    """``PRAGMA synchronous = NORMAL`` (the usual WAL setting: no fsync per commit; a power
    cut may lose the last commits, an application crash loses nothing)."""
    engine = AdapterState.of(app).services["db"].engine
    engine.dispose()
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous = NORMAL"))


def measure(
    rounds: int, *, with_statements: bool, synchronous_normal: bool
) -> tuple[list[float], list[float], int]:
    """(no-op times, mark-done times, tasks in the catalog)."""
    app, launches = make_app()
    if synchronous_normal:
        relaxed_fsync(app)
    app.register_blueprint(noop)
    service = PagesService.of(app)
    if not with_statements:
        service.events = None
    catalog = service.catalog()
    tasks = [t.iri for _, _, course in catalog.courses() for t in course.tasks]
    client = app.test_client()
    done: list[float] = []
    baseline: list[float] = []
    for i in range(rounds + 20):
        sub = f"learner-{i}"
        token = launches.add(sub)
        csrf = service.csrf.token(f"launch-{sub}")
        form = {"lt": token, "csrf_token": csrf, "task": tasks[i % len(tasks)]}
        noop_time = timed(lambda form=form: client.post("/bench/noop", data=form))
        done_time = timed(lambda form=form: client.post("/pages/task/done", data=form))
        if i >= 20:  # warm-up
            baseline.append(noop_time)
            done.append(done_time)
    return baseline, done, len(tasks)


def main(rounds: int = 400) -> None:
    for with_statements, normal in ((True, False), (False, False), (True, True), (False, True)):
        baseline, done, tasks = measure(
            rounds, with_statements=with_statements, synchronous_normal=normal
        )
        added = [d - b for d, b in zip(done, baseline, strict=True)]
        what = (
            "task state + xAPI statements in the outbox"
            if with_statements
            else "task state only (PageEvents off)"
        )
        sync = "synchronous=NORMAL" if normal else "synchronous=FULL (adapter default)"
        print(f"== {what}; SQLite WAL, {sync}; {rounds} rounds, {tasks} tasks")
        print(f"no-op POST median:        {median_ms(baseline):.3f} ms")
        print(f"mark-done POST median:    {median_ms(done):.3f} ms")
        print(f"added by marking done:    {median_ms(added):.3f} ms (target <= 2 ms)")
        print(f"ratio done / no-op:       {median_ms(done) / median_ms(baseline):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
