"""Benchmark: the Python of a click's xAPI statements, without a database.

    .venv/bin/python bench/click_statements.py [tree]

Per click: *completed* and *progressed* (and *passed* on every other click) built by the
:class:`StatementFactory` of the test catalog, serialized with ``statement_bytes`` and read
by the statistics ledger (``event_of``), for 50 learners; the best of 7 passes of 500
clicks, in ``time.thread_time``. ``tree``: a checkout whose ``src`` and ``adapter`` are
measured (default: this one; run trees alternately). Not a test: the figures go into
docs/benchmarks.md.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
BASE = "https://test.yrkesresan.se/id/"
COURSE = f"{BASE}journeys/barn-och-unga/courses/samtal-med-barn"
PREPARATION = f"{COURSE}/preparation"
TASK = f"{PREPARATION}/tasks/las-handboken"


def main(tree: Path = HERE) -> None:
    sys.path[:0] = [str(tree / "src"), str(tree / "adapter")]
    catalogs = importlib.import_module("yrkesresan_lti.catalog")
    factories = importlib.import_module("yrkesresan_lti.xapi.factory")
    learners = importlib.import_module("yrkesresan_lti.xapi.learner")
    pseudonyms = importlib.import_module("yrkesresan_lti.xapi.pseudonym")
    serialization = importlib.import_module("yrkesresan_lti.xapi.serialization")
    events = importlib.import_module("yrkesresan_adapter.stats.events")
    catalog = catalogs.load_catalog(HERE / "tests/xapi/catalog.yaml")
    factory = factories.StatementFactory(catalog, pseudonyms.Pseudonymizer("k" * 32))
    goal = next(iter(catalog.node(TASK).goal_iris))
    people = [
        learners.Learner(
            issuer="https://moodle.exempel.se",
            sub=f"learner-{i}",
            client_id="client",
            deployment_id="deployment",
            platform_name="Exempel kommun",
        )
        for i in range(50)
    ]

    def click(learner: Any, passed: bool) -> None:
        statements = [
            factory.task_completed(learner, TASK),
            factory.progress_changed(learner, PREPARATION, 40),
        ]
        if passed:
            statements.append(factory.goal_reached(learner, goal))
        for statement in statements:
            serialization.statement_bytes(statement)
            events.event_of(statement)

    best = float("inf")
    for _ in range(7):
        start = time.thread_time()
        for i in range(10):
            for learner in people:
                click(learner, i % 2 == 1)
        best = min(best, (time.thread_time() - start) / (10 * len(people)))
    print(f"tree {tree}: {best * 1e6:.0f} µs per click (2.5 statements built, serialized, read)")


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:]))
