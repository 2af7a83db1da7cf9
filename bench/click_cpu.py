"""Benchmark: one click's own server CPU on PostgreSQL, in-process, and its SQL statements
and pool checkouts.

    PYTHONPATH=.:bench .venv/bin/python bench/click_cpu.py [learners] [--faithful]
    PYTHONPATH=/tmp/base/src:/tmp/base/adapter:.:bench .venv/bin/python bench/click_cpu.py

Launches ``learners`` learners on a placed course through the real OIDC flow against the
tool under gunicorn (1 worker; untimed), then marks each learner's tasks done through the
Flask test client of an app in this process on the same database, timing each click with
``time.thread_time`` (the click's own CPU: no load generator, no scheduling of other
processes). The first 10 learners warm up. The tree on ``PYTHONPATH`` is the one measured;
run trees with the same schema alternately. Not a test: the figures go into
docs/benchmarks.md.

It also prints the CPU the PostgreSQL backend serving the clicks spent per click (its
``/proc/<pid>/schedstat``, in nanoseconds: the server must run on this machine; the clicks
run one at a time, so the app's pool keeps one connection). ``--faithful`` leaves out the
statement and checkout counters: their event listeners make the driver statements
(:mod:`yrkesresan_adapter.storage.driver_statements`) fall back to ``Connection.execute``,
some 40-70 µs more per statement than a worker spends.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from clicks import launch_learner
from sqlalchemy import event
from tests.db_fixtures import postgres_schema_url
from tests.lti_server import SECRET, gunicorn_tool

WARM_UP = 10


def backend_cpu_ns(engine: Any) -> tuple[int, int] | None:
    """(pid, CPU nanoseconds so far) of the backend of the engine's only pooled connection;
    None when the pool holds another number of connections or the backend is not local."""
    if engine.pool.checkedin() != 1:
        return None
    with engine.connect() as connection:
        pid = int(connection.connection.dbapi_connection.info.backend_pid)
    try:
        with open(f"/proc/{pid}/schedstat") as stats:
            return pid, int(stats.read().split()[0])
    except OSError:
        return None


def main(learners: int = 50, *, faithful: bool = False) -> None:
    with (
        tempfile.TemporaryDirectory() as workdir,
        postgres_schema_url() as url,
        gunicorn_tool(Path(workdir), url, workers=1) as tool,
    ):
        launched = [launch_learner(tool, f"cpu-{i}") for i in range(learners)]
        os.environ.update(
            YRKESRESAN_DATABASE_URL=url,
            YRKESRESAN_BASE_URL=tool.base_url,
            YRKESRESAN_INSTANCE_PATH=str(Path(workdir) / "instance"),
            YRKESRESAN_SECRET_KEY=SECRET,
            YRKESRESAN_LOG_LEVEL="WARNING",
            YRKESRESAN_PRODUCTION="false",
        )
        import yrkesresan_adapter
        from yrkesresan_adapter.app import create_app
        from yrkesresan_adapter.state import AdapterState

        app = create_app()
        client = app.test_client()
        counts = {"statements": 0, "checkouts": 0}

        def count(what: str) -> Any:
            return lambda *_args: counts.__setitem__(what, counts[what] + 1)

        engine = AdapterState.of(app).services.db.engine
        if not faithful:
            event.listen(engine, "before_cursor_execute", count("statements"))
            event.listen(engine, "checkout", count("checkouts"))
        cpu: list[float] = []
        backend: tuple[int, int] | None = None
        for i, learner in enumerate(launched):
            if i == WARM_UP:
                counts.update(statements=0, checkouts=0)
                cpu.clear()
                backend = backend_cpu_ns(engine)
            for task in learner.tasks:
                form = {"lt": learner.token, "csrf_token": learner.csrf, "task": task}
                start = time.thread_time()
                answer = client.post("/pages/task/done", data=form)
                cpu.append(time.thread_time() - start)
                if answer.status_code != 303:
                    raise AssertionError(f"a click answered {answer.status_code}")
        after = backend_cpu_ns(engine)
        clicks = len(cpu)
        print(f"tree: {Path(yrkesresan_adapter.__file__).parent.parent.parent}; "
              f"load average {os.getloadavg()[0]:.1f}; {clicks} clicks")  # fmt: skip
        counted = "" if faithful else (
            f"; statements per click {counts['statements'] / clicks:.2f}, "
            f"checkouts per click {counts['checkouts'] / clicks:.2f}"
        )  # fmt: skip
        print(f"CPU per click: median {1000 * statistics.median(cpu):.2f} ms, "
              f"mean {1000 * statistics.mean(cpu):.2f} ms{counted}")  # fmt: skip
        if backend is not None and after is not None and after[0] == backend[0]:
            print(
                f"PostgreSQL backend CPU per click: {(after[1] - backend[1]) / 1e6 / clicks:.2f} ms"
            )
        else:
            print("PostgreSQL backend CPU per click: not measured (not one local backend)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:] if a != "--faithful"), faithful="--faithful" in sys.argv)
