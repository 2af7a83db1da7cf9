"""The worker: deliver, reschedule with backoff, dead-letter, keep targets independent."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select

from tests.conftest import FakeClock
from tests.outbox.conftest import START, ScriptedDeliverer
from yrkesresan_lti.outbox import (
    DEAD,
    DELIVERED,
    PENDING,
    DeliveryOutcome,
    Outbox,
    OutboxWorker,
    RetryPolicy,
)

LEASE = timedelta(minutes=10)


def retry() -> RetryPolicy:
    return RetryPolicy.for_outbox(
        max_attempts=3, base_delay=60.0, max_delay=3600.0, rng=random.Random(3)
    )


def body(n: int) -> bytes:
    return json.dumps({"id": f"st-{n}", "n": n}).encode()


def enqueue(engine: Engine, outbox: Outbox, n: int, targets: list[str]) -> None:
    with engine.begin() as conn:
        outbox.enqueue(conn, [body(i) for i in range(n)], targets)


def rows(engine: Engine, outbox: Outbox) -> list[dict[str, Any]]:
    entries = outbox.tables.entries
    with engine.connect() as conn:
        result = conn.execute(select(entries).order_by(entries.c.id)).mappings().all()
    return [dict(r) for r in result]


def worker(
    engine: Engine, outbox: Outbox, clock: FakeClock, **deliverers: ScriptedDeliverer
) -> OutboxWorker:
    return OutboxWorker(
        engine,
        deliverers,
        outbox=outbox,
        retry=retry(),
        lease=LEASE,
        clock=clock,
        batch_size=50,
    )


def test_due_entries_are_delivered_with_their_exact_bytes_and_marked(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 3, ["rss"])
    lrs = ScriptedDeliverer()
    clock.advance(timedelta(seconds=5))

    report = worker(engine, outbox, clock, rss=lrs).run_once()

    assert (report.claimed, report.delivered) == (3, 3)
    assert [i.payload for i in lrs.seen] == [body(0), body(1), body(2)]
    assert [(r["status"], r["attempts"], r["delivered_at"]) for r in rows(engine, outbox)] == [
        (DELIVERED, 1, START + timedelta(seconds=5))
    ] * 3
    assert worker(engine, outbox, clock, rss=lrs).run_once().claimed == 0


def test_a_temporary_failure_is_retried_later_with_backoff_and_the_same_bytes(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 1, ["rss"])
    down = ScriptedDeliverer({"st-0": lambda _i: DeliveryOutcome.retry("HTTP 503: down")})
    worker(engine, outbox, clock, rss=down).run_once()

    [entry] = rows(engine, outbox)
    wait = entry["next_attempt_at"] - START
    assert (entry["status"], entry["attempts"], entry["last_error"]) == (
        PENDING, 1, "HTTP 503: down",
    )  # fmt: skip
    assert timedelta(seconds=30) <= wait <= timedelta(seconds=60)

    up = ScriptedDeliverer()
    assert worker(engine, outbox, clock, rss=up).run_once().claimed == 0  # not due yet
    clock.advance(wait)
    assert worker(engine, outbox, clock, rss=up).run_once().delivered == 1
    assert [i.payload for i in down.seen + up.seen] == [body(0), body(0)]


def test_a_permanent_rejection_is_dead_at_once_with_the_reason(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 2, ["rss"])
    lrs = ScriptedDeliverer({"st-1": lambda _i: DeliveryOutcome.rejected("HTTP 409: conflict")})
    report = worker(engine, outbox, clock, rss=lrs).run_once()
    assert (report.delivered, report.dead) == (1, 1)
    assert [(r["status"], r["last_error"]) for r in rows(engine, outbox)] == [
        (DELIVERED, None), (DEAD, "HTTP 409: conflict"),
    ]  # fmt: skip


def test_after_the_last_attempt_an_entry_goes_to_the_dead_letters(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 1, ["rss"])
    down = ScriptedDeliverer({"st-0": lambda _i: DeliveryOutcome.retry("timeout")})
    for _ in range(retry().max_attempts):
        assert worker(engine, outbox, clock, rss=down).run_once().claimed == 1
        clock.advance(timedelta(hours=2))
    assert worker(engine, outbox, clock, rss=down).run_once().claimed == 0
    [entry] = rows(engine, outbox)
    assert (entry["status"], entry["attempts"]) == (DEAD, 3)
    assert entry["last_error"] == "gave up after 3 attempts: timeout"


def test_targets_keep_independent_delivery_state(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 2, ["rss", "skr"])
    rss = ScriptedDeliverer()
    skr = ScriptedDeliverer({f"st-{i}": lambda _i: DeliveryOutcome.retry("down") for i in (0, 1)})
    worker(engine, outbox, clock, rss=rss, skr=skr).run_once()
    state = {(r["target"], r["dedupe_id"]): r["status"] for r in rows(engine, outbox)}
    assert state == {
        ("rss", "st-0"): DELIVERED, ("rss", "st-1"): DELIVERED,
        ("skr", "st-0"): PENDING, ("skr", "st-1"): PENDING,
    }  # fmt: skip


def test_a_crashing_deliverer_loses_nothing_and_the_worker_carries_on(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 2, ["rss", "skr"])

    def crash() -> None:
        raise ValueError("bug in deliverer")

    report = worker(
        engine, outbox, clock, rss=ScriptedDeliverer(before=crash), skr=ScriptedDeliverer()
    ).run_once()
    assert (report.delivered, report.retried) == (2, 2)
    assert report.errors == ["rss: bug in deliverer"]
    failed = [r for r in rows(engine, outbox) if r["target"] == "rss"]
    assert {(r["status"], r["last_error"]) for r in failed} == {
        (PENDING, "ValueError: bug in deliverer")
    }


def test_entries_of_a_target_without_deliverer_wait_untouched(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 1, ["unconfigured"])
    assert worker(engine, outbox, clock, rss=ScriptedDeliverer()).run_once().claimed == 0
    [entry] = rows(engine, outbox)
    assert (entry["status"], entry["attempts"], entry["claim_token"]) == (PENDING, 0, None)


def test_entries_leased_by_a_worker_that_died_are_delivered_after_the_lease(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 1, ["rss"])
    dead_worker = worker(engine, outbox, clock, rss=ScriptedDeliverer())
    assert len(dead_worker._claim("crashed")) == 1  # claimed, never completed
    dead_worker.leases.release("crashed")  # it died: no more heartbeats
    lrs = ScriptedDeliverer()
    assert worker(engine, outbox, clock, rss=lrs).run_once().claimed == 0
    clock.advance(LEASE)
    assert worker(engine, outbox, clock, rss=lrs).run_once().delivered == 1


def test_flush_delivers_entries_waiting_for_backoff_once_and_stops(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 120, ["rss"])
    first = ScriptedDeliverer({"st-7": lambda _i: DeliveryOutcome.retry("down")})
    worker(engine, outbox, clock, rss=first).flush()
    batches: list[int] = []
    lrs = ScriptedDeliverer({"st-7": lambda _i: DeliveryOutcome.retry("still down")})
    report = worker(engine, outbox, clock, rss=lrs).flush(progress=batches.append)
    assert [i.dedupe_id for i in lrs.seen] == ["st-7"]  # waited for backoff: made due
    assert (report.retried, batches) == (1, [1])


def test_status_retry_dead_and_purge(engine: Engine, outbox: Outbox, clock: FakeClock) -> None:
    enqueue(engine, outbox, 3, ["rss", "skr"])
    refuse = ScriptedDeliverer({"st-2": lambda _i: DeliveryOutcome.rejected("bad")})
    worker(engine, outbox, clock, rss=refuse).run_once()
    clock.advance(timedelta(days=31))
    with engine.connect() as conn:
        status = outbox.status(conn)
    assert {n: (t.pending, t.delivered, t.dead) for n, t in status.targets.items()} == {
        "rss": (0, 2, 1), "skr": (3, 0, 0),
    }  # fmt: skip
    assert status.oldest_pending_age(clock.now()) == timedelta(days=31)
    with engine.begin() as conn:
        assert outbox.retry_dead(conn, target="skr") == 0
        assert outbox.retry_dead(conn, target="rss") == 1
        assert outbox.purge_delivered(conn, timedelta(days=32)) == 0
        assert outbox.purge_delivered(conn, timedelta(days=30)) == 2
    assert sorted((r["target"], r["status"], r["attempts"]) for r in rows(engine, outbox)) == [
        ("rss", PENDING, 0), ("skr", PENDING, 0), ("skr", PENDING, 0), ("skr", PENDING, 0),
    ]  # fmt: skip
