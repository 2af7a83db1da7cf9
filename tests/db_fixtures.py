"""Reusable database and Redis fixtures for every test package.

Import the fixtures you need into your package's ``conftest.py``::

    from tests.db_fixtures import database, database_url, redis_prefix  # noqa: F401

``database`` / ``database_url`` are parametrised over SQLite (a file in ``tmp_path``) and
PostgreSQL (a schema of its own in database ``test``, dropped afterwards; marked
``postgres``). ``database`` is migrated to the newest revision; ``database_url`` is an
empty database for ``Settings(database_url=...)`` (``create_app`` migrates it).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest
from redis import Redis
from sqlalchemy.pool import QueuePool

from yrkesresan_adapter import migrations
from yrkesresan_adapter.storage.database import Database

POSTGRES_URL = os.environ.get(
    "YRKESRESAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("YRKESRESAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A SQLAlchemy URL whose connections use a new, empty schema; dropped on exit."""
    schema = f"t_{uuid.uuid4().hex}"
    admin_url = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def empty_database_url(backend: str, directory: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'test.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (SQLite file or PostgreSQL schema)."""
    with empty_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A :class:`Database` migrated to the newest revision, disposed afterwards."""
    db = Database(database_url)
    migrations.upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def redis_prefix() -> Iterator[tuple[Redis, str]]:
    """A Redis client and a key prefix of this test's own; its keys are deleted afterwards."""
    client = Redis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:"
    try:
        yield client, prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def wait_for_a_lock_wait(table: str) -> None:
    """Return once a PostgreSQL session waits for a lock in a statement on ``table`` (polls
    ``pg_stat_activity``: no sleeping); fail if none does within 100,000 looks."""
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        for _ in range(100_000):
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE %s",
                (f"%{table}%",),
            ).fetchone()
            if row and row[0]:
                return
    raise AssertionError(f"no session waited for a lock on {table}")


def terminate_pooled_backends(db: Database) -> list[int]:
    """End the server side of every connection in ``db``'s pool (as a PostgreSQL restart or
    ``idle_session_timeout`` would) and wait until each backend is gone; their pids."""
    pool = db.engine.pool
    assert isinstance(pool, QueuePool)
    pooled = pool.checkedin()
    with ExitStack() as stack:
        connections = [stack.enter_context(db.engine.connect()) for _ in range(pooled)]
        pids = [int(c.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()) for c in connections]
        for connection in connections:
            connection.rollback()
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))
    return pids
