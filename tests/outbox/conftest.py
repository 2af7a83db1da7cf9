"""Outbox fixtures: a database per test (SQLite file or a PostgreSQL schema of its own),
the outbox tables on it, the clock's start and a scriptable deliverer."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, create_engine

from tests.conftest import FakeClock
from tests.log_fixtures import configure_logs  # noqa: F401
from tests.ralph_fixtures import ralph  # noqa: F401
from yrkesresan_lti.outbox import (
    DeliveryOutcome,
    Outbox,
    OutboxItem,
    OutboxTables,
    define_outbox_tables,
)

POSTGRES_URL = os.environ.get(
    "YRKESRESAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]
START = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


class ScriptedDeliverer:
    """Answers per dedupe id from ``script`` (default: delivered); records every item."""

    def __init__(
        self,
        script: dict[str, Callable[[OutboxItem], DeliveryOutcome]] | None = None,
        before: Callable[[], None] | None = None,
    ) -> None:
        self.script = script or {}
        self.before = before
        self.seen: list[OutboxItem] = []
        self.batch_sizes: list[int] = []
        self._lock = threading.Lock()

    def deliver(self, items: Sequence[OutboxItem]) -> list[DeliveryOutcome]:
        if self.before is not None:
            self.before()
        with self._lock:
            self.seen.extend(items)
            self.batch_sizes.append(len(items))
        outcomes = []
        for item in items:
            answer = self.script.get(item.dedupe_id)
            outcomes.append(answer(item) if answer else DeliveryOutcome.delivered())
        return outcomes


def postgres_engine(schema: str) -> Engine:
    """An engine on ``schema`` only; the search path is in the URL so a CLI can reuse it."""
    return create_engine(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")


def engine_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
        yield made
        made.dispose()
        return
    schema = f"t_{uuid.uuid4().hex}"
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    made = postgres_engine(schema)
    try:
        yield made
    finally:
        made.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def metadata() -> MetaData:
    return MetaData()


@pytest.fixture
def tables(engine: Engine, metadata: MetaData) -> OutboxTables:
    made = define_outbox_tables(metadata)
    metadata.create_all(engine)
    return made


@pytest.fixture
def app_table(engine: Engine, metadata: MetaData, tables: OutboxTables) -> Table:
    """A table of 'the application', to commit together with outbox entries."""
    table = Table(
        "completions",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("task", String(50), nullable=False),
    )
    table.create(engine)
    return table


@pytest.fixture
def clock_start() -> datetime:
    return START


@pytest.fixture
def outbox(tables: OutboxTables, clock: FakeClock) -> Outbox:
    return Outbox(tables, clock=clock)
