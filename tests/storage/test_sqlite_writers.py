"""SQLite writers wait in line on a lock file (storage/sqlite_writers.py).

A second writer used to poll SQLite's lock with sleeps of 1, 2, 5, 10 … ms; now it waits on
the writers' lock file and goes on when the first one ends its transaction. SQLite's own
lock still decides: these tests give the waiting connection no busy timeout at all, so it
would fail at once ("database is locked") had it reached SQLite's lock while the other
writer held it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from yrkesresan_adapter.storage import sqlite_writers
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.sqlite_writers import (
    QueuedConnection,
    begins_write,
    forget_inherited,
    lock_path,
)

DEADLINE_S = 30
"""How long a test waits for something that should happen at once (a hang fails it)."""


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'tool.db'}")
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT)"))
    yield db
    db.dispose()


def _rows(db: Database) -> list[str]:
    with db.engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT x FROM t ORDER BY x"))]


def _waiters(path: str) -> int:
    """How many flock requests wait on ``path`` (``/proc/locks`` lists them with ``->``)."""
    inode = os.stat(path).st_ino
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if "->" in line and line.split()[-3].endswith(f":{inode}"))


def _until(condition: Callable[[], bool]) -> None:
    """Wait until ``condition`` holds (a hang fails the test after :data:`DEADLINE_S`)."""
    done = threading.Event()
    for _ in range(DEADLINE_S * 1000):
        if condition():
            return
        done.wait(0.001)
    raise AssertionError("the condition never held")


@contextmanager
def _holding_a_write(database: Database, value: str) -> Iterator[None]:
    """A write transaction of ``database`` (one row ``value``) open for the block."""
    with database.transaction(), database.connection() as connection:
        connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": value})
        yield


def _write_without_busy_timeout(db: Database, value: str, errors: list[BaseException]) -> None:
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout = 0")
            connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": value})
            connection.commit()
    except BaseException as err:  # reported to the test
        errors.append(err)


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ("INSERT INTO t VALUES (1)", True),
        ("  update t SET x = 1", True),
        ("-- a comment\nDELETE FROM t", True),
        ("/* one */ /* two */ REPLACE INTO t VALUES (1)", True),
        ("BEGIN IMMEDIATE", True),
        ("begin exclusive transaction", True),
        ("BEGIN", False),
        ("SELECT * FROM t", False),
        ("PRAGMA synchronous = NORMAL", False),
        ("WITH a AS (SELECT 1) SELECT * FROM a", False),
        ("", False),
        ("-- only a comment", False),
    ],
)
def test_statements_that_begin_a_write_transaction(sql: str, writes: bool) -> None:
    assert begins_write(sql) is writes


def test_a_second_writer_waits_in_line_instead_of_meeting_the_lock(
    database: Database, tmp_path: Path
) -> None:
    """Another worker (its own engine) writes while the first holds a write transaction:
    it waits on the lock file and commits when the first one has committed."""
    other = Database(database.url)
    errors: list[BaseException] = []
    waiting = threading.Thread(target=_write_without_busy_timeout, args=(other, "b", errors))
    with _holding_a_write(database, "a"):
        waiting.start()
        _until(lambda: _waiters(lock_path(str(tmp_path / "tool.db"))) == 1)
    waiting.join(DEADLINE_S)
    assert not waiting.is_alive()
    assert errors == []
    assert _rows(database) == ["a", "b"]
    other.dispose()


def test_a_rolled_back_writer_lets_the_next_one_go(database: Database, tmp_path: Path) -> None:
    other = Database(database.url)
    errors: list[BaseException] = []
    waiting = threading.Thread(target=_write_without_busy_timeout, args=(other, "b", errors))

    def fail_while_the_other_waits() -> None:
        with database.transaction():
            with database.connection() as connection:
                connection.execute(text("INSERT INTO t VALUES ('a')"))
            waiting.start()
            _until(lambda: _waiters(lock_path(str(tmp_path / "tool.db"))) == 1)
            raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError):
        fail_while_the_other_waits()
    waiting.join(DEADLINE_S)
    assert errors == []
    assert _rows(database) == ["b"]
    other.dispose()


def test_readers_do_not_wait_for_a_writer(database: Database) -> None:
    read: list[list[str]] = []
    with _holding_a_write(database, "a"):
        reader = threading.Thread(target=lambda: read.append(_rows(database)))
        reader.start()
        reader.join(DEADLINE_S)
        assert read == [[]]  # the reader saw the last commit, while the write was open
    assert _rows(database) == ["a"]


def test_a_second_connection_of_the_same_thread_meets_sqlites_lock_not_a_hang(
    database: Database,
) -> None:
    """Waiting in line behind itself would never end: that write fails as before."""
    with _holding_a_write(database, "a"), database.engine.connect() as other:
        other.exec_driver_sql("PRAGMA busy_timeout = 0")
        with pytest.raises(OperationalError, match="locked"):
            other.execute(text("INSERT INTO t VALUES ('b')"))
    assert _rows(database) == ["a"]


def _hold_a_write(path: str, ready: Any) -> None:
    connection = sqlite3.connect(path, factory=QueuedConnection)
    connection.execute("INSERT INTO t VALUES ('held')")  # never committed
    ready.set()
    signal.pause()


def test_a_writer_killed_in_its_transaction_leaves_the_line_free(
    database: Database, tmp_path: Path
) -> None:
    path = str(tmp_path / "tool.db")
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    holder = context.Process(target=_hold_a_write, args=(path, ready))
    holder.start()
    assert ready.wait(DEADLINE_S)
    assert holder.pid is not None
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(DEADLINE_S)
    errors: list[BaseException] = []
    _write_without_busy_timeout(database, "after", errors)
    assert errors == []
    assert _rows(database) == ["after"]


def test_a_forked_child_lets_go_of_the_lock_files_it_inherited(tmp_path: Path) -> None:
    """Else a lock the parent holds when it dies would live on in the child."""
    path = str(tmp_path / "tool.db")
    connection = sqlite3.connect(path, factory=QueuedConnection)
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.execute("INSERT INTO t VALUES ('a')")
    assert connection.line_held
    inherited = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
    pid = os.fork()
    if pid == 0:  # the child: Database registers forget_inherited to run here
        forget_inherited()
        left = {int(fd) for fd in os.listdir("/proc/self/fd")}
        os._exit(0 if not connection.line_held and len(left) < len(inherited) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert connection.line_held
    connection.commit()
    assert not connection.line_held
    connection.close()


def test_an_in_memory_database_has_no_lock_file(tmp_path: Path) -> None:
    db = Database("sqlite://")
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT)"))
        connection.execute(text("INSERT INTO t VALUES ('a')"))
    assert list(tmp_path.iterdir()) == []
    db.dispose()


def _impatient(database: Database, seconds: float) -> Database:
    """Another worker's database whose writes wait in line at most ``seconds``."""
    other = Database(database.url)

    @event.listens_for(other.engine, "connect")
    def _impatient_line(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.line_timeout = seconds

    return other


def test_a_writer_waits_in_line_no_longer_than_its_timeout_then_meets_sqlites_lock(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A transaction left open (a stuck process, a long job) must not make every other
    write hang until gunicorn kills its worker: after its time in line a write goes on and
    fails as it did before the line, with SQLite's "database is locked" (a 503 page)."""
    other = _impatient(database, 0.05)
    errors: list[BaseException] = []
    waiting = threading.Thread(target=_write_without_busy_timeout, args=(other, "b", errors))
    with caplog.at_level("WARNING", logger="yrkesresan.db"), _holding_a_write(database, "a"):
        waiting.start()
        waiting.join(DEADLINE_S)
        assert not waiting.is_alive()  # it did not wait for the commit below
    assert [type(err) for err in errors] == [OperationalError]
    assert "locked" in str(errors[0])
    assert _rows(database) == ["a"]
    timeouts = [r for r in caplog.records if r.getMessage() == "sqlite_writers_line_timeout"]
    assert len(timeouts) == 1
    other.dispose()


def test_the_line_still_orders_writers_after_one_gave_up_waiting(
    database: Database, tmp_path: Path
) -> None:
    """The helper that waited for the writer who went on lets the lock go as soon as it gets
    it: the next writers wait in line and commit, none meets SQLite's lock."""
    path = lock_path(str(tmp_path / "tool.db"))
    impatient = _impatient(database, 0.05)
    gave_up: list[BaseException] = []
    with _holding_a_write(database, "a"):
        impatient_writer = threading.Thread(  # another thread: this one holds the line
            target=_write_without_busy_timeout, args=(impatient, "x", gave_up)
        )
        impatient_writer.start()
        impatient_writer.join(DEADLINE_S)  # waited 0.05 s in line, then met SQLite's lock
        assert _waiters(path) == 1  # its helper still waits for the lock
    # the helper gets the lock and lets it go. Wait for its thread to end, not for the line
    # to look free: woken by the commit, it is briefly neither waiting nor holding, and the
    # next writer could take the line first and have it queue again behind that one
    _until(lambda: not any(t.name == "sqlite-writers-line" for t in threading.enumerate()))
    assert _waiters(path) == 0
    patient = Database(database.url)
    errors: list[BaseException] = []
    waiting = threading.Thread(target=_write_without_busy_timeout, args=(patient, "c", errors))
    with _holding_a_write(database, "b"):
        waiting.start()
        _until(lambda: _waiters(path) == 1)
    waiting.join(DEADLINE_S)
    assert [type(err) for err in gave_up] == [OperationalError]
    assert errors == []
    assert _rows(database) == ["a", "b", "c"]
    _write_without_busy_timeout(impatient, "d", errors)  # its own connection takes the line
    assert errors == []
    for each in (impatient, patient):
        each.dispose()


def test_a_write_that_queues_again_takes_over_the_helper_still_waiting(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One connection gives up waiting, then writes again while the line is still taken:
    it waits on the helper that still waits for the first write (one waiter, not two) and
    gets the line when the holder commits."""
    waits: list[float] = []  # each write's wait for a helper, as it begins
    taken = sqlite_writers._Waiter.taken

    def counted(waiter: Any, timeout: float) -> bool:
        waits.append(timeout)
        return taken(waiter, timeout)

    monkeypatch.setattr(sqlite_writers._Waiter, "taken", counted)
    path = str(tmp_path / "tool.db")
    late = sqlite3.connect(path, factory=QueuedConnection, timeout=0, check_same_thread=False)
    late.line_timeout = 0.05
    outcomes: list[str] = []

    def write(value: str) -> None:
        try:
            late.execute("INSERT INTO t VALUES (?)", (value,))
            late.commit()
            outcomes.append(value)
        except sqlite3.OperationalError as err:
            late.rollback()
            outcomes.append(str(err))

    with _holding_a_write(database, "a"):
        first = threading.Thread(target=write, args=("x",))
        first.start()
        first.join(DEADLINE_S)
        assert outcomes == ["database is locked"]
        late.line_timeout = DEADLINE_S
        second = threading.Thread(target=write, args=("y",))
        second.start()
        _until(lambda: len(waits) == 2)  # the second write waits too
        assert _waiters(lock_path(path)) == 1
    second.join(DEADLINE_S)
    assert outcomes == ["database is locked", "y"]
    assert _rows(database) == ["a", "y"]
    late.close()
