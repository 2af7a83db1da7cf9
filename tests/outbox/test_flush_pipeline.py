"""``flush`` pipelined: one batch on the wire at a time, in order, while the helper thread
records the batch before and leases the next; errors and crashes in between lose nothing,
record nothing twice, and a resend is the same bytes."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import responses
from sqlalchemy import Engine, select

from tests.conftest import FakeClock
from tests.outbox.conftest import ScriptedDeliverer
from tests.scripted_http import Answer, scripted_http
from yrkesresan_lti import wire
from yrkesresan_lti.outbox import (
    DELIVERED,
    PENDING,
    DeliveryOutcome,
    LrsDeliverer,
    Outbox,
    OutboxItem,
    OutboxWorker,
    RetryPolicy,
)
from yrkesresan_lti.outbox.events import Settled
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import LrsClient

LEASE = timedelta(minutes=10)
BATCH = 10


def body(n: int) -> bytes:
    return json.dumps({"id": f"st-{n:03d}", "n": n}).encode()


def enqueue(engine: Engine, outbox: Outbox, n: int) -> None:
    with engine.begin() as conn:
        outbox.enqueue(conn, [body(i) for i in range(n)], ["rss"])


def entries(engine: Engine, outbox: Outbox) -> list[dict[str, Any]]:
    t = outbox.tables.entries
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]


def worker(engine: Engine, outbox: Outbox, clock: FakeClock, deliverer: Any) -> OutboxWorker:
    return OutboxWorker(
        engine,
        {"rss": deliverer},
        outbox=outbox,
        lease=LEASE,
        clock=clock,
        batch_size=BATCH,
        retry=RetryPolicy.for_outbox(max_attempts=5, base_delay=60.0),
    )


class WireDeliverer(ScriptedDeliverer):
    """Signals that its 'request' is on the wire, then runs ``on_wire`` (the batch's
    number from 1 and its items) before answering."""

    def __init__(self, on_wire: Callable[[int, Sequence[OutboxItem]], None]) -> None:
        super().__init__()
        self.on_wire = on_wire
        self.in_flight = 0
        self.most_in_flight = 0

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            wire.request_sent()
            self.on_wire(len(self.batch_sizes) + 1, items)
            return super().deliver(items)
        finally:
            self.in_flight -= 1


def test_a_flush_sends_one_batch_at_a_time_in_the_order_of_the_outbox(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 35)
    lrs = WireDeliverer(lambda _n, _items: None)

    report = worker(engine, outbox, clock, lrs).flush()

    assert lrs.batch_sizes == [10, 10, 10, 5]
    assert lrs.most_in_flight == 1
    assert [i.payload for i in lrs.seen] == [body(i) for i in range(35)]
    assert (report.claimed, report.delivered) == (35, 35)
    assert {(e["status"], e["attempts"], e["claim_token"]) for e in entries(engine, outbox)} == {
        (DELIVERED, 1, None)
    }


class SettledDelivered:
    """An outbox observer: set once ``count`` entries are recorded as delivered."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.seen = 0
        self.reached = threading.Event()

    def enqueued(self, target: str, kind: str, count: int) -> None:
        return None

    def settled(self, target: str, kind: str, outcome: Settled, count: int) -> None:
        if outcome == "delivered":
            self.seen += count
            if self.seen >= self.count:
                self.reached.set()


def test_while_a_batch_is_on_the_wire_the_batch_before_is_recorded(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 30)
    first_recorded = SettledDelivered(BATCH)
    states: list[set[str]] = []

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 2:  # batch 1's outcome is written meanwhile, batch 2 still out
            assert first_recorded.reached.wait(timeout=60)
            states.append({e["status"] for e in entries(engine, outbox)[:BATCH]})

    lrs = WireDeliverer(on_wire)
    flusher = worker(engine, outbox, clock, lrs)
    flusher.events = first_recorded

    assert flusher.flush().delivered == 30
    assert states == [{DELIVERED}]


