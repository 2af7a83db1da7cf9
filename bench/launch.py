"""Benchmark: full LTI launches per second against a trivial endpoint, same server, same run.

    .venv/bin/python bench/launch.py [--launches 300] [--requests 3000] [--concurrency 16]
                                     [--redis]

The adapter runs under gunicorn (4 sync workers) on PostgreSQL (a schema of its own,
dropped afterwards), exactly as in ``tests/concurrency``. A *launch* is what a browser does:
POST the login initiation, get the redirect to the platform, POST the id_token form to
``/lti/launch``, GET the first page with the launch token (the simulated platform signs
its RS256 id_token in this process, as the LMS would). The baseline is ``GET /healthz``
of the same app. Also counts the platform key set requests during the timed launches
(expected 0: every worker has it cached after warm-up). Not a test: record the figures in
docs/security.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.db_fixtures import REDIS_URL, postgres_schema_url
from tests.lti_server import RunningTool, gunicorn_tool


def healthz_rate(tool: RunningTool, total: int, concurrency: int) -> float:
    local = threading.local()

    def one(_: int) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        response = session.get(f"{tool.base_url}/healthz", timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"/healthz answered {response.status_code}")

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(total)))
    return total / (time.perf_counter() - start)


def launch_rate(tool: RunningTool, total: int, concurrency: int) -> float:
    roles = ("learner", "manager", "admin", "mentor")
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda n: tool.launch(roles[n % len(roles)]), range(total)))
    return total / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=300)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--redis", action="store_true", help="launch state, nonces and launches in Redis"
    )
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as workdir,
        postgres_schema_url() as url,
        gunicorn_tool(
            Path(workdir), url, workers=args.workers, redis_url=REDIS_URL if args.redis else None
        ) as tool,
    ):
        for _ in range(4 * args.workers):  # warm-up: every worker imports, connects, caches
            tool.launch()
            requests.get(f"{tool.base_url}/healthz", timeout=30)
        fetches_before = tool.key_set.hits
        cpu_0 = time.process_time()
        baseline_1 = healthz_rate(tool, args.requests // 2, args.concurrency)
        cpu_1 = time.process_time()
        launches = launch_rate(tool, args.launches, args.concurrency)
        cpu_2 = time.process_time()
        baseline_2 = healthz_rate(tool, args.requests // 2, args.concurrency)
        fetches = tool.key_set.hits - fetches_before
    baseline = (baseline_1 + baseline_2) / 2
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    stores = "PostgreSQL + Redis (state, nonces, launches)" if args.redis else "PostgreSQL"
    print(f"gunicorn: {args.workers} sync workers, {stores}, concurrency {args.concurrency}")
    print(f"baseline GET /healthz:           {baseline:8.1f} requests/s")
    print(f"full launch (login+launch+page): {launches:8.1f} launches/s ({args.launches} launches)")
    print(f"ratio launches/s : requests/s     {launches / baseline:8.3f}  (target >= 0.5)")
    print(f"key set fetches during the timed launches: {fetches} (warm-up: {fetches_before})")
    client_request = 1000 * (cpu_1 - cpu_0) / (args.requests // 2)
    client_launch = 1000 * (cpu_2 - cpu_1) / args.launches
    print(
        f"client CPU (this process, same machine): {client_request:.2f} ms per request, "
        f"{client_launch:.2f} ms per launch"
    )


if __name__ == "__main__":
    main()
