"""Benchmark: one click's own server CPU on PostgreSQL, in-process, and its SQL statements
and pool checkouts.

    PYTHONPATH=.:bench .venv/bin/python bench/click_cpu.py [learners]
    PYTHONPATH=/tmp/base/src:/tmp/base/adapter:.:bench .venv/bin/python bench/click_cpu.py

Launches ``learners`` learners on a placed course through the real OIDC flow against the
tool under gunicorn (1 worker; untimed), then marks each learner's tasks done through the
Flask test client of an app in this process on the same database, timing each click with
``time.thread_time`` (the click's own CPU: no load generator, no scheduling of other
processes). The first 10 learners warm up. The tree on ``PYTHONPATH`` is the one measured;
run trees with the same schema alternately. Not a test: the figures go into
docs/benchmarks.md.
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


def main(learners: int = 50) -> None:
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
        event.listen(engine, "before_cursor_execute", count("statements"))
        event.listen(engine, "checkout", count("checkouts"))
        cpu: list[float] = []
        for i, learner in enumerate(launched):
            if i == WARM_UP:
                counts.update(statements=0, checkouts=0)
                cpu.clear()
            for task in learner.tasks:
                form = {"lt": learner.token, "csrf_token": learner.csrf, "task": task}
                start = time.thread_time()
                answer = client.post("/pages/task/done", data=form)
                cpu.append(time.thread_time() - start)
                if answer.status_code != 303:
                    raise AssertionError(f"a click answered {answer.status_code}")
        clicks = len(cpu)
        print(f"tree: {Path(yrkesresan_adapter.__file__).parent.parent.parent}; "
              f"load average {os.getloadavg()[0]:.1f}; {clicks} clicks")  # fmt: skip
        print(f"CPU per click: median {1000 * statistics.median(cpu):.2f} ms, "
              f"mean {1000 * statistics.mean(cpu):.2f} ms; "
              f"statements per click {counts['statements'] / clicks:.2f}, "
              f"checkouts per click {counts['checkouts'] / clicks:.2f}")  # fmt: skip


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