def test_a_crash_between_a_post_and_its_outcome_sends_the_same_bytes_again(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    class Crash(BaseException):
        """The process dies (nothing in the worker catches it)."""

    enqueue(engine, outbox, 30)
    sent: list[bytes] = []

    def on_wire(number: int, items: Sequence[OutboxItem]) -> None:
        sent.extend(i.payload for i in items)
        if number == 2:
            raise Crash

    with pytest.raises(Crash):
        worker(engine, outbox, clock, WireDeliverer(on_wire)).flush()
    after_crash = entries(engine, outbox)
    assert [e["status"] for e in after_crash] == [DELIVERED] * 10 + [PENDING] * 20
    assert all(e["claim_token"] for e in after_crash[10:20])  # leased: no one else sends them

    clock.advance(LEASE)  # the dead worker's lease runs out
    again = ScriptedDeliverer()
    assert worker(engine, outbox, clock, again).flush().delivered == 20

    resent = [i.payload for i in again.seen]
    assert resent[:BATCH] == sent[BATCH:]  # the batch that crashed on the wire, byte for byte
    assert resent == [body(i) for i in range(10, 30)]
    assert {e["status"] for e in entries(engine, outbox)} == {DELIVERED}


Received = Callable[[], list[bytes]]


@contextmanager
def lrs_answering(kind: str, answer: Answer) -> Iterator[tuple[str, Received]]:
    """An LRS answering each POST (index, body) with a status: its endpoint and the bodies it
    received. ``socket``: a real server (the transport signals that a body is on the wire);
    ``responses``: mocked (the body never reaches a socket: no signal)."""
    if kind == "socket":
        with scripted_http(answer) as server:
            yield server.url, lambda: server.bodies
        return
    endpoint = "https://lrs.test/xapi/"
    bodies: list[bytes] = []

    def callback(sent: Any) -> tuple[int, dict[str, str], bytes]:
        bodies.append(sent.body if isinstance(sent.body, bytes) else sent.body.encode())
        status = answer(len(bodies) - 1, bodies[-1])
        return status, {}, b"[]" if status < 300 else b'{"detail": "scripted"}'

    with responses.RequestsMock() as mocked:
        mocked.add_callback(responses.POST, endpoint + "statements", callback=callback)
        yield endpoint, lambda: bodies


@pytest.mark.parametrize("kind", ["socket", "responses"])
def test_an_lrs_error_on_a_batch_while_the_next_is_leased_loses_and_duplicates_nothing(
    engine: Engine,
    outbox: Outbox,
    clock: FakeClock,
    kind: str,
) -> None:
    enqueue(engine, outbox, 30)
    with lrs_answering(kind, lambda index, _body: 503 if index == 1 else 200) as lrs:
        endpoint, received = lrs
        target = LrsTarget(name="rss", endpoint=endpoint, batch_size=BATCH)
        with LrsClient(target, retry=RetryPolicy(max_attempts=1)) as client:
            report = worker(engine, outbox, clock, LrsDeliverer(client)).flush()

    batch = [b"[" + b",".join(body(i) for i in range(k, k + BATCH)) + b"]" for k in (0, 10, 20)]
    assert received() == batch  # in order, each once; the failed one not retried meanwhile
    assert (report.claimed, report.delivered, report.retried, report.dead) == (30, 20, 10, 0)
    rows = entries(engine, outbox)
    assert [(e["status"], e["attempts"]) for e in rows] == (
        [(DELIVERED, 1)] * 10 + [(PENDING, 1)] * 10 + [(DELIVERED, 1)] * 10
    )
    assert all("503" in (e["last_error"] or "") for e in rows[10:20])
    assert all(e["next_attempt_at"] > clock.now() for e in rows[10:20])  # after its backoff
    assert all(e["claim_token"] is None for e in rows)


# --- the production loop (``OutboxWorker.run``): a backlog goes pipelined too -----------


def test_the_production_loop_delivers_a_backlog_pipelined_in_order(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 35)
    stop = threading.Event()
    first_recorded = SettledDelivered(BATCH)
    seen_on_wire: list[tuple[set[str], set[bool]]] = []

    def on_wire(number: int, items: Sequence[OutboxItem]) -> None:
        if number == 2:  # batch 1 is recorded and batch 3 leased while batch 2 is out
            assert first_recorded.reached.wait(timeout=30)
            rows = entries(engine, outbox)  # (one transaction records and leases)
            leased = {e["claim_token"] is not None for e in rows[20:30]}
            seen_on_wire.append(({e["status"] for e in rows[:BATCH]}, leased))
        if number == 4:
            stop.set()

    lrs = WireDeliverer(on_wire)
    production = worker(engine, outbox, clock, lrs)
    production.events = first_recorded
    production.run(stop, idle_seconds=0)

    assert seen_on_wire == [({DELIVERED}, {True})]
    assert lrs.batch_sizes == [10, 10, 10, 5]
    assert lrs.most_in_flight == 1
    assert [i.payload for i in lrs.seen] == [body(i) for i in range(35)]
    assert {(e["status"], e["attempts"], e["claim_token"]) for e in entries(engine, outbox)} == {
        (DELIVERED, 1, None)
    }


def test_the_production_loop_respects_backoff_in_a_backlog(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 25)
    waiting = ScriptedDeliverer({"st-003": lambda _i: DeliveryOutcome.retry("down")})
    assert worker(engine, outbox, clock, waiting).run_once().retried == 1  # st-003 waits
    stop = threading.Event()
    lrs = WireDeliverer(lambda number, _items: stop.set() if number == 2 else None)

    worker(engine, outbox, clock, lrs).run(stop, idle_seconds=0)

    assert lrs.batch_sizes == [10, 5]  # entries 10-24; st-003 still waits for its backoff
    rows = entries(engine, outbox)
    assert [(e["status"], e["attempts"]) for e in rows if e["dedupe_id"] == "st-003"] == [
        (PENDING, 1)
    ]


def test_stopping_the_production_loop_leases_no_further_batch(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 35)
    stop = threading.Event()

    class StopOnTheWire(ScriptedDeliverer):
        def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
            stop.set()  # SIGTERM while the first batch of a backlog is being sent
            wire.request_sent()
            return super().deliver(items)

    lrs = StopOnTheWire()
    worker(engine, outbox, clock, lrs).run(stop, idle_seconds=0)

    assert lrs.batch_sizes == [10]
    rows = entries(engine, outbox)
    assert [e["status"] for e in rows] == [DELIVERED] * 10 + [PENDING] * 25
    assert all(e["claim_token"] is None for e in rows)  # nothing left leased: a new worker
    assert all(e["next_attempt_at"] <= clock.now() for e in rows[10:])  # takes them at once


def test_housekeeping_runs_before_every_batch_of_a_backlog_and_its_errors_stop_nothing(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 35)
    stop = threading.Event()
    calls: list[str] = []

    def housekeeping() -> None:
        calls.append(threading.current_thread().name)
        raise RuntimeError("retention failed")

    lrs = WireDeliverer(lambda number, _items: stop.set() if number == 4 else None)
    production = worker(engine, outbox, clock, lrs)
    production.housekeeping = housekeeping

    production.run(stop, idle_seconds=0)

    assert lrs.batch_sizes == [10, 10, 10, 5]
    assert len(calls) >= 4  # before each of the four claims
    assert {e["status"] for e in entries(engine, outbox)} == {DELIVERED}
