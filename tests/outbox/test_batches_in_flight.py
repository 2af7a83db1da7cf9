"""``in_flight=2``: a second batch on the wire while one is, only where order allows it.

A deliverer that is not a :class:`ConcurrentDeliverer` (AGS scores: a score must reach the
platform after the one before for the same line item and user) gets one batch at a time;
an LRS gets the next batch at once unless it voids (or resends) a statement still in
flight. Failures, dead letters, leases and crashes behave as with one batch in flight."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.conftest import FakeClock
from tests.outbox.conftest import ScriptedDeliverer
from tests.scripted_http import WatchedSession, scripted_http
from yrkesresan_lti import wire
from yrkesresan_lti.lti.advantage.ags_outbox import AgsScoreDeliverer
from yrkesresan_lti.outbox import (
    DEAD,
    DELIVERED,
    PENDING,
    DeliveryOutcome,
    LrsDeliverer,
    Outbox,
    OutboxItem,
    OutboxWorker,
    RetryPolicy,
)
from yrkesresan_lti.outbox.deliverer import ConcurrentDeliverer
from yrkesresan_lti.settings import LrsTarget, Settings
from yrkesresan_lti.xapi.client import LrsClient
from yrkesresan_lti.xapi.transport import RequestsTransport

LEASE = timedelta(minutes=10)
BATCH = 10
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
NEVER = 0.5  # how long a batch on the wire gives a batch that must wait the chance to start


def body(n: int) -> bytes:
    return json.dumps({"id": f"st-{n:03d}", "n": n}).encode()


def voiding(n: int, target: int) -> bytes:
    statement = {
        "id": f"st-{n:03d}",
        "verb": {"id": VOIDED},
        "object": {"objectType": "StatementRef", "id": f"st-{target:03d}"},
    }
    return json.dumps(statement).encode()


def enqueue(engine: Engine, outbox: Outbox, payloads: list[bytes]) -> None:
    with engine.begin() as conn:
        outbox.enqueue(conn, payloads, ["rss"])


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
        in_flight=2,
    )


class Gated(ScriptedDeliverer):
    """Signals its 'request' on the wire, then runs ``on_wire(batch number from 1, items)``;
    counts batches in flight. Not a concurrent deliverer."""

    def __init__(
        self,
        on_wire: Callable[[int, Sequence[OutboxItem]], None],
        script: dict[str, Callable[[OutboxItem], DeliveryOutcome]] | None = None,
    ) -> None:
        super().__init__(script)
        self.on_wire = on_wire
        self.started: dict[int, threading.Event] = {n: threading.Event() for n in range(1, 9)}
        self.in_flight = 0
        self.most_in_flight = 0
        self.count = 0
        self.gate = threading.Lock()

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        with self.gate:
            self.count += 1
            number = self.count
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self.started[number].set()
            wire.request_sent()
            self.on_wire(number, items)
            return super().deliver(items)
        finally:
            with self.gate:
                self.in_flight -= 1


class Concurrent(Gated):
    """The same, as a concurrent deliverer whose batches are always independent."""

    def independent(self, earlier: Sequence[OutboxItem], later: Sequence[OutboxItem]) -> bool:
        return True


def test_a_concurrent_deliverer_gets_the_next_batch_while_one_is_on_the_wire(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, [body(i) for i in range(30)])
    overlapped: list[bool] = []

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 1:  # batch 2 goes out before batch 1 is answered
            overlapped.append(lrs.started[2].wait(timeout=30))

    lrs = Concurrent(on_wire)
    report = worker(engine, outbox, clock, lrs).flush()

    assert overlapped == [True]
    assert lrs.most_in_flight == 2
    assert (report.claimed, report.delivered) == (30, 30)
    assert sorted(i.payload for i in lrs.seen) == sorted(body(i) for i in range(30))
    assert {(e["status"], e["attempts"], e["claim_token"]) for e in entries(engine, outbox)} == {
        (DELIVERED, 1, None)
    }


@pytest.mark.parametrize("in_flight", [None, 1])
def test_two_batches_fly_by_default_and_one_at_a_time_when_set_to_one(
    engine: Engine, outbox: Outbox, clock: FakeClock, in_flight: int | None
) -> None:
    enqueue(engine, outbox, [body(i) for i in range(30)])
    overlapped: list[bool] = []

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 1:
            overlapped.append(lrs.started[2].wait(timeout=30 if in_flight is None else NEVER))

    lrs = Concurrent(on_wire)
    chosen = {} if in_flight is None else {"in_flight": in_flight}
    flusher = OutboxWorker(
        engine, {"rss": lrs}, outbox=outbox, lease=LEASE, clock=clock, batch_size=BATCH, **chosen
    )
    report = flusher.flush()

    assert flusher.in_flight == (in_flight or 2)
    assert overlapped == [in_flight is None]
    assert lrs.most_in_flight == (in_flight or 2)
    if in_flight == 1:
        assert [i.payload for i in lrs.seen] == [body(i) for i in range(30)]
    assert (report.claimed, report.delivered) == (30, 30)


def test_a_deliverer_that_is_not_concurrent_gets_one_batch_at_a_time_in_order(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    # AGS scores: the platform answers 409 to a score not later than the last one.
    assert not issubclass(AgsScoreDeliverer, ConcurrentDeliverer)
    enqueue(engine, outbox, [body(i) for i in range(30)])
    overlapped: list[bool] = []

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 1:
            overlapped.append(lrs.started[2].wait(timeout=NEVER))

    lrs = Gated(on_wire)
    report = worker(engine, outbox, clock, lrs).flush()

    assert overlapped == [False]
    assert lrs.most_in_flight == 1
    assert [i.payload for i in lrs.seen] == [body(i) for i in range(30)]
    assert report.delivered == 30


def test_the_leases_of_both_batches_in_flight_are_held_and_renewed(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, [body(i) for i in range(20)])
    seen: list[tuple[int, int]] = []

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 1:
            assert lrs.started[2].wait(timeout=30)
            assert both_out.wait(timeout=30)
        if number == 2:
            rows = entries(engine, outbox)
            seen.append((len({e["claim_token"] for e in rows}), flusher.leases.renew()))
            both_out.set()

    both_out = threading.Event()
    lrs = Concurrent(on_wire)
    flusher = worker(engine, outbox, clock, lrs)
    flusher.flush()

    assert seen == [(2, 20)]  # two claims, and the heartbeat renews all 20 entries
    assert all(e["claim_token"] is None for e in entries(engine, outbox))


def test_a_failed_batch_while_another_is_in_flight_is_retried_later_with_the_same_bytes(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, [body(i) for i in range(20)])
    second_arrived = threading.Event()

    def answer(index: int, _body: bytes) -> int:
        if index == 1:
            second_arrived.set()
            return 200
        if index == 0:  # answered only once the second batch is on the wire too
            assert second_arrived.wait(timeout=30)
            return 503
        return 200

    batches = [b"[" + b",".join(body(i) for i in range(k, k + BATCH)) + b"]" for k in (0, 10)]
    with scripted_http(answer) as server:
        target = LrsTarget(name="rss", endpoint=server.url, batch_size=BATCH)
        with LrsClient(target, retry=RetryPolicy(max_attempts=1)) as client:
            report = worker(engine, outbox, clock, LrsDeliverer(client)).flush()
            rows = entries(engine, outbox)
            clock.advance(timedelta(hours=2))
            again = worker(engine, outbox, clock, LrsDeliverer(client)).flush()
        received = server.bodies

    assert (report.delivered, report.retried, report.dead) == (10, 10, 0)
    assert [(e["status"], e["attempts"]) for e in rows] == [(PENDING, 1)] * 10 + [
        (DELIVERED, 1)
    ] * 10
    assert all("503" in (e["last_error"] or "") for e in rows[:10])
    assert all(e["claim_token"] is None for e in rows)
    assert again.delivered == 10
    assert sorted(received[:2]) == sorted(batches)  # each once
    assert received[2:] == [batches[0]]  # the failed one again, byte for byte
    assert {e["status"] for e in entries(engine, outbox)} == {DELIVERED}


def test_each_lane_of_an_lrs_client_has_its_own_kept_alive_connection(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, [body(i) for i in range(60)])
    second_arrived = threading.Event()

    def answer(index: int, _body: bytes) -> int:
        if index == 1:
            second_arrived.set()
        if index == 0:  # answered only once the second batch is on the wire too
            assert second_arrived.wait(timeout=30)
        return 200

    WatchedSession.made.clear()
    with scripted_http(answer) as server:
        target = LrsTarget(name="rss", endpoint=server.url, batch_size=BATCH)
        transport = RequestsTransport(session_factory=WatchedSession)
        retry = RetryPolicy(max_attempts=1)
        with LrsClient(target, transport=transport, retry=retry) as client:
            report = worker(engine, outbox, clock, LrsDeliverer(client)).flush()
            again = worker(engine, outbox, clock, LrsDeliverer(client)).flush()
        peers = list(server.peers)

    assert (report.delivered, again.claimed) == (60, 0)
    assert len(WatchedSession.made) == 2  # a session per lane, never one for two threads
    assert not any(session.shared for session in WatchedSession.made)
    assert len(peers) == 6
    assert len(set(peers)) == 2  # each lane on one connection from its first batch on


def test_a_rejected_statement_in_a_batch_in_flight_goes_to_the_dead_letters(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, [body(i) for i in range(20)])

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 1:
            assert lrs.started[2].wait(timeout=30)

    lrs = Concurrent(on_wire, {"st-013": lambda _i: DeliveryOutcome.rejected("bad verb")})
    report = worker(engine, outbox, clock, lrs).flush()

    assert (report.delivered, report.dead) == (19, 1)
    rows = {e["dedupe_id"]: e for e in entries(engine, outbox)}
    assert (rows["st-013"]["status"], rows["st-013"]["last_error"]) == (DEAD, "bad verb")
    assert {e["status"] for k, e in rows.items() if k != "st-013"} == {DELIVERED}


def test_a_crash_with_two_batches_in_flight_loses_nothing_and_resends_the_same_bytes(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    class Crash(BaseException):
        """The process dies (nothing in the worker catches it)."""

    enqueue(engine, outbox, [body(i) for i in range(30)])

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 1:
            assert lrs.started[2].wait(timeout=30)
        if number == 2:
            raise Crash

    lrs = Concurrent(on_wire)
    with pytest.raises(Crash):
        worker(engine, outbox, clock, lrs).flush()
    crashed = entries(engine, outbox)
    assert [e["status"] for e in crashed[10:20]] == [PENDING] * 10  # not recorded
    assert all(e["claim_token"] for e in crashed if e["status"] == PENDING)  # still leased

    clock.advance(LEASE)  # the dead worker's leases run out
    again = ScriptedDeliverer()
    worker(engine, outbox, clock, again).flush()

    crashed_batch = [body(i) for i in range(10, 20)]
    assert [i.payload for i in again.seen if i.payload in crashed_batch] == crashed_batch
    assert {e["status"] for e in entries(engine, outbox)} == {DELIVERED}


@pytest.mark.parametrize("voids_batch_one", [True, False])
def test_a_voiding_statement_never_overtakes_the_statement_it_voids(
    engine: Engine, outbox: Outbox, clock: FakeClock, voids_batch_one: bool
) -> None:
    # st-015 voids st-005 (batch 1), or st-025 which has not been sent.
    target = 5 if voids_batch_one else 25
    payloads = [voiding(i, target) if i == 15 else body(i) for i in range(30)]
    enqueue(engine, outbox, payloads)
    timeline: list[str] = []
    second_arrived = threading.Event()

    def answer(index: int, _body: bytes) -> int:
        timeline.append(f"received {index}")
        if index == 1:
            second_arrived.set()
        if index == 0:
            overtaken = second_arrived.wait(timeout=NEVER if voids_batch_one else 30)
            timeline.append(f"answered 0 ({'overtaken' if overtaken else 'alone'})")
        return 200

    with scripted_http(answer) as server:
        lrs_target = LrsTarget(name="rss", endpoint=server.url, batch_size=BATCH)
        with LrsClient(lrs_target, retry=RetryPolicy(max_attempts=1)) as client:
            report = worker(engine, outbox, clock, LrsDeliverer(client)).flush()
        received = server.bodies

    assert report.delivered == 30
    if voids_batch_one:  # batch 2 only once batch 1 is answered
        assert timeline[:3] == ["received 0", "answered 0 (alone)", "received 1"]
    else:
        assert timeline[:3] == ["received 0", "received 1", "answered 0 (overtaken)"]
    assert sorted(received) == sorted(
        b"[" + b",".join(payloads[k : k + BATCH]) + b"]" for k in (0, 10, 20)
    )


def test_an_lrs_batch_is_independent_unless_it_voids_or_resends_one_in_flight() -> None:
    lrs = LrsDeliverer(LrsClient(LrsTarget(name="rss", endpoint="https://lrs.test/xapi/")))

    def items(*payloads: bytes) -> list[OutboxItem]:
        return [
            OutboxItem(n, "rss", "xapi-statement", json.loads(p)["id"], p, 0)
            for n, p in enumerate(payloads)
        ]

    earlier = items(body(1), body(2))
    assert isinstance(lrs, ConcurrentDeliverer)
    assert lrs.independent(earlier, items(body(3), voiding(4, 9)))
    assert not lrs.independent(earlier, items(body(3), voiding(4, 2)))
    assert not lrs.independent(earlier, items(body(2)))  # the same statement again
    unreadable = OutboxItem(9, "rss", "xapi-statement", "st-x", VOIDED.encode() + b"{", 0)
    assert not lrs.independent(earlier, [unreadable])


def test_the_production_loop_delivers_a_backlog_with_two_batches_in_flight_and_stops(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, [body(i) for i in range(35)])
    stop = threading.Event()
    overlapped: list[bool] = []

    def on_wire(number: int, _items: Sequence[OutboxItem]) -> None:
        if number == 1:
            overlapped.append(lrs.started[2].wait(timeout=30))
        if number == 4:
            stop.set()

    lrs = Concurrent(on_wire)
    worker(engine, outbox, clock, lrs).run(stop, idle_seconds=0)

    assert overlapped == [True]
    assert sorted(lrs.batch_sizes) == [5, 10, 10, 10]
    assert {(e["status"], e["attempts"], e["claim_token"]) for e in entries(engine, outbox)} == {
        (DELIVERED, 1, None)
    }


def test_batches_in_flight_is_a_setting_from_one_to_four(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).outbox_batches_in_flight == 2  # type: ignore[call-arg]
    monkeypatch.setenv("YRKESRESAN_OUTBOX_BATCHES_IN_FLIGHT", "1")
    assert Settings(_env_file=None).outbox_batches_in_flight == 1  # type: ignore[call-arg]
    for wrong in ("0", "5"):
        monkeypatch.setenv("YRKESRESAN_OUTBOX_BATCHES_IN_FLIGHT", wrong)
        with pytest.raises(ValueError, match="outbox_batches_in_flight"):
            Settings(_env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="in_flight"):
        OutboxWorker(None, {}, in_flight=0)  # type: ignore[arg-type]
