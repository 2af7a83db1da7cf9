"""Benchmark: sustained clicks ("Markera som klar") of 50 concurrent learners, this tree
against a baseline tree (e.g. ``git archive`` of an older commit), same run.

    git archive b6d6b9a | tar -x -C /tmp/base
    PYTHONPATH=.:bench .venv/bin/python bench/clicks.py --baseline /tmp/base [--rounds 3]
        [--learners 50] [--waves 4] [--workers 4]

Each tool runs under gunicorn (sync workers) on PostgreSQL (a schema of its own, dropped
afterwards), launched over real HTTP by the simulated platform (``tests.lti_server``): every
round launches ``--learners`` × ``--waves`` new learners (untimed) on a placed course, then
``--learners`` client threads click at once, each for ``--waves`` learners one after the
other: it marks every task of its learner's course done as fast as the answers come
(``POST /pages/task/done`` with its launch and CSRF tokens; the 303 back to the course page is
not followed), then goes on with its next learner. So ``--learners`` learners click at any
moment, and a round lasts long enough (≈ 1,000 clicks by default) that the start of the
round and its tail, the last threads clicking alone, weigh little; with ``--waves 1`` (the
rounds before 2026-12-07) a round of the faster tool lasted under a second. Each click
commits the task state with its outbox entries (xAPI statements, the AGS score) in one
transaction. Rounds alternate baseline, ours, so both see the same machine load; prints
clicks/s, the latency p50/p95/p99 and the gunicorn workers' CPU per click, and the ratio of
the medians. Not a test: the figures go into docs/benchmarks.md.

The load generator shares the two cores with the tools and PostgreSQL, so its own CPU per
click pushes both tools' rates down by the same time and the ratio towards 1. By default
(``--client http``) each client thread posts with the standard library's
``http.client`` (one connection per thread, reopened when gunicorn's sync worker closes it;
the same form, the same cookies); ``--client requests`` posts through a
``requests.Session`` per learner, as the rounds before issue 17's round 23 (2026-12-07)
did (about 1 ms more of the same cores per click). Each round also prints the CPU per click
of the tool's gunicorn workers, of PostgreSQL and of the load generator, and the share of
the machine's CPU left idle (``/proc/stat``: near 0 while the two cores are the limit). A
warning follows the ratio when a PostgreSQL session has been in a transaction for over a
minute (a stray process of an interrupted run): the figures are then not comparable.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from launch import long_transactions, processes_cpu_seconds, server_cpu_seconds
from tests.db_fixtures import postgres_schema_url
from tests.lti_server import RunningTool, gunicorn_tool

from yrkesresan_lti.testing.browser import RequestsBrowser
from yrkesresan_lti.testing.claims import SimLaunch

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TASK = re.compile(r'name="task" value="([^"]+)"')


@dataclass
class Learner:
    token: str
    csrf: str
    tasks: list[str]
    session: requests.Session
    redirects: int
    """After the launch, to the course page (the baseline: 2, through ``/pages/``)."""


def launch_learner(tool: RunningTool, sub: str) -> Learner:
    """A learner's real launch of the placed course; its tokens and the course's tasks."""
    browser = RequestsBrowser()
    query = tool.simulator.start(
        browser,
        f"{tool.base_url}/lti/login",
        SimLaunch(user="learner", custom=(("yrkesresan_node", COURSE),)),
    )
    post = tool.simulator.authorize(query, tamper=lambda claims: claims.update(sub=sub))
    page = browser.session.post(post.action, data=post.fields, timeout=60)
    if page.status_code != 200:
        raise AssertionError(f"the course page answered {page.status_code}")
    # the launch answers with its first page (its GET URL in Content-Location) or, in older
    # trees such as the baseline, redirects to it
    landed = page.headers.get("Content-Location") or page.url
    token = next(v for k, v in parse_qsl(urlsplit(landed).query) if k == "lt")
    csrf = _CSRF.search(page.text)
    tasks = list(dict.fromkeys(_TASK.findall(page.text)))
    if csrf is None or not tasks:
        raise AssertionError("the course page has no task form")
    return Learner(token, csrf.group(1), tasks, browser.session, len(page.history))


@dataclass
class Round:
    clicks_per_s: float
    latencies: list[float]
    cpu_ms: float
    client_cpu_ms: float
    """The load generator's CPU per click (this process)."""
    database_cpu_ms: float
    """PostgreSQL's CPU per click: every ``postgres`` process of the machine (the tools'
    connections stay open through a round, so their backends are counted)."""
    idle: float
    """The share of the machine's CPU time left idle during the round (``/proc/stat``)."""


