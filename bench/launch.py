"""Benchmark: full LTI launches per second, ours against a pylti1p3next peer, same run.

    PYTHONPATH=.:bench .venv/bin/python bench/launch.py [--launches 150] [--rounds 3]
        [--concurrency 8] [--workers 4 2] [--databases sqlite postgresql] [--roles learner]
        [--tree /tmp/base] [--split]

A *launch* is what a browser does: POST the login initiation, follow the redirect to the
platform (the simulated platform in this process signs its RS256 id_token, as the LMS
would), POST the id_token form to the tool's launch URL and follow **every** redirect to
the first real page a learner sees (a 200 with the page; ours serves it in the launch's
answer, naming its GET URL in ``Content-Location``). Our tool runs under gunicorn
(sync workers) on SQLite (WAL) or PostgreSQL (a schema of its own, dropped afterwards), as
in ``tests/concurrency``; the baseline is a minimal pylti1p3next Flask tool written like
pylti1p3's own example (``bench/peer_pylti1p3``: tool configuration built once, the key set
cached with ``set_public_key_caching``, launch cache shared by the workers in Redis), under
the same gunicorn options. Ours runs as the README runs it, with the gunicorn configuration
we ship (``-c python:yrkesresan_adapter.gunicorn_conf``), and the peer with the same
garbage-collection hook (``bench/peer_pylti1p3/gunicorn_conf.py``: ``gc.freeze`` once a
worker has loaded its app); ``--bare`` starts both without configuration files, as the
rounds before issue 17's round 23 (2026-12-07) did. Both run at the same time and are
measured in alternating rounds (the machine's load changes; the ratio is the median of the
rounds' ratios). Also prints each launch's latency as the browser sees it (p50, p90, p99 and
the longest over all rounds), the gunicorn workers' CPU per launch (``/proc``), the CPU of
the stores in the same rounds (every ``redis-server`` and ``postgres`` process: the peer's
launch cache, ours on PostgreSQL; on SQLite ours does that work in its workers) and the
platform key set requests during the timed launches (must be 0). With ``--split`` both
tools also run gunicorn's ``pre_request``/``post_request`` hooks of ``bench/request_cpu.py``
(added to each one's own configuration) and it prints each kind of request's CPU in the
workers and what the workers spent outside their requests (accepting, parsing, the worker
loop), per launch: where a difference in CPU per launch lies. Not a test: the figures go
into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import request_cpu
from peer_pylti1p3.server import BENCH, gunicorn_peer
from tests.db_fixtures import POSTGRES_URL, REDIS_URL, postgres_schema_url
from tests.lti_server import KeySetServer, gunicorn_tool

from yrkesresan_lti.testing.browser import RequestsBrowser
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator


@dataclass
class Target:
    """One running tool as the load generator sees it."""

    name: str
    base_url: str
    simulator: PlatformSimulator
    key_set: KeySetServer
    master_pid: int
    pages: dict[str, int] = field(default_factory=dict)
    """Path of the first real page → how many launches ended there (with the redirects)."""

    def launch(self, role: str) -> float:
        """One launch; its seconds from the login's POST to the first page's answer."""
        started = time.perf_counter()
        browser = RequestsBrowser()
        query = self.simulator.start(browser, f"{self.base_url}/lti/login", SimLaunch(user=role))
        post = self.simulator.authorize(query)
        page = browser.session.post(post.action, data=post.fields, timeout=60)  # follows all
        if page.status_code != 200 or "<main" not in page.text:
            raise AssertionError(f"{self.name}: the first page answered {page.status_code}")
        served = page.headers.get("Content-Location")  # a page served in the POST's answer
        where = f"{urlsplit(page.url).path} after {len(page.history)} redirect(s)" + (
            f", the page of {urlsplit(served).path}" if served else ""
        )
        self.pages[where] = self.pages.get(where, 0) + 1
        return time.perf_counter() - started


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of gunicorn's worker processes so far (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


STORES = ("postgres", "redis-server")
"""The stores' processes: the peer's launch cache (Redis) and ours on PostgreSQL. A tool on
SQLite does that work in its own workers, so their CPU counts it already."""


def processes_cpu_seconds(names: tuple[str, ...]) -> float:
    """User + system CPU so far of every process of this machine named one of ``names``
    (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, rest = text.split(" (", 1)[1].rsplit(")", 1)
        if name in names:
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def long_transactions() -> str | None:
    """A warning when a PostgreSQL session has been in one transaction for over a minute,
    else None. While it lasts PostgreSQL prunes no row version that session might still
    see: every UPDATE leaves its old versions in the tables and indexes, and a tool's CPU
    per request grows through the run (issue 17, round 25: the open transaction of a stray
    worker left by an interrupted run doubled PostgreSQL's CPU per click of ours)."""
    with psycopg.connect(POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")) as db:
        count, oldest = db.execute(
            "SELECT count(*), coalesce(extract(epoch FROM max(now() - xact_start)), 0) "
            "FROM pg_stat_activity WHERE xact_start < now() - interval '1 minute' "
            "AND pid <> pg_backend_pid()"
        ).fetchone() or (0, 0)
    if not count:
        return None
    return (
        f"WARNING: {count} PostgreSQL session(s) in a transaction for over a minute (the "
        f"oldest {float(oldest):.0f} s): dead rows are not pruned meanwhile, so the "
        "figures on PostgreSQL are not comparable; end those sessions and run again"
    )


@dataclass
class Round:
    rate: float
    cpu_ms: float
    store_ms: float
    """The stores' CPU per launch (:data:`STORES`) in the same round."""
    latencies_ms: list[float] = field(default_factory=list)
    """Each launch's time as the browser sees it (the login's POST to the first page)."""
    window: tuple[int, int] = (0, 0)
    """Monotonic ns at the round's start and end (``--split``: its requests)."""


def timed_launches(target: Target, total: int, concurrency: int, roles: list[str]) -> Round:
    cpu = server_cpu_seconds(target.master_pid)
    stores = processes_cpu_seconds(STORES)
    began = time.monotonic_ns()
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        seconds = list(pool.map(lambda n: target.launch(roles[n % len(roles)]), range(total)))
    elapsed = time.perf_counter() - start
    return Round(
        total / elapsed,
        1000 * (server_cpu_seconds(target.master_pid) - cpu) / total,
        1000 * (processes_cpu_seconds(STORES) - stores) / total,
        [1000 * each for each in seconds],
        (began, time.monotonic_ns()),
    )


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@contextmanager
def database_url(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


def warm_up(target: Target, workers: int, concurrency: int, roles: list[str]) -> None:
    """Concurrent launches until every worker has imported, connected and cached the key
    set (or ten tries)."""
    for _ in range(10):
        timed_launches(target, 4 * workers, concurrency, roles)
        if target.key_set.hits >= workers:
            break


def compare(args: argparse.Namespace, workers: int, kind: str) -> None:
    with tempfile.TemporaryDirectory() as dumps, ExitStack() as stack:
        cpu = Path(dumps)  # the workers' requests (--split), kept after the tools stopped
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(database_url(kind, workdir))
        env = {}
        if args.tree is not None:  # "ours" from another checkout, e.g. an older commit
            tree = args.tree.resolve()
            env["PYTHONPATH"] = os.pathsep.join((str(tree / "src"), str(tree / "adapter")))
        shipped = not args.bare
        redis = REDIS_URL if args.redis else None
        if redis:  # rate-limit counters per worker, as without Redis (the peer has none)
            env["YRKESRESAN_RATE_LIMITS__STORAGE_URL"] = "memory://"
        ours_options: list[str] = []
        peer_env: dict[str, str] = {}
        peer_options: list[str] = []
        if args.split:  # each tool's own configuration plus the request-CPU hooks
            paths = env.get("PYTHONPATH", os.environ.get("PYTHONPATH", "")).split(os.pathsep)
            env["PYTHONPATH"] = os.pathsep.join([*filter(None, paths), str(BENCH)])
            env[request_cpu.DIRECTORY] = str(cpu / "ours")
            peer_env[request_cpu.DIRECTORY] = str(cpu / "peer")
            ours_options = ["-c", "python:request_cpu_ours"]
            peer_options = ["-c", "python:peer_pylti1p3.request_cpu_conf"]
            for name in ("ours", "peer"):
                (cpu / name).mkdir()
        tool = stack.enter_context(
            gunicorn_tool(
                workdir, url, workers=workers, env=env, config=shipped, redis_url=redis,
                options=ours_options,
            )
        )  # fmt: skip
        peer = stack.enter_context(
            gunicorn_peer(
                workdir, workers=workers, config=shipped, env=peer_env, options=peer_options
            )
        )
        ours = Target("ours", tool.base_url, tool.simulator, tool.key_set, tool.process.pid)
        theirs = Target("peer", peer.base_url, peer.simulator, peer.key_set, peer.process.pid)
        for target in (theirs, ours):
            warm_up(target, workers, args.concurrency, args.roles)
            target.pages.clear()
        hits = {t.name: t.key_set.hits for t in (theirs, ours)}
        rounds: list[tuple[Round, Round]] = []
        for _ in range(args.rounds):  # alternating, so both see the same machine load
            peer_round = timed_launches(theirs, args.launches, args.concurrency, args.roles)
            our_round = timed_launches(ours, args.launches, args.concurrency, args.roles)
            rounds.append((peer_round, our_round))
        fetches = {t.name: t.key_set.hits - hits[t.name] for t in (theirs, ours)}
        stack.close()  # stops the tools: the workers write their requests' CPU as they exit
        splits = (
            {
                name: request_cpu.split(cpu / name, [r[side].window for r in rounds])
                for name, side in (("peer", 0), ("ours", 1))
            }
            if args.split
            else {}
        )
    n = args.launches * args.rounds
    where = f"{kind} and Redis" if args.redis else kind
    print(f"\n== {workers} sync workers, ours on {where}; {args.rounds} alternating rounds of "
          f"{args.launches} launches each, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for i, (p, o) in enumerate(rounds, 1):
        print(f"  round {i}: peer {p.rate:6.1f}/s {p.cpu_ms:5.2f} ms CPU (+{p.store_ms:4.2f} "
              f"stores)   ours {o.rate:6.1f}/s {o.cpu_ms:5.2f} ms CPU (+{o.store_ms:4.2f} "
              f"stores)   ratio {o.rate / p.rate:.2f}")  # fmt: skip
    median: Callable[[list[float]], float] = statistics.median
    for name, side in (("peer", 0), ("ours", 1)):
        print(f"  {name:5} {median([r[side].rate for r in rounds]):7.1f} launches/s  "
              f"{median([r[side].cpu_ms for r in rounds]):5.2f} ms server CPU per launch "
              f"(+{median([r[side].store_ms for r in rounds]):4.2f} ms its stores: "
              f"{', '.join(STORES)})  "
              f"key set fetches per launch {fetches[name] / n:.2f}")  # fmt: skip
    for name, side in (("peer", 0), ("ours", 1)):
        waits = [ms for r in rounds for ms in r[side].latencies_ms]
        print(f"  {name:5} latency per launch (all rounds) p50 {percentile(waits, 0.5):5.1f} ms  "
              f"p90 {percentile(waits, 0.9):5.1f}  p99 {percentile(waits, 0.99):5.1f}  "
              f"max {max(waits):5.1f}")  # fmt: skip
    ratio = median([o.rate / p.rate for p, o in rounds])
    cpu = median([o.cpu_ms / p.cpu_ms for p, o in rounds])
    with_stores = median([(o.cpu_ms + o.store_ms) / (p.cpu_ms + p.store_ms) for p, o in rounds])
    print(f"  ratio ours : peer  {ratio:.2f}x launches/s (target >= 1.0), "
          f"{cpu:.2f}x server CPU per launch (target <= 1.0); with the stores' CPU "
          f"{with_stores:.2f}x")  # fmt: skip
    for target in (theirs, ours):
        print(f"  {target.name} first page: " + ", ".join(
            f"{where} ({count})" for where, count in target.pages.items()))  # fmt: skip
    for name, side in (("peer", 0), ("ours", 1)) if splits else ():
        paths = splits[name]
        in_requests = sum(count * ms for count, ms in paths.values()) / n
        outside = sum(r[side].cpu_ms for r in rounds) / len(rounds) - in_requests
        print(f"  {name:5} CPU per request in its workers: " + ", ".join(
            f"{path} {ms:.3f} ms ({count})" for path, (count, ms) in sorted(paths.items()))
            + f"; outside the requests {outside:.3f} ms per launch")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=150, help="per round and tool")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[4, 2])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--roles", nargs="+", default=["learner"])
    parser.add_argument(
        "--tree", type=Path, help="run our tool from this tree (git archive of a commit)"
    )
    parser.add_argument(
        "--redis",
        action="store_true",
        help="ours keeps launch state, nonces and stored launches in Redis, as the peer does",
    )
    parser.add_argument(
        "--split",
        action="store_true",
        help="also print each request's CPU in the workers, by path (bench/request_cpu.py)",
    )
    parser.add_argument(
        "--bare",
        action="store_true",
        help="gunicorn without configuration files (the rounds before issue 17's round 23)",
    )
    args = parser.parse_args()
    if args.split and args.bare:
        parser.error("--split adds hooks to each tool's configuration: not with --bare")
    configured = (
        "without configuration files"
        if args.bare
        else "ours with its shipped configuration, the peer with the same gc hook"
    )
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; client "
          f"concurrency {args.concurrency}, roles {', '.join(args.roles)}; gunicorn "
          f"{configured}")  # fmt: skip
    for workers in args.workers:
        for kind in args.databases:
            compare(args, workers, kind)
            warning = long_transactions() if kind == "postgresql" else None
            if warning:
                print(warning)


if __name__ == "__main__":
    main()
