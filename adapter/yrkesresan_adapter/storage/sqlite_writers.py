"""SQLite writers wait in line on a lock file instead of polling SQLite's lock.

SQLite (WAL) lets one connection write at a time. A writer that finds the database locked
calls SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries
(``sqlite3_busy_timeout``), however soon the lock is free: under gunicorn's workers most
of a contended write's wait is sleeping past the moment it could have gone on. A launch
holds the lock from its first write (the nonce) to its commit, and with four workers on
two cores they slept in the busy handler about twice a launch (``docs/benchmarks.md``).

:class:`QueuedConnection` (the ``sqlite3.connect`` factory of a file database) takes an
exclusive ``flock`` on ``<database>-writers`` just before a statement that begins a write
transaction, and lets it go when that transaction ends (commit, rollback, close). The
kernel hands the lock to the next waiter the moment it is let go, and waiters sleep
without polling. SQLite's own locking is unchanged and still decides: the lock file only
orders the writers of this code, and a writer outside it (the ``sqlite3`` shell, a
migration's ``BEGIN IMMEDIATE``) meets the busy handler as before.

A statement *begins a write transaction* exactly when the ``sqlite3`` module opens one for
it: ``INSERT``, ``UPDATE``, ``DELETE`` or ``REPLACE`` outside a transaction (its legacy
transaction control, which SQLAlchemy uses), or an explicit ``BEGIN IMMEDIATE`` /
``BEGIN EXCLUSIVE``. Reads never wait in line.

A writer waits in line at most :attr:`QueuedConnection.line_timeout` (10 s, SQLite's busy
timeout in :mod:`~yrkesresan_adapter.storage.database`); then it logs
``sqlite_writers_line_timeout`` and goes on without its place, to meet SQLite's lock and busy
timeout as before: a transaction left open for long (a stuck process, a long maintenance
job) makes the other writes fail with "database is locked" (the pages' 503 with
``Retry-After``), not hang until gunicorn kills the worker. A blocking ``flock`` cannot time
out, so a contended wait (the first, non-blocking try failed) blocks in a helper thread on a
duplicate of the lock file's descriptor (the same lock) while the writer waits for it with
a timeout; a helper that gets the lock after its writer went on lets it go at once.

A thread that already holds the line through one connection does not queue again for a
second one (it would wait for itself): that write meets SQLite's busy timeout, as before.
The lock is tied to the open file, so it ends with the process, whatever ends it; a child
of ``os.fork`` closes its copies of the parent's lock files (:func:`forget_inherited`).
A blocking ``flock`` rather than a lock library: ``filelock`` and ``fasteners`` wait by
polling too (``filelock`` every 50 ms by default), which is what this replaces.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Self

log = logging.getLogger("yrkesresan.db")

_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE"})
_EXCLUSIVE_BEGIN = frozenset({"IMMEDIATE", "EXCLUSIVE"})

_held = threading.local()
"""``holder``: the connection through which this thread waits in line, if any."""


def _holder() -> QueuedConnection | None:
    """The connection through which this thread holds the line, if it still does."""
    ref = getattr(_held, "holder", None)
    holder = ref() if ref is not None else None
    return holder if holder is not None and holder.line_held else None


_LOCK_FILES: weakref.WeakSet[_WriterLine] = weakref.WeakSet()


def begins_write(sql: str) -> bool:
    """Whether ``sql``, run outside a transaction, makes the ``sqlite3`` module (or the
    statement itself) open a write transaction."""
    words = _leading_words(sql)
    if not words:
        return False
    first = words[0]
    if first in _WRITES:
        return True
    return first == "BEGIN" and len(words) > 1 and words[1] in _EXCLUSIVE_BEGIN


def _leading_words(sql: str) -> list[str]:
    """The first two keywords of ``sql``, upper-cased, after whitespace and comments."""
    text = sql.lstrip()
    while text.startswith(("--", "/*")):
        if text.startswith("--"):
            end = text.find("\n")
            text = "" if end < 0 else text[end + 1 :].lstrip()
        else:
            end = text.find("*/")
            text = "" if end < 0 else text[end + 2 :].lstrip()
    return text[:40].upper().split(None, 2)[:2]


_WAITING_FDS: set[int] = set()
"""Duplicates of lock-file descriptors that helper threads are waiting on (closed in a
forked child, like the lock files themselves)."""


class _Waiter:
    """A blocking ``flock`` for ``line`` on a duplicate of its descriptor (the same open file,
    so the same lock), in a thread of its own, so that the writer can stop waiting for it.

    When the helper gets the lock it decides under the line's guard: for a writer still
    waiting it marks the line held; for one that went on (:meth:`taken` timed out) it lets
    the lock go again, unless the line has been taken since through its own descriptor (the
    same open file: that lock is the line's now). A line has one helper at a time: a write
    that queues while an earlier one's helper still waits takes that helper over."""

    def __init__(self, line: _WriterLine, fd: int) -> None:
        self._line = line
        self._fd = os.dup(fd)
        _WAITING_FDS.add(self._fd)
        self.done = False
        self._finished = threading.Event()
        self.abandoned = False
        threading.Thread(target=self._wait, name="sqlite-writers-line", daemon=True).start()

    def _wait(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            with self._line.guard:
                if not self.abandoned:
                    self._line.held = True
                elif not self._line.held:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
        except OSError as err:  # the writer's wait times out and it goes on
            log.debug("waiting in the SQLite writers' line failed (%s)", type(err).__name__)
        finally:
            with self._line.guard:
                self.done = True
                _WAITING_FDS.discard(self._fd)
                os.close(self._fd)  # a lock taken stays: the line's own descriptor holds it
            self._finished.set()

    def taken(self, timeout: float) -> bool:
        """Whether the line was taken within ``timeout`` seconds (else the helper lets the
        lock go as soon as it gets it)."""
        self._finished.wait(timeout)
        with self._line.guard:
            if self._line.held:
                return True
            self.abandoned = True
            return False


class _WriterLine:
    """One connection's place in the line: its own open lock file."""

    def __init__(self, path: str) -> None:
        self._fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self.held = False
        self.guard = threading.Lock()
        self._waiter: _Waiter | None = None
        _LOCK_FILES.add(self)

    def acquire(self, timeout: float) -> bool:
        """Take the line, waiting at most ``timeout`` seconds; whether it was taken."""
        with self.guard:
            if self.held:
                return True
            if self._fd is None:
                return False
            waiter = self._waiter
            if waiter is not None and not waiter.done:
                waiter.abandoned = False  # an earlier write's helper still waits: take it over
            else:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # another writer holds it: wait, but not for ever
                    waiter = self._waiter = _Waiter(self, self._fd)
                else:
                    self.held = True
                    return True
        return waiter.taken(timeout)

    def release(self) -> None:
        with self.guard:
            if not self.held or self._fd is None:
                return
            self.held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close this lock file. The lock belongs to the open file, which a forked child
        shares with its parent: it ends when the holder lets go or every copy is closed."""
        with self.guard:
            fd, self._fd = self._fd, None
            self.held = False
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)


def lock_path(database: str) -> str:
    return database + "-writers"


class QueuedCursor(sqlite3.Cursor):
    """A cursor whose statements that begin a write transaction first wait in line."""

    connection: QueuedConnection

    def execute(self, sql: str, parameters: Any = (), /) -> QueuedCursor:
        return self._in_line(super().execute, sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> QueuedCursor:
        return self._in_line(super().executemany, sql, parameters)

    def _in_line(self, run: Callable[[str, Any], object], sql: str, parameters: Any) -> Self:
        connection = self.connection
        queued = connection.wait_in_line(sql)
        try:
            run(sql, parameters)
        finally:
            if queued or connection.line_held:
                connection.leave_line_unless_writing()
        return self


class QueuedConnection(sqlite3.Connection):
    """``sqlite3.connect(path, factory=QueuedConnection)``: a connection whose write
    transactions wait in line on ``<path>-writers`` (see the module's docstring)."""

    line_timeout: float = 10.0
    """Seconds a write waits in line before it goes on to meet SQLite's own lock."""

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._line: _WriterLine | None = None
        name = os.fspath(database) if not isinstance(database, bytes) else database.decode()
        if name and name != ":memory:" and not name.startswith("file:") and not kwargs.get("uri"):
            try:
                self._line = _WriterLine(lock_path(name))
            except OSError as err:  # a read-only directory: SQLite's own locking only
                log.debug("no writers' lock file for SQLite (%s)", type(err).__name__)

    @property
    def line_held(self) -> bool:
        return self._line is not None and self._line.held

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or QueuedCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        # sqlite3's own Connection.execute runs the statement past the cursor's execute
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def wait_in_line(self, sql: str) -> bool:
        """Take this connection's place in the line if ``sql`` begins a write transaction
        (and this thread does not hold the line already); whether it did."""
        line = self._line
        if line is None or line.held or self.in_transaction or not begins_write(sql):
            return False
        if _holder() is not None:
            return False  # this thread holds the line through another connection
        started = time.monotonic()
        if not line.acquire(self.line_timeout):
            log.warning(
                "sqlite_writers_line_timeout",
                extra={
                    "event": "sqlite_writers_line_timeout",
                    "waited_s": round(time.monotonic() - started, 1),
                },
            )
            return False
        _held.holder = weakref.ref(self)
        return True

    def leave_line_unless_writing(self) -> None:
        if not self.in_transaction:
            self._leave_line()

    def _leave_line(self) -> None:
        line = self._line
        if line is not None and line.held:
            if _holder() is self:
                _held.holder = None
            line.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_line_unless_writing()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_line_unless_writing()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._leave_line()
            if self._line is not None:
                self._line.close()


def forget_inherited() -> None:
    """In a child of ``os.fork``: close the copies of the parent's lock files, so that a
    lock the parent holds ends with the parent's own release."""
    for line in list(_LOCK_FILES):
        line.guard = threading.Lock()  # a parent's thread may have held it at the fork
        line.close()
    for fd in list(_WAITING_FDS):  # a parent's helper thread did not come along
        _WAITING_FDS.discard(fd)
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.holder = None
