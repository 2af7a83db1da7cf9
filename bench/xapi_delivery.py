"""Benchmark: xAPI delivery into Ralph, our outbox + client against two baselines.

    .venv/bin/python bench/xapi_delivery.py [--n 10000] [--tincan-sample 1000]

Each measurement gets a fresh Ralph (started by the harness; its FS backend reads the
whole store on every POST, so a shared server would penalise whoever runs last):

(a) the limit: raw ``requests`` bulk POSTs of 500 statements on one keep-alive session;
(b) ours: statements enqueued in the outbox (SQLite in WAL mode, as the adapter configures
    it; not timed), ``OutboxWorker.flush`` through ``LrsClient`` in batches of 500 (timed),
    one batch on the wire at a time (``in_flight=1``, the setting
    ``YRKESRESAN_OUTBOX_BATCHES_IN_FLIGHT=1``);
(b2) the same with two batches on the wire at once (``in_flight=2``, the default; statements
    that void one in flight wait);
(c) tincan's own batch call ``RemoteLRS.save_statements``, 500 statements per call;
(d) tincan ``RemoteLRS.save_statement`` one statement per call, on a sample, scaled;
and the outbox alone: ``flush`` to an LRS that answers at once (what (b) adds to an LRS);
and (a) against (b) once more with an LRS that only waits (``bench/waiting_lrs.py``, its own
process, 50 ms per POST and no CPU of its own): what each client adds between and around its
POSTs, a ratio that the load of the machine hardly moves.

(a), (b), (b2) and (c) run ``--rounds`` times, one after the other in a rotating order (each
goes first, second, third and last equally often), and the medians of the per-round ratios
count: the machine is shared, and a ratio within one round compares runs under the same load.
Targets (issue 17): b/a >= 0.95, b/c >= 1.5 (printed for b and b2). Not a test: run it and
record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import MetaData, create_engine, event
from tincan import RemoteLRS, Statement

from yrkesresan_adapter.demo.ralph import RalphServer, free_port, install
from yrkesresan_lti.outbox import (
    Deliverer,
    LrsDeliverer,
    Outbox,
    OutboxWorker,
    define_outbox_tables,
    lrs_deliverers,
)
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import LrsClient
from yrkesresan_lti.xapi.serialization import statement_bytes
from yrkesresan_lti.xapi.transport import Transport, TransportResponse

BATCH = 500


def make_statements(n: int) -> list[bytes]:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    registration = str(uuid.uuid4())
    return [
        statement_bytes(
            {
                "id": str(uuid.uuid4()),
                "actor": {
                    "account": {"homePage": "https://yrkesresan.se", "name": f"p-{i % 997:04d}"}
                },
                "verb": {
                    "id": "http://adlnet.gov/expapi/verbs/completed",
                    "display": {"sv": "slutförde", "en": "completed"},
                },
                "object": {
                    "id": f"https://yrkesresan.se/id/journeys/bou/courses/k{i % 40}",
                    "objectType": "Activity",
                },
                "context": {"registration": registration, "platform": "Moodle"},
                "timestamp": (start + timedelta(seconds=i)).isoformat(timespec="milliseconds"),
            }
        )
        for i in range(n)
    ]


def raw_bulk(statements: list[bytes]) -> tuple[float, float]:
    with RalphServer() as ralph:
        return _raw_posts(ralph.endpoint, (ralph.username, ralph.password), statements)


def _raw_posts(
    endpoint: str, auth: tuple[str, str], statements: list[bytes]
) -> tuple[float, float]:
    with requests.Session() as session:
        session.auth = auth
        headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
        began, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(statements), BATCH):
            body = b"[" + b",".join(statements[i : i + BATCH]) + b"]"
            answer = session.post(endpoint + "statements", data=body, headers=headers)
            answer.raise_for_status()
        return time.perf_counter() - began, time.process_time() - cpu


def outbox_flush(statements: list[bytes], in_flight: int = 1) -> tuple[float, float]:
    with RalphServer() as ralph:
        deliverers = lrs_deliverers([ralph.lrs_target(batch_size=BATCH)])
        return _flush(statements, deliverers, in_flight)


def outbox_flush_two(statements: list[bytes]) -> tuple[float, float]:
    return outbox_flush(statements, in_flight=2)


def outbox_alone(statements: list[bytes]) -> tuple[float, float]:
    """The outbox's own cost: ``flush`` through the client to an LRS that answers at once."""
    target = LrsTarget(name="instant", endpoint="http://127.0.0.1:9/xapi/", batch_size=BATCH)
    return _flush(statements, {"instant": LrsDeliverer(LrsClient(target, transport=_Instant()))})


