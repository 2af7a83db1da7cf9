"""The worker's bookkeeping commits without waiting for the disk, and only its own."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, Engine, Table, func, insert, select

from yrkesresan_lti.outbox.durability import bookkeeping


def _setting(engine: Engine, conn: Connection | None = None) -> str:
    query = "PRAGMA synchronous" if engine.dialect.name == "sqlite" else "SHOW synchronous_commit"
    if conn is not None:
        return str(conn.exec_driver_sql(query).scalar())
    with engine.connect() as fresh:
        return str(fresh.exec_driver_sql(query).scalar())


def _wal(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode = WAL")


def test_a_bookkeeping_transaction_does_not_wait_for_the_disk_and_restores_the_setting(
    engine: Engine, app_table: Table
) -> None:
    _wal(engine)
    durable = _setting(engine)
    assert durable in ("2", "on")  # FULL / on: the defaults
    with bookkeeping(engine) as conn:
        assert _setting(engine, conn) in ("1", "off")  # NORMAL / off
        conn.execute(insert(app_table).values(task="t1"))
    assert _setting(engine) == durable
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(app_table)).scalar() == 1


def test_a_failed_bookkeeping_transaction_rolls_back_and_restores_the_setting(
    engine: Engine, app_table: Table
) -> None:
    _wal(engine)
    durable = _setting(engine)

    def failing() -> None:
        with bookkeeping(engine) as conn:
            conn.execute(insert(app_table).values(task="t1"))
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        failing()
    assert _setting(engine) == durable
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(app_table)).scalar() == 0


def test_sqlite_with_a_rollback_journal_keeps_every_commit_durable(
    engine: Engine, app_table: Table
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's journal mode")
    with bookkeeping(engine) as conn:  # not WAL: NORMAL could corrupt on a power cut
        assert _setting(engine, conn) == "2"
        conn.execute(insert(app_table).values(task="t1"))
