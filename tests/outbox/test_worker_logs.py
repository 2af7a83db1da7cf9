"""The worker says what it does: deliveries per target, retries with the next attempt,
dead letters with entry, target and reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.log_fixtures import Lines
from tests.outbox.conftest import START, ScriptedDeliverer
from tests.outbox.test_worker import enqueue, rows, worker
from yrkesresan_lti.outbox import DeliveryOutcome, Outbox, OutboxItem


def _fail(reason: str) -> Callable[[OutboxItem], DeliveryOutcome]:
    return lambda _item: DeliveryOutcome.retry(reason)


def test_deliveries_are_counted_per_target_and_batch(
    engine: Engine, outbox: Outbox, clock: FakeClock, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    enqueue(engine, outbox, 3, ["rss", "skr"])
    worker(engine, outbox, clock, rss=ScriptedDeliverer(), skr=ScriptedDeliverer()).run_once()
    delivered = lines.events("outbox_delivered")
    assert {(line["target"], line["count"], line["level"]) for line in delivered} == {
        ("rss", 3, "INFO"),
        ("skr", 3, "INFO"),
    }
    assert all(line["logger"] == "yrkesresan.outbox" for line in delivered)


def test_retries_say_when_and_why(
    engine: Engine, outbox: Outbox, clock: FakeClock, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    enqueue(engine, outbox, 2, ["rss"])
    script = {"st-0": _fail("HTTP 503: LRS busy"), "st-1": _fail("HTTP 503: LRS busy")}
    worker(engine, outbox, clock, rss=ScriptedDeliverer(script)).run_once()
    (line,) = lines.events("outbox_retry")
    assert line["level"] == "WARNING"
    assert (line["target"], line["count"], line["attempts"]) == ("rss", 2, 1)
    assert line["reason"] == "HTTP 503: LRS busy"
    earliest = min(row["next_attempt_at"] for row in rows(engine, outbox))
    next_attempt = datetime.fromisoformat(line["next_attempt_at"])
    assert next_attempt > START
    assert abs(next_attempt.replace(tzinfo=None) - earliest.replace(tzinfo=None)) < timedelta(
        seconds=1
    )
    assert lines.events("outbox_delivered") == []


def test_dead_letters_name_entry_target_and_reason(
    engine: Engine, outbox: Outbox, clock: FakeClock, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    enqueue(engine, outbox, 2, ["rss"])
    rejected = {"st-1": lambda _item: DeliveryOutcome.rejected("HTTP 400: bad statement")}
    worker(engine, outbox, clock, rss=ScriptedDeliverer(rejected)).run_once()
    (line,) = lines.events("outbox_dead_letter")
    dead = next(row for row in rows(engine, outbox) if row["dedupe_id"] == "st-1")
    assert line["level"] == "WARNING"
    assert (line["entry_id"], line["target"], line["dedupe_id"]) == (dead["id"], "rss", "st-1")
    assert line["reason"] == "HTTP 400: bad statement"
    assert [(d["target"], d["count"]) for d in lines.events("outbox_delivered")] == [("rss", 1)]


def test_a_broken_deliverer_is_logged_with_its_traceback(
    engine: Engine, outbox: Outbox, clock: FakeClock, configure_logs: Callable[..., Lines]
) -> None:
    lines = configure_logs(log_format="json")
    enqueue(engine, outbox, 1, ["rss"])

    def broken() -> None:
        raise RuntimeError("deliverer bug")

    worker(engine, outbox, clock, rss=ScriptedDeliverer(before=broken)).run_once()
    (line,) = lines.events("outbox_deliverer_failed")
    assert (line["level"], line["target"], line["count"]) == ("ERROR", "rss", 1)
    assert "RuntimeError: deliverer bug" in line["exc_info"]
    assert lines.events("outbox_retry")[0]["reason"] == "RuntimeError: deliverer bug"
