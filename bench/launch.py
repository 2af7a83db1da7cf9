"""Benchmark: full LTI launches per second against a trivial endpoint, same server, same run.

    .venv/bin/python bench/launch.py [--launches 300] [--requests 3000] [--rounds 5]
                                     [--concurrency 8] [--redis]

The adapter runs under gunicorn (4 sync workers) on PostgreSQL (a schema of its own,
dropped afterwards), exactly as in ``tests/concurrency``. A *launch* is what a browser does:
POST the login initiation, get the redirect to the platform, POST the id_token form to
``/lti/launch``, GET the first page with the launch token (the simulated platform signs
its RS256 id_token in this process, as the LMS would). The baseline is ``GET /healthz``
of the same app. Both are measured in the same run, in interleaved rounds (the machine's load
changes; the ratio is the median of the rounds' ratios). Also reports the CPU time of this
client process and of the gunicorn workers per request and per launch (the client shares
the machine: it must not be the bottleneck), and counts the platform key set requests
during the timed launches (expected 0: every worker has it cached after warm-up). Not a
test: record the figures in docs/security.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of gunicorn's worker processes so far (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


@dataclass
class Totals:
    """CPU seconds spent by this process (the client) and by the workers, per kind."""

    client: dict[str, float] = field(default_factory=lambda: {"healthz": 0.0, "launch": 0.0})
    server: dict[str, float] = field(default_factory=lambda: {"healthz": 0.0, "launch": 0.0})

    def measure(self, kind: str, tool: RunningTool, run: Callable[[], float]) -> float:
        client, server = time.process_time(), server_cpu_seconds(tool.process.pid)
        rate = run()
        self.client[kind] += time.process_time() - client
        self.server[kind] += server_cpu_seconds(tool.process.pid) - server
        return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=300)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--redis", action="store_true", help="launch state, nonces and launches in Redis"
    )
    args = parser.parse_args()
    per_round_launches = args.launches // args.rounds
    per_round_requests = args.requests // args.rounds

    with (
        tempfile.TemporaryDirectory() as workdir,
        postgres_schema_url() as url,
        gunicorn_tool(
            Path(workdir), url, workers=args.workers, redis_url=REDIS_URL if args.redis else None
        ) as tool,
    ):
        for _ in range(10):  # warm-up, concurrent so that every worker imports, connects and
            healthz_rate(tool, 8 * args.workers, args.concurrency)  # fetches the key set once
            launch_rate(tool, 4 * args.workers, args.concurrency)
            if tool.key_set.hits >= args.workers:
                break
        fetches_before = tool.key_set.hits
        totals = Totals()
        rounds: list[tuple[float, float]] = []
        for _ in range(args.rounds):  # interleaved, so both see the same machine load
            healthz = totals.measure(
                "healthz", tool, lambda: healthz_rate(tool, per_round_requests, args.concurrency)
            )
            launches = totals.measure(
                "launch", tool, lambda: launch_rate(tool, per_round_launches, args.concurrency)
            )
            rounds.append((healthz, launches))
        fetches = tool.key_set.hits - fetches_before
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    stores = "PostgreSQL + Redis (state, nonces, launches)" if args.redis else "PostgreSQL"
    print(f"gunicorn: {args.workers} sync workers, {stores}, client concurrency {args.concurrency}")
    print(f"{args.rounds} interleaved rounds of {per_round_requests} GET /healthz and "
          f"{per_round_launches} full launches (login + launch + first page):")  # fmt: skip
    for n, (healthz, launches) in enumerate(rounds, 1):
        print(f"  round {n}: {healthz:7.1f} requests/s  {launches:6.1f} launches/s  "
              f"ratio {launches / healthz:.3f}")  # fmt: skip
    healthz = statistics.median(h for h, _ in rounds)
    launches = statistics.median(lo for _, lo in rounds)
    ratio = statistics.median(lo / h for h, lo in rounds)
    print(f"median GET /healthz:             {healthz:8.1f} requests/s")
    print(f"median full launch:              {launches:8.1f} launches/s")
    print(f"median ratio launches/s : requests/s {ratio:6.3f}  (target >= 0.5)")
    print(f"key set fetches during the timed launches: {fetches} (warm-up: {fetches_before})")
    n_requests, n_launches = per_round_requests * args.rounds, per_round_launches * args.rounds
    for side, spent in (
        ("client (this process)", totals.client),
        ("server (workers)", totals.server),
    ):
        print(f"{side} CPU: {1000 * spent['healthz'] / n_requests:.2f} ms per /healthz, "
              f"{1000 * spent['launch'] / n_launches:.2f} ms per launch")  # fmt: skip


if __name__ == "__main__":
    main()
