"""Where (b) loses against (a) in ``bench/xapi_delivery.py``: a timeline per POST.

    .venv/bin/python bench/delivery_timeline.py [--rounds 2] [--lrs ralph|waiting]

Runs (a) the raw ``requests`` loop, (b) the outbox flush with one batch in flight, (b2)
with two (the default) and (c) tincan's ``save_statements`` batch (``--variants``) in turn,
each against a fresh Ralph (or ``bench/waiting_lrs.py``, 50 ms per POST and no CPU; (c) only
against Ralph), with urllib3's (tincan: ``http.client``'s) ``request``/``getresponse`` of
every POST timed in this process, and prints per variant:
the body sizes (the same bytes?), the **gap** between answer *k* and request *k + 1* (the
client's critical path) with this thread's CPU in it, the time on the wire, the client's
CPU while a POST is on the wire (the flush's helper thread), Ralph's CPU per POST (from
``/proc/<pid>/task/*/schedstat``, every thread), how long the flush waited for its
helper's database step, and from the first POST to the last answer: the LRS's CPU against
the wall time (how busy the client kept it) and this process's CPU. With two batches in
flight the gaps overlap (negative) and per-POST figures count shared time twice. Not a
test; figures for a commit message or docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import urllib3.connection
import xapi_delivery as bench

from yrkesresan_adapter.demo.ralph import RalphServer, free_port, install
from yrkesresan_lti.outbox import lrs_deliverers
from yrkesresan_lti.outbox import worker as worker_module
from yrkesresan_lti.settings import LrsTarget

Event = tuple[str, float, float, float, int, int]  # kind, wall, thread CPU, process CPU, …
EVENTS: list[Event] = []
WAITED: list[float] = []
SERVER: list[int] = []  # the LRS's pid while one runs
FLUSHED: list[tuple[float, float]] = []  # when the flush began and ended


def server_ns() -> int:
    """CPU nanoseconds of every thread of the LRS process so far (0 without one)."""
    total = 0
    for path in glob.glob(f"/proc/{SERVER[-1]}/task/*/schedstat") if SERVER else []:
        try:
            total += int(Path(path).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total


def instrument() -> None:
    connection: Any = urllib3.connection.HTTPConnection
    request, getresponse = connection.request, connection.getresponse

    def timed_request(self: Any, method: str, url: str, body: Any = None, **kw: Any) -> Any:
        self._timeline_post = method == "POST"
        if method == "POST":
            size = len(body) if body is not None else 0
            EVENTS.append(("request", *_now(), size))
        return request(self, method, url, body=body, **kw)

    def timed_getresponse(self: Any, *args: Any, **kw: Any) -> Any:
        answer = getresponse(self, *args, **kw)
        if getattr(self, "_timeline_post", False):
            EVENTS.append(("answer", *_now(), 0))
        return answer

    connection.request, connection.getresponse = timed_request, timed_getresponse
    plain: Any = http.client.HTTPConnection  # tincan's; urllib3's subclass is timed above
    plain_request, plain_getresponse = plain.request, plain.getresponse

    def plain_timed_request(
        self: Any, method: str, url: str, body: Any = None, *a: Any, **kw: Any
    ) -> Any:
        if method == "POST" and not isinstance(self, connection):
            EVENTS.append(("request", *_now(), len(body) if body is not None else 0))
        return plain_request(self, method, url, body, *a, **kw)

    def plain_timed_getresponse(self: Any) -> Any:
        answer = plain_getresponse(self)
        if answer._method == "POST" and not isinstance(self, connection):
            EVENTS.append(("answer", *_now(), 0))
        return answer

    plain.request, plain.getresponse = plain_timed_request, plain_timed_getresponse
    result = worker_module._Step.result

    def waited_result(self: Any) -> Any:
        began = time.perf_counter()
        try:
            return result(self)
        finally:
            WAITED.append(time.perf_counter() - began)

    worker_module._Step.result = waited_result  # type: ignore[method-assign]
    flush = worker_module.OutboxWorker.flush

    def timed_flush(self: Any, progress: Any = None) -> Any:
        began = time.perf_counter()
        try:
            return flush(self, progress)
        finally:
            FLUSHED.append((began, time.perf_counter()))

    worker_module.OutboxWorker.flush = timed_flush  # type: ignore[method-assign]
    enter = RalphServer.__enter__

    def entered(self: RalphServer) -> RalphServer:
        started = enter(self)
        SERVER.append(self._process.pid if self._process is not None else 0)
        return started

    RalphServer.__enter__ = entered  # type: ignore[method-assign]


def _now() -> tuple[float, float, float, int]:
    return time.perf_counter(), time.thread_time(), time.process_time(), server_ns()


def report(name: str, seconds: float, cpu: float) -> None:
    sent = [e for e in EVENTS if e[0] == "request"]
    answered = [e for e in EVENTS if e[0] == "answer"]
    pairs = list(zip(sent, answered, strict=True))
    gaps = [sent[i + 1][1] - answered[i][1] for i in range(len(sent) - 1)]
    gap_cpu = [sent[i + 1][2] - answered[i][2] for i in range(len(sent) - 1)]
    wire = [a[1] - s[1] for s, a in pairs]
    wire_cpu = [a[3] - s[3] for s, a in pairs]
    server = [(a[4] - s[4]) / 1e9 for s, a in pairs]
    ms = 1e3
    print(f"{name}: {len(sent)} POSTs in {seconds:.3f} s, bodies {sum(e[5] for e in sent)} bytes")
    print(
        f"  gaps {sum(gaps) * ms:.1f} ms (median {statistics.median(gaps) * ms:.2f}), "
        f"this thread's CPU in them {sum(gap_cpu) * ms:.1f} ms; "
        f"waiting for the database step {sum(WAITED) * ms:.1f} ms"
    )
    print(
        f"  on the wire {sum(wire) * ms:.1f} ms (median {statistics.median(wire) * ms:.1f}), "
        f"client CPU meanwhile {sum(wire_cpu) * ms:.1f} ms, "
        f"LRS CPU {sum(server) * ms:.1f} ms (per POST {statistics.median(server) * ms:.1f})"
    )
    span = answered[-1][1] - sent[0][1]
    lrs_cpu = (answered[-1][4] - sent[0][4]) / 1e9
    print(
        f"  first POST to last answer {span * ms:.1f} ms: LRS CPU {lrs_cpu * ms:.1f} ms "
        f"({lrs_cpu / span:.0%} busy); this process's CPU in the whole run {cpu * ms:.1f} ms"
    )
    if FLUSHED:
        began, ended = FLUSHED[-1]
        print(
            f"  in the flush before the first POST {(sent[0][1] - began) * ms:.1f} ms, "
            f"after the last answer {(ended - answered[-1][1]) * ms:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--lrs", choices=["ralph", "waiting"], default="ralph")
    parser.add_argument("--variants", default="a,b,b2,c", help="of a, b, b2, c")
    args = parser.parse_args()
    chosen = args.variants.split(",")
    install()
    instrument()
    statements = bench.make_statements(args.n)
    variants: dict[str, Callable[[], tuple[float, float]]]
    server: subprocess.Popen[bytes] | None = None
    if args.lrs == "ralph":
        variants = {
            "(a) raw": lambda: bench.raw_bulk(statements),
            "(b) ours": lambda: bench.outbox_flush(statements),
            "(b2) ours x2": lambda: bench.outbox_flush_two(statements),
            "(c) tincan": lambda: bench.tincan_batches(statements),
        }
    else:
        port = free_port()
        script = Path(__file__).with_name("waiting_lrs.py")
        server = subprocess.Popen([sys.executable, str(script), str(port), "0.05"])
        SERVER.append(server.pid)
        endpoint = f"http://127.0.0.1:{port}/xapi/"
        target = LrsTarget(
            name="waiting", endpoint=endpoint, username="b", password="w", batch_size=bench.BATCH
        )
        time.sleep(1)  # the server's start
        variants = {
            "(a) raw": lambda: bench._raw_posts(endpoint, ("b", "w"), statements),
            "(b) ours": lambda: bench._flush(statements, lrs_deliverers([target])),
            "(b2) ours x2": lambda: bench._flush(statements, lrs_deliverers([target]), 2),
        }
    variants = {name: run for name, run in variants.items() if name[1 : name.index(")")] in chosen}
    try:
        for number in range(args.rounds):
            names = list(variants) if number % 2 == 0 else list(reversed(variants))
            for name in names:
                EVENTS.clear()
                WAITED.clear()
                FLUSHED.clear()
                seconds, cpu = variants[name]()
                print(f"round {number + 1}, load {os.getloadavg()[0]:.1f}")
                report(name, seconds, cpu)
    finally:
        if server is not None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
