"""The database subsystem: connection settings, migrations, readiness, startup migration."""

from __future__ import annotations

import multiprocessing
import os
import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from tests.db_fixtures import postgres_schema_url, terminate_pooled_backends
from tests.storage.conftest import json_of
from yrkesresan_adapter import create_app, migrations
from yrkesresan_adapter.lti.oidc_stores import (
    RedisLaunchStateStore,
    RedisNonceStore,
    SqlLaunchStateStore,
    SqlNonceStore,
)
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage import database as db_module
from yrkesresan_adapter.storage.database import SQLITE_BUSY_TIMEOUT_MS, Database
from yrkesresan_adapter.storage.keys import SqlToolKeyStore
from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.models import LaunchState
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.exceptions import DatabaseNotReady
from yrkesresan_lti.settings import Settings


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(instance_path=tmp_path / "instance", _env_file=None, **values)


def production(tmp_path: Path, **values: Any) -> Settings:
    return settings(tmp_path, production=True, base_url="https://lti.kommun.example", **values)


def test_every_sqlite_connection_gets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'x.db'}")
    with db.engine.connect() as first, db.engine.connect() as second:
        for connection in (first, second):
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == (
                SQLITE_BUSY_TIMEOUT_MS
            )
    db.dispose()


@pytest.mark.postgres
def test_a_pooled_postgresql_connection_the_server_ended_is_replaced_on_checkout() -> None:
    """A restart or an idle timeout between two requests: the next one gets a new
    connection instead of an error."""
    with postgres_schema_url() as url:
        db = Database(url)
        try:
            with db.connection() as connection:
                connection.execute(text("SELECT 1"))
            (gone,) = terminate_pooled_backends(db)
            with db.connection() as connection:
                pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            assert pid != gone
        finally:
            db.dispose()


@pytest.mark.postgres
def test_a_healthy_pooled_postgresql_connection_is_checked_out_without_a_ping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with postgres_schema_url() as url:
        db = Database(url)
        pings: list[object] = []
        try:
            with db.connection() as connection:
                first = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            monkeypatch.setattr(db.engine.dialect, "do_ping", pings.append)
            with db.connection() as connection:
                again = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            assert (again, pings) == (first, [])
        finally:
            db.dispose()


def _sees_the_marker(db: Database) -> bool:
    """Whether the connection ``db`` hands out is the one that made the TEMP table
    ``parent_marker`` (a TEMP table lives in its connection's session only)."""
    with db.connection() as connection:
        try:
            with connection.begin_nested():
                connection.execute(text("SELECT count(*) FROM parent_marker"))
        except OperationalError:  # SQLite: no such table
            return False
        except ProgrammingError:  # PostgreSQL: undefined table
            return False
        return True


def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_alone(
    database: Database,
) -> None:
    """gunicorn's ``--preload`` forks its workers from a process that has used the
    database (create_app migrates outside production). A worker that kept using the
    inherited connection would share one socket with its siblings (PostgreSQL: their
    statements interleaved, one's commit ending another's transaction); one that closed it
    would end the parent's session."""
    with database.connection() as connection:
        connection.execute(text("CREATE TEMP TABLE parent_marker (x INTEGER)"))
    assert _sees_the_marker(database)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, then leave without running the parent's cleanup
        try:
            os.write(write, b"inherited" if _sees_the_marker(database) else b"its own")
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        seen = answer.read()
    os.waitpid(pid, 0)
    assert seen == b"its own"
    assert _sees_the_marker(database)  # the parent's session is still there, and still open


def test_closing_the_pooled_connections_ends_the_idle_session(database: Database) -> None:
    """gunicorn's preloaded master migrated while loading the app and is done with the
    database: it closes what its pool keeps instead of holding a session for good."""
    with database.connection() as connection:
        connection.execute(text("CREATE TEMP TABLE parent_marker (x INTEGER)"))
    assert database.engine.pool.checkedin() == 1

    db_module.close_pooled_connections()

    assert database.engine.pool.checkedin() == 0
    assert not _sees_the_marker(database)  # a new session: the old one's TEMP table is gone


def test_upgrade_on_an_empty_database_matches_the_models(database: Database) -> None:
    assert migrations.current_revision(database) == migrations.head_revision()
    assert migrations.schema_diff(database) == []
    with database.engine.connect() as connection:
        names = set(connection.dialect.get_table_names(connection))
    assert set(metadata.tables) <= names


def test_migrations_go_down_to_an_empty_schema_and_up_again(database: Database) -> None:
    migrations.downgrade(database, "base")
    assert migrations.current_revision(database) is None
    with database.engine.connect() as connection:
        assert set(connection.dialect.get_table_names(connection)) <= {"alembic_version"}
    migrations.upgrade(database)
    assert migrations.schema_diff(database) == []


