"""Retention applied by the delivery worker: stored launches and delivered outbox entries
are deleted when older than configured; nothing else is."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert, select

from tests.privacy.conftest import Scenario
from yrkesresan_adapter.delivery import delivery_worker
from yrkesresan_adapter.privacy import RetentionPolicy
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.models import LaunchState
from yrkesresan_lti.settings import Retention, Settings

STATES = LaunchState.__table__


def _states(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {key for (key,) in conn.execute(select(STATES.c.key))}  # type: ignore[attr-defined]


def _seed(engine: Engine, now: datetime) -> None:
    ttl = timedelta(hours=8)
    rows = [  # launched 3 h, 10 h ago; a login state expired a minute ago, one still valid
        {"key": "launch-context:recent", "value": {}, "expires_at": now - timedelta(hours=3) + ttl},
        {"key": "launch-context:old", "value": {}, "expires_at": now - timedelta(hours=10) + ttl},
        {"key": "login-expired", "value": {}, "expires_at": now - timedelta(minutes=1)},
        {"key": "login-valid", "value": {}, "expires_at": now + timedelta(minutes=5)},
    ]
    entries = outbox_tables.entries
    base = {"target": "rss", "kind": "xapi-statement", "payload": b"{}", "attempts": 1}
    with engine.begin() as conn:
        conn.execute(insert(STATES), rows)  # type: ignore[arg-type]
        conn.execute(
            insert(entries),
            [
                {
                    **base,
                    "dedupe_id": "old",
                    "status": "delivered",
                    "created_at": now,
                    "next_attempt_at": now,
                    "delivered_at": now - timedelta(days=31),
                },
                {
                    **base,
                    "dedupe_id": "new",
                    "status": "delivered",
                    "created_at": now,
                    "next_attempt_at": now,
                    "delivered_at": now - timedelta(days=2),
                },
                {
                    **base,
                    "dedupe_id": "waiting",
                    "status": "pending",
                    "created_at": now - timedelta(days=60),
                    "next_attempt_at": now,
                    "delivered_at": None,
                },
            ],
        )


def _entries(engine: Engine) -> set[str]:
    entries = outbox_tables.entries
    with engine.connect() as conn:
        return {
            d
            for (d,) in conn.execute(select(entries.c.dedupe_id).where(entries.c.payload == b"{}"))
        }


def test_the_worker_deletes_old_launches_and_delivered_entries_with_the_defaults(
    scenario: Scenario,
) -> None:
    engine = scenario.engine
    _seed(engine, datetime.now(UTC))
    before = _states(engine)
    worker = delivery_worker(scenario.app)
    worker.deliverers = {}  # no delivery (the LRS of the settings is not there)
    stop = threading.Event()
    housekeeping = worker.housekeeping
    assert housekeeping is not None

    def one_round() -> None:
        housekeeping()
        stop.set()

    worker.housekeeping = one_round
    worker.run(stop, idle_seconds=0)
    gone = before - _states(engine)
    assert gone == {"launch-context:old", "login-expired"}
    assert _entries(engine) == {"new", "waiting"}


def test_retention_follows_the_settings(scenario: Scenario) -> None:
    engine = scenario.engine
    _seed(engine, datetime.now(UTC))
    settings = Settings(
        _env_file=None,
        database_url=scenario.settings.database_url,
        retention=Retention(launch_states_hours=2, delivered_outbox_days=0),
    )
    report = RetentionPolicy(engine, settings).apply()
    assert {"launch-context:recent", "launch-context:old", "login-expired"}.isdisjoint(
        _states(engine)
    )
    assert "login-valid" in _states(engine)
    assert _entries(engine) == {"old", "new", "waiting"}  # 0 days: never automatically
    assert report.delivered == 0


def test_retention_runs_once_per_interval(scenario: Scenario) -> None:
    policy = RetentionPolicy(scenario.engine, scenario.settings)
    assert policy.maybe_apply() is not None
    assert policy.maybe_apply() is None


def test_the_retention_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("YRKESRESAN_RETENTION__LAUNCH_STATES_HOURS", "4")
    monkeypatch.setenv("YRKESRESAN_RETENTION__DELIVERED_OUTBOX_DAYS", "90")
    settings = Settings(_env_file=None)
    assert settings.retention == Retention(launch_states_hours=4, delivered_outbox_days=90)
    monkeypatch.delenv("YRKESRESAN_RETENTION__LAUNCH_STATES_HOURS")
    monkeypatch.delenv("YRKESRESAN_RETENTION__DELIVERED_OUTBOX_DAYS")
    defaults = Settings(_env_file=None).retention
    assert (defaults.launch_states_hours, defaults.delivered_outbox_days) == (8, 30)