def against_a_waiting_lrs(
    statements: list[bytes], rounds: int, wait: float = 0.05
) -> list[dict[str, float]]:
    """(a) and (b) against ``bench/waiting_lrs.py`` (alternating): seconds per variant and
    round."""
    port = free_port()
    script = Path(__file__).with_name("waiting_lrs.py")
    server = subprocess.Popen([sys.executable, str(script), str(port), str(wait)])
    try:
        endpoint = f"http://127.0.0.1:{port}/xapi/"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        auth = ("bench", "waiting")
        target = LrsTarget(
            name="waiting",
            endpoint=endpoint,
            username=auth[0],
            password=auth[1],
            batch_size=BATCH,
        )
        measures = {
            "raw": lambda: _raw_posts(endpoint, auth, statements),
            "ours": lambda: _flush(statements, lrs_deliverers([target])),
            "ours2": lambda: _flush(statements, lrs_deliverers([target]), 2),
        }
        found = []
        names = list(measures)
        for number in range(rounds):
            order = names[number % 3 :] + names[: number % 3]
            found.append({name: measures[name]()[0] for name in order})
        return found
    finally:
        server.terminate()
        server.wait()


class _Instant(Transport):
    def request(self, method: str, url: str, **_: Any) -> TransportResponse:
        return TransportResponse(200, b"[]")


def _flush(
    statements: list[bytes], deliverers: dict[str, Deliverer], in_flight: int = 1
) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        event.listen(engine, "connect", _wal)
        metadata = MetaData()
        outbox = Outbox(define_outbox_tables(metadata))
        metadata.create_all(engine)
        with engine.begin() as conn:
            outbox.enqueue(conn, statements, list(deliverers))
        worker = OutboxWorker(
            engine, deliverers, outbox=outbox, batch_size=BATCH, in_flight=in_flight
        )
        began, cpu = time.perf_counter(), time.process_time()
        report = worker.flush()
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        engine.dispose()
        if report.delivered != len(statements):
            raise SystemExit(f"outbox delivered {report.delivered} of {len(statements)}")
        return elapsed, cpu


def _wal(connection: Any, _record: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def tincan_batches(statements: list[bytes]) -> tuple[float, float]:
    """tincan's own batch call, ``RemoteLRS.save_statements`` with 500 per call: the
    statement objects are built before the clock starts; serialising them (``to_json``)
    and the HTTP are tincan's and timed."""
    objects = [Statement.from_json(s.decode()) for s in statements]
    with RalphServer() as ralph:
        lrs = RemoteLRS(
            endpoint=ralph.endpoint,
            version="1.0.3",
            username=ralph.username,
            password=ralph.password,
        )
        began, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(objects), BATCH):
            if not lrs.save_statements(objects[i : i + BATCH]).success:
                raise SystemExit("tincan: Ralph refused a batch")
        return time.perf_counter() - began, time.process_time() - cpu


def tincan_one_by_one(statements: list[bytes]) -> tuple[float, float]:
    objects = [Statement.from_json(s.decode()) for s in statements]
    with RalphServer() as ralph:
        lrs = RemoteLRS(
            endpoint=ralph.endpoint,
            version="1.0.3",
            username=ralph.username,
            password=ralph.password,
        )
        began, cpu = time.perf_counter(), time.process_time()
        for statement in objects:
            if not lrs.save_statement(statement).success:
                raise SystemExit("tincan: Ralph refused a statement")
        return time.perf_counter() - began, time.process_time() - cpu