def idle_and_total() -> tuple[int, int]:
    """The machine's idle (with I/O wait) and total CPU time so far, in clock ticks."""
    with open("/proc/stat") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:]]
    return ticks[3] + ticks[4], sum(ticks[:8])


def postgres_cpu_seconds() -> float:
    """User + system CPU so far of every process named ``postgres`` (Linux ``/proc``)."""
    return processes_cpu_seconds(("postgres",))


def requests_clicks(url: str, learners: list[Learner]) -> list[float]:
    """One client thread's clicks through ``requests`` (a session per learner)."""
    spent = []
    for learner in learners:
        for task in learner.tasks:
            form = {"lt": learner.token, "csrf_token": learner.csrf, "task": task}
            start = time.perf_counter()
            answer = learner.session.post(url, data=form, allow_redirects=False, timeout=60)
            spent.append(time.perf_counter() - start)
            if answer.status_code != 303:
                raise AssertionError(f"a click answered {answer.status_code}")
    return spent


def http_clicks(url: str, learners: list[Learner]) -> list[float]:
    """One client thread's clicks through ``http.client``: the same form and cookies as
    :func:`requests_clicks`, each body encoded before the clock starts."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    spent = []
    try:
        for learner in learners:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            cookies = "; ".join(f"{c.name}={c.value}" for c in learner.session.cookies)
            if cookies:
                headers["Cookie"] = cookies
            bodies = [
                urlencode({"lt": learner.token, "csrf_token": learner.csrf, "task": task}).encode()
                for task in learner.tasks
            ]
            for body in bodies:
                start = time.perf_counter()
                connection.request("POST", parts.path, body, headers)
                answer = connection.getresponse()
                answer.read()
                spent.append(time.perf_counter() - start)
                if answer.status != 303:
                    raise AssertionError(f"a click answered {answer.status}")
                if answer.will_close:
                    connection.close()
    finally:
        connection.close()
    return spent


CLIENTS = {"http": http_clicks, "requests": requests_clicks}


def click_round(tool: RunningTool, clients: list[list[Learner]], client: str = "http") -> Round:
    """Each client clicks through its learners one after the other, all clients at once."""
    clicks = partial(CLIENTS[client], f"{tool.base_url}/pages/task/done")
    cpu = server_cpu_seconds(tool.process.pid)
    database = postgres_cpu_seconds()
    own = time.process_time()
    idle, total = idle_and_total()
    start = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        latencies = [s for spent in pool.map(clicks, clients) for s in spent]
    elapsed = time.perf_counter() - start
    idle_after, total_after = idle_and_total()
    idle_share = (idle_after - idle) / max(1, total_after - total)
    client_ms = 1000 * (time.process_time() - own) / len(latencies)
    cpu_ms = 1000 * (server_cpu_seconds(tool.process.pid) - cpu) / len(latencies)
    database_ms = 1000 * (postgres_cpu_seconds() - database) / len(latencies)
    return Round(len(latencies) / elapsed, latencies, cpu_ms, client_ms, database_ms, idle_share)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def migrate_from(env: dict[str, str], url: str) -> None:
    """Migrate with the baseline tree's own migrations (its schema, its triggers)."""
    code = (
        "import sys; from yrkesresan_adapter import migrations; "
        "from yrkesresan_adapter.storage.database import Database; "
        "migrations.upgrade(Database(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", code, url], env={**os.environ, **env}, check=True)


