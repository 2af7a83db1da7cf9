"""Leases that follow the worker: a heartbeat renews the claims a worker holds; a renewal
or an outcome of a worker whose lease was taken over changes nothing of the new holder's."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from tests.conftest import FakeClock
from tests.outbox.conftest import ScriptedDeliverer
from tests.outbox.test_worker import enqueue, rows
from yrkesresan_lti.outbox import (
    DELIVERED,
    LEASE,
    PENDING,
    BatchReport,
    DeliveryOutcome,
    Outbox,
    OutboxWorker,
)
from yrkesresan_lti.settings import Settings

SHORT = timedelta(seconds=30)


def worker(
    engine: Engine,
    outbox: Outbox,
    clock: FakeClock,
    lrs: ScriptedDeliverer,
    heartbeat: timedelta | None = None,
) -> OutboxWorker:
    return OutboxWorker(
        engine, {"rss": lrs}, outbox=outbox, lease=SHORT, heartbeat=heartbeat, clock=clock
    )


def test_the_default_lease_is_about_a_minute() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.outbox_lease == LEASE <= timedelta(seconds=90)
    assert OutboxWorker.__init__.__kwdefaults__["lease"] == LEASE
    assert OutboxWorker(None, {}).leases.heartbeat == LEASE / 3  # type: ignore[arg-type]


def test_lease_and_heartbeat_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YRKESRESAN_OUTBOX_LEASE_SECONDS", "4")
    monkeypatch.setenv("YRKESRESAN_OUTBOX_HEARTBEAT_SECONDS", "0.5")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.outbox_lease, settings.outbox_heartbeat) == (
        timedelta(seconds=4),
        timedelta(seconds=0.5),
    )
    monkeypatch.setenv("YRKESRESAN_OUTBOX_HEARTBEAT_SECONDS", "4")
    with pytest.raises(ValueError, match="HEARTBEAT"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_renewed_claim_is_not_taken_by_another_worker_after_the_first_lease(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 3, ["rss"])
    other = ScriptedDeliverer()
    took_over: list[int] = []

    def slow_lrs() -> None:  # the LRS answers after twice the lease; the heartbeat beats
        clock.advance(SHORT - timedelta(seconds=1))
        assert holder.leases.renew() == 3
        clock.advance(SHORT - timedelta(seconds=1))
        assert holder.leases.renew() == 3
        clock.advance(timedelta(seconds=2))  # past the lease of the claim itself
        took_over.append(worker(engine, outbox, clock, other).run_once().claimed)

    holder = worker(engine, outbox, clock, ScriptedDeliverer(before=slow_lrs))
    report = holder.run_once()

    assert took_over == [0]
    assert report.delivered == 3
    assert [r["status"] for r in rows(engine, outbox)] == [DELIVERED] * 3
    assert holder.leases.renew() == 0  # released once recorded


def test_a_worker_that_stops_renewing_loses_its_batch_one_lease_later(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 2, ["rss"])
    stalled = worker(engine, outbox, clock, ScriptedDeliverer())
    assert len(stalled._claim("stalled")) == 2  # claimed, then no heartbeat (killed)
    stalled.leases.release("stalled")
    clock.advance(SHORT - timedelta(seconds=1))
    assert worker(engine, outbox, clock, ScriptedDeliverer()).run_once().claimed == 0
    clock.advance(timedelta(seconds=1))
    assert worker(engine, outbox, clock, ScriptedDeliverer()).run_once().delivered == 2


def test_the_old_holder_neither_renews_nor_overwrites_what_the_new_holder_recorded(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 2, ["rss"])
    slow = ScriptedDeliverer()
    old = worker(engine, outbox, clock, slow)
    [first, second] = old._claim("old")
    clock.advance(SHORT)  # the old holder's heartbeat did not get through: the lease lapsed
    refusing = ScriptedDeliverer({"st-1": lambda _i: DeliveryOutcome.retry("HTTP 503")})
    new = worker(engine, outbox, clock, refusing)
    assert new.run_once().claimed == 2  # st-0 delivered, st-1 waits for its backoff
    recorded = rows(engine, outbox)

    assert old.leases.renew() == 0  # the old claim's renewal touches nothing
    old_report = BatchReport()
    late = [(first, DeliveryOutcome.rejected("late")), (second, DeliveryOutcome.delivered())]
    old._complete("old", late, old_report)

    assert rows(engine, outbox) == recorded
    assert [(r["status"], r["attempts"]) for r in recorded] == [(DELIVERED, 1), (PENDING, 1)]
    assert old_report.dead == 1  # what the old holder thought; the database kept the new


def test_the_heartbeat_thread_renews_while_a_delivery_is_on_the_wire(
    engine: Engine, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(engine, outbox, 1, ["rss"])
    entries = outbox.tables.entries
    claimed_until = clock.now() + SHORT
    renewed = threading.Event()

    def wait_for_a_heartbeat() -> None:
        clock.advance(timedelta(seconds=5))
        for _ in range(500):  # the thread beats every 10 ms; give it up to ~5 s
            with engine.connect() as conn:
                until = conn.scalar(select(entries.c.next_attempt_at))
            if until is not None and until.replace(tzinfo=claimed_until.tzinfo) > claimed_until:
                renewed.set()
                return
            threading.Event().wait(0.01)

    lrs = ScriptedDeliverer(before=wait_for_a_heartbeat)
    holder = worker(engine, outbox, clock, lrs, heartbeat=timedelta(seconds=0.01))
    assert holder.run_once().delivered == 1
    assert renewed.is_set()