MEASURES: dict[str, Callable[[list[bytes]], tuple[float, float]]] = {
    "raw": raw_bulk,
    "ours": outbox_flush,
    "ours2": outbox_flush_two,
    "tincan": tincan_batches,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--tincan-sample", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--waiting-rounds", type=int, default=6)
    args = parser.parse_args()
    install()
    statements = make_statements(args.n)
    sample = statements[: args.tincan_sample]
    loads = [os.getloadavg()[0]]

    rounds: list[dict[str, float]] = []
    cpus: list[dict[str, float]] = []  # this process's CPU seconds (the client's, not Ralph's)
    names = list(MEASURES)
    for number in range(args.rounds):
        order = names[number % 4 :] + names[: number % 4]  # each goes first, ..., last
        timed = {name: MEASURES[name](statements) for name in order}
        rates = {name: args.n / elapsed for name, (elapsed, _) in timed.items()}
        rounds.append(rates)
        cpus.append({name: cpu for name, (_, cpu) in timed.items()})
        loads.append(os.getloadavg()[0])
        print(
            f"round {number + 1} ({', '.join(order)}): raw {rates['raw']:.0f}/s, "
            f"ours {rates['ours']:.0f}/s, ours x2 {rates['ours2']:.0f}/s, "
            f"tincan batch {rates['tincan']:.0f}/s",
            flush=True,
        )
    c = len(sample) / tincan_one_by_one(sample)[0]
    alone = [outbox_alone(statements) for _ in range(3)]
    waiting = [  # statements/s
        {name: args.n / seconds for name, seconds in found.items()}
        for found in against_a_waiting_lrs(statements, args.waiting_rounds)
    ]
    median = {name: statistics.median(r[name] for r in rounds) for name in names}
    to_raw = statistics.median(r["ours"] / r["raw"] for r in rounds)
    to_tincan = statistics.median(r["ours"] / r["tincan"] for r in rounds)
    two_raw = statistics.median(r["ours2"] / r["raw"] for r in rounds)
    two_tincan = statistics.median(r["ours2"] / r["tincan"] for r in rounds)

    print(f"xAPI delivery into Ralph 5.1 (FS backend), {args.n} statements, batches of {BATCH}")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"load average (1 min) during the run: {min(loads):.1f} to {max(loads):.1f}")
    print(f"medians of {args.rounds} rounds (each a fresh Ralph, order rotating):")
    print(f"(a) raw requests bulk POST, keep-alive  {median['raw']:8.0f} statements/s")
    print(f"(b) outbox flush -> LrsClient, 1 batch  {median['ours']:8.0f} statements/s")
    print(f"(b2) the same, 2 batches (the default)  {median['ours2']:8.0f} statements/s")
    print(f"(c) tincan save_statements x{BATCH}        {median['tincan']:8.0f} statements/s")
    print(f"(d) tincan save_statement one by one    {c:8.0f} statements/s (sample {len(sample)})")
    cpu = {name: statistics.median(r[name] for r in cpus) for name in names}
    print(
        f"client CPU per {args.n} statements (median): raw {cpu['raw']:.2f} s, "
        f"ours {cpu['ours']:.2f} s (SQLite included), ours x2 {cpu['ours2']:.2f} s, "
        f"tincan batch {cpu['tincan']:.2f} s"
    )
    wall, own = (statistics.median(a[i] for a in alone) for i in (0, 1))
    print(
        f"the outbox alone (flush to an LRS answering at once, median of 3): "
        f"{wall:.2f} s, CPU {own:.2f} s per {args.n} statements"
    )
    print(
        f"against an LRS that only waits 50 ms per POST (median of {len(waiting)}): "
        f"raw {statistics.median(w['raw'] for w in waiting):.0f}/s, "
        f"ours {statistics.median(w['ours'] for w in waiting):.0f}/s, "
        f"ours x2 {statistics.median(w['ours2'] for w in waiting):.0f}/s; "
        f"b/a = {statistics.median(w['ours'] / w['raw'] for w in waiting):.3f} "
        f"(per round: {_each(waiting, 'raw', 3)}), "
        f"b2/a = {statistics.median(w['ours2'] / w['raw'] for w in waiting):.3f} "
        f"(per round: {_each(waiting, 'raw', 3, 'ours2')})"
    )
    print("ratios: median of the per-round ratios (same round, same load)")
    print(f"b/a = {to_raw:.2f}  (target >= 0.95; per round: {_each(rounds, 'raw')})")
    print(f"b/c = {to_tincan:.2f}  (target >= 1.5; per round: {_each(rounds, 'tincan')})")
    print(f"b2/a = {two_raw:.2f}  (per round: {_each(rounds, 'raw', 2, 'ours2')})")
    print(f"b2/c = {two_tincan:.2f}  (per round: {_each(rounds, 'tincan', 2, 'ours2')})")
    print(f"b/d = {median['ours'] / c:.0f}")


def _each(
    rounds: list[dict[str, float]], baseline: str, digits: int = 2, ours: str = "ours"
) -> str:
    return " ".join(f"{r[ours] / r[baseline]:.{digits}f}" for r in rounds)


if __name__ == "__main__":
    main()