@contextmanager
def tool_from(
    tree: Path | None, workdir: Path, workers: int, *, shipped: bool = True
) -> Iterator[RunningTool]:
    """Our tool under gunicorn, from this checkout or from ``tree`` (its src and adapter
    first on the workers' ``PYTHONPATH``); with ``shipped``, gunicorn reads the tree's own
    configuration (``-c python:yrkesresan_adapter.gunicorn_conf``, as the README runs it)."""
    env = {}
    migrate = None
    if tree is not None:
        paths = [str(tree / "src"), str(tree / "adapter"), os.environ.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        migrate = partial(migrate_from, env)
    with (
        postgres_schema_url() as url,
        gunicorn_tool(
            workdir, url, workers=workers, env=env, migrate=migrate, config=shipped
        ) as tool,
    ):
        yield tool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the baseline's tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--learners", type=int, default=50, help="clicking at once")
    parser.add_argument("--waves", type=int, default=4, help="learners per client thread")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--client", choices=sorted(CLIENTS), default="http", help="the load generator's HTTP"
    )
    parser.add_argument(
        "--bare",
        action="store_true",
        help="gunicorn without the trees' shipped configuration (before issue 17's round 23)",
    )
    args = parser.parse_args()
    results: dict[str, list[Round]] = {"baseline": [], "ours": []}
    redirects: dict[str, int] = {}
    with ExitStack() as stack:
        tools = {}
        for name, tree in (("baseline", args.baseline.resolve()), ("ours", None)):
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory())) / name
            workdir.mkdir()
            tools[name] = stack.enter_context(
                tool_from(tree, workdir, args.workers, shipped=not args.bare)
            )
        for n in range(args.rounds + 1):  # round 0 warms up (imports, connections, caches)
            for name, tool in tools.items():
                with ThreadPoolExecutor(8) as pool:
                    learners = list(
                        pool.map(
                            lambda i, t=tool, r=n, k=name: launch_learner(t, f"{k}-{r}-{i}"),
                            range(args.learners * args.waves),
                        )
                    )
                redirects[name] = learners[0].redirects
                clients = [learners[i :: args.learners] for i in range(args.learners)]
                measured = click_round(tool, clients, args.client)
                if n:
                    results[name].append(measured)
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    shipped = "without" if args.bare else "with"
    print(f"gunicorn: {args.workers} sync workers, {shipped} each tree's shipped configuration, "
          f"PostgreSQL; {args.learners} learners "
          f"clicking at once, {args.waves} after another per client thread, "
          f"{len(learners[0].tasks)} tasks each; load generator {args.client}; baseline "
          f"{args.baseline}; redirects after a launch: {redirects}")  # fmt: skip
    medians = {}
    for name, rounds in results.items():
        for i, r in enumerate(rounds, 1):
            print(f"  {name:8} round {i}: {r.clicks_per_s:6.1f} clicks/s  "
                  f"p50 {1000 * percentile(r.latencies, 0.5):5.0f} ms  "
                  f"p95 {1000 * percentile(r.latencies, 0.95):5.0f} ms  "
                  f"p99 {1000 * percentile(r.latencies, 0.99):5.0f} ms  "
                  f"CPU per click: server {r.cpu_ms:5.2f} ms, PostgreSQL "
                  f"{r.database_cpu_ms:4.2f}, load generator {r.client_cpu_ms:4.2f}; "
                  f"idle {100 * r.idle:4.1f} %")  # fmt: skip
        medians[name] = statistics.median(r.clicks_per_s for r in rounds)
        everything = [s for r in rounds for s in r.latencies]
        cpu = statistics.median(r.cpu_ms for r in rounds)
        client_cpu = statistics.median(r.client_cpu_ms for r in rounds)
        database_cpu = statistics.median(r.database_cpu_ms for r in rounds)
        print(f"  {name:8} median {medians[name]:6.1f} clicks/s, "
              f"p95 {1000 * percentile(everything, 0.95):.0f} ms, "
              f"p99 {1000 * percentile(everything, 0.99):.0f} ms, CPU per click: "
              f"server {cpu:.2f} ms, PostgreSQL {database_cpu:.2f}, "
              f"load generator {client_cpu:.2f}")  # fmt: skip
    ratio = medians["ours"] / medians["baseline"]
    print(f"ratio ours : baseline {ratio:.2f}x clicks/s (target >= 2.0)")
    warning = long_transactions()
    if warning:
        print(warning)


if __name__ == "__main__":
    main()