def test_session_rolls_back_when_the_block_fails(database: Database) -> None:
    def fail_after_insert() -> None:
        with database.session() as session:
            session.add(LaunchState(key="k", value={}, expires_at=datetime.now(UTC)))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_after_insert()
    with database.session() as session:
        assert session.scalars(select(LaunchState)).all() == []


def test_create_app_migrates_an_empty_database_outside_production(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path))
    db: Database = AdapterState.of(app).services.db
    assert db.url.database == str((tmp_path / "instance" / "yrkesresan.db").resolve())
    assert migrations.is_current(db)
    assert json_of(app.test_client().get("/readyz"))["checks"]["database"] == {"ok": True}


@pytest.mark.postgres
def test_create_app_uses_postgresql_by_url(tmp_path: Path) -> None:
    with postgres_schema_url() as url:
        app = create_app(settings(tmp_path, database_url=url))
        db: Database = AdapterState.of(app).services.db
        assert db.engine.dialect.name == "postgresql"
        assert migrations.schema_diff(db) == []
        assert app.test_client().get("/readyz").status_code == 200
        db.dispose()


def test_production_does_not_migrate_and_is_not_ready_until_upgraded(tmp_path: Path) -> None:
    app = create_app(production(tmp_path))
    db: Database = AdapterState.of(app).services.db
    assert migrations.current_revision(db) is None
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "db upgrade" in json_of(response)["checks"]["database"]["error"]
    migrations.upgrade(db)
    assert app.test_client().get("/readyz").status_code == 200
    # the signing key that could not be created at startup is created on first use
    assert json_of(app.test_client().get("/.well-known/jwks.json"))["keys"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_database_makes_the_app_unready_not_crash(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test"
    app = create_app(production(tmp_path, database_url=url))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert json_of(response)["checks"]["database"] == {"ok": False, "error": "unreachable"}
    with pytest.raises(DatabaseNotReady, match="does not answer"):
        AdapterState.of(app).services.db.ping()


def test_storage_services_are_set_on_the_app(tmp_path: Path) -> None:
    services = AdapterState.of(create_app(settings(tmp_path))).services
    assert isinstance(services.db, Database)
    assert isinstance(services.platforms, SqlPlatformStore)
    assert isinstance(services.tool_keys, SqlToolKeyStore)
    assert isinstance(services.launch_state, SqlLaunchStateStore)
    assert isinstance(services.nonces, SqlNonceStore)
    assert services.launch_state.pop("nothing") is None
    assert services.nonces.consume("https://lms.example", "n", 60) is True
    assert services.platforms.list() == []


@pytest.mark.redis
def test_redis_url_switches_launch_state_and_nonces_to_redis(tmp_path: Path) -> None:
    app: Flask = create_app(settings(tmp_path, redis_url="redis://127.0.0.1:6379/0"))
    services = AdapterState.of(app).services
    assert isinstance(services.launch_state, RedisLaunchStateStore)
    assert isinstance(services.nonces, RedisNonceStore)
    assert json_of(app.test_client().get("/readyz"))["checks"]["redis"] == {"ok": True}


def test_unreachable_redis_makes_the_app_unready(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path, redis_url=f"redis://127.0.0.1:{_closed_port()}/0"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert json_of(response)["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}


def _locked_new_file(path: Path) -> sqlite3.Connection:
    """A new (rollback-journal) database file with a write lock held on it."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_switching_a_locked_new_file_to_wal_waits_for_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers starting together: one holds the new file's lock while another connects."""
    holder = _locked_new_file(tmp_path / "new.db")
    waits: list[float] = []

    def release_while_waiting(seconds: float) -> None:
        waits.append(seconds)
        holder.execute("COMMIT")

    monkeypatch.setattr(db_module.time, "sleep", release_while_waiting)
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert len(waits) == 1
    db.dispose()
    holder.close()


def test_a_lock_held_past_the_busy_timeout_still_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = _locked_new_file(tmp_path / "new.db")
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 0)
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    with pytest.raises(OperationalError, match="locked"), db.engine.connect():
        pass
    db.dispose()
    holder.close()


def _migrate_when_all_are_ready(barrier: Any, url: str, results: Any) -> None:
    try:
        db = Database(url)
        barrier.wait()
        results.put(migrations.upgrade_if_behind(db))
        db.dispose()
    except BaseException as err:  # reported to the parent, which fails the test
        results.put(repr(err))


def test_workers_starting_at_once_migrate_exactly_once(database_url: str) -> None:
    context = multiprocessing.get_context("fork")
    workers = 4
    barrier, results = context.Barrier(workers), context.Queue()
    processes = [
        context.Process(target=_migrate_when_all_are_ready, args=(barrier, database_url, results))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join()
    assert sorted(outcomes, key=repr) == [False] * (workers - 1) + [True]
    db = Database(database_url)
    assert migrations.schema_diff(db) == []
    db.dispose()
