"""The database: one SQLAlchemy engine and session factory per app.

SQLite (the default, a file under ``instance/``) gets WAL journal mode, foreign keys and a
busy timeout on every connection, so several workers can share the file; their writers wait
in line on a lock file (:mod:`~yrkesresan_adapter.storage.sqlite_writers`). PostgreSQL (by
URL, for production): a pooled connection the server closed (a restart, a terminated
backend, an idle timeout) is replaced when it is checked out instead of failing a request;
see :func:`_replace_if_closed_by_server` (no round trip for a healthy connection, unlike
``pool_pre_ping``).

After ``os.fork()`` (gunicorn's ``--preload``, a ``multiprocessing`` fork) the child forgets
the pooled connections it inherited, without closing them (:func:`_forget_inherited_pools`):
two processes on one socket would interleave their statements, and closing it would end
the parent's session. The child opens its own on first use.

``with db.transaction():`` makes every ``db.session()``/``db.connection()`` inside the block
(in this thread or task) share one connection and one transaction: a launch pops its state,
consumes its nonce and stores its context with a single commit instead of one per store.
"""

from __future__ import annotations

import logging
import os
import select
import sqlite3
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage import arrays, sqlite_writers
from yrkesresan_lti.exceptions import DatabaseNotReady

log = logging.getLogger("yrkesresan.db")

SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another one before giving up."""


class Database:
    """An engine plus a session factory. ``with db.session() as s:`` commits on success."""

    def __init__(
        self,
        url: str | URL,
        *,
        connect_args: Mapping[str, Any] | None = None,
        engine_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.url = make_url(url)
        options: dict[str, Any] = dict(engine_options or {})
        if self.is_sqlite and self.url.database not in (None, "", ":memory:"):
            _sqlite_file_parent(self.url)
        options.setdefault("hide_parameters", True)  # no row values in errors or logs
        arguments = dict(connect_args or {})
        if self.is_sqlite:  # writers wait in line rather than poll SQLite's lock
            arguments.setdefault("factory", sqlite_writers.QueuedConnection)
        self.engine: Engine = create_engine(self.url, connect_args=arguments, **options)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _configure_sqlite_connection)
        elif not options.get("pool_pre_ping"):
            event.listen(self.engine, "checkout", self._replace_if_closed_by_server)
        if self.engine.dialect.driver == "psycopg":  # the bulk statements' arrays, dumped fast
            event.listen(self.engine, "connect", arrays.register)
        self.sessionmaker: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        _forget_in_forked_children(self.engine)
        self._shared: ContextVar[_SharedSession | None] = ContextVar(
            f"yrkesresan-db-{id(self)}", default=None
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.
        Inside :meth:`transaction`, the block joins the shared session and transaction."""
        shared = self._shared.get()
        if shared is not None:
            yield shared.session()
            return
        with self.sessionmaker() as session, session.begin():
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A core connection in one transaction (lighter than :meth:`session` for single
        prebuilt statements); inside :meth:`transaction`, the block's connection."""
        shared = self._shared.get()
        if shared is not None:
            yield shared.connection()
            return
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def ephemeral(self) -> Iterator[Connection]:
        """Like :meth:`connection`, for a short-lived value that may be lost in a power cut
        or crash (an OIDC login state lives 10 minutes; the learner then starts again):
        its commit does not wait for the disk. SQLite (WAL) commits it with ``synchronous =
        NORMAL`` and restores the connection's setting; PostgreSQL with ``synchronous_commit
        = off`` for this transaction. The database stays consistent either way, and a later
        durable commit makes this one durable too. Inside :meth:`transaction` it joins the
        shared transaction (and its durability)."""
        shared = self._shared.get()
        if shared is not None:
            yield shared.connection()
            return
        with self.engine.connect() as connection:
            if self.is_sqlite:
                durable = connection.exec_driver_sql("PRAGMA synchronous").scalar()
                connection.exec_driver_sql("PRAGMA synchronous = NORMAL")
            else:
                connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
            try:
                yield connection
                connection.commit()
            finally:
                connection.rollback()
                if self.is_sqlite:
                    connection.exec_driver_sql(f"PRAGMA synchronous = {int(durable or 2)}")
                    connection.commit()

    @contextmanager
    def transaction(self, *, commit_on: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
        """Run every :meth:`session` and :meth:`connection` of the block in one connection and
        one transaction (the sessions are one ORM session on that connection, made only when
        a block asks for a session).

        The connection is opened on first use (a block that never touches the database costs
        nothing). It commits when the block ends normally or with one of ``commit_on`` (e.g.
        a refused launch must still burn its state), and rolls back on any other error.
        Nested calls join the outer transaction.
        """
        if self._shared.get() is not None:
            yield
            return
        shared = _SharedSession(self.engine, self.sessionmaker)
        reset = self._shared.set(shared)
        try:
            yield
        except commit_on:
            shared.finish(commit=True)
            raise
        except BaseException:
            shared.finish(commit=False)
            raise
        else:
            shared.finish(commit=True)
        finally:
            self._shared.reset(reset)

    def ping(self) -> None:
        """Raise :class:`DatabaseNotReady` unless a trivial query succeeds."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as err:
            raise DatabaseNotReady(
                f"the database does not answer: {type(err).__name__}",
                error=type(err).__name__,
            ) from err

    def dispose(self) -> None:
        self.engine.dispose()

    def _replace_if_closed_by_server(
        self, dbapi_connection: Any, _record: Any, _proxy: Any
    ) -> None:
        """On checkout from the pool (PostgreSQL): ping the connection only if the server
        sent something while it sat idle, and have the pool replace it if the ping fails.

        An idle connection's socket has nothing to read unless the server spoke: a server
        that ends a session (shutdown or restart, ``pg_terminate_backend``,
        ``idle_session_timeout``) sends its FATAL error and closes the socket, so checking
        for input (a ``poll`` with no timeout, no round trip) finds exactly the connections
        ``pool_pre_ping`` would find dead; those, and any closed one, get the same ping. A
        :class:`~sqlalchemy.exc.DisconnectionError` from a checkout listener makes the pool
        discard the connection and check out a new one (SQLAlchemy's documented custom
        pessimistic disconnect handling). What neither detects before use: a server that
        ends the session after the checkout, or a network that drops packets without a
        reset (a ping would hang on it too).
        """
        if not dbapi_connection.closed:
            poller = select.poll()
            poller.register(dbapi_connection.fileno(), select.POLLIN)
            if not poller.poll(0):
                return
        try:
            self.engine.dialect.do_ping(dbapi_connection)
        except Exception as err:
            log.info("replacing a pooled connection the server closed (%s)", type(err).__name__)
            raise DisconnectionError("the server closed the pooled connection") from err

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"


class _SharedSession:
    """The lazily opened connection of one :meth:`Database.transaction` block, and the ORM
    session on it when a block asks for one (a launch's statements need none: a session's
    set-up, commit and close cost about as much as the statements themselves)."""

    def __init__(self, engine: Engine, factory: sessionmaker[Session]) -> None:
        self._engine = engine
        self._factory = factory
        self._connection: Connection | None = None
        self._session: Session | None = None

    def connection(self) -> Connection:
        if self._connection is None:
            connection = self._engine.connect()
            try:
                connection.begin()
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def session(self) -> Session:
        """A session in the block's transaction: it flushes into it, never commits it (the
        block does, once, in :meth:`finish`); its rollback rolls the whole block back."""
        if self._session is None:
            self._session = self._factory(
                bind=self.connection(), join_transaction_mode="rollback_only"
            )
        return self._session

    def finish(self, *, commit: bool) -> None:
        connection, self._connection = self._connection, None
        session, self._session = self._session, None
        if connection is None:
            return
        try:
            if session is not None:
                if commit:
                    session.commit()  # flushes the session's objects into the transaction
                else:
                    session.rollback()
            if commit:
                connection.commit()
            else:
                connection.rollback()
        finally:
            try:
                if session is not None:
                    session.close()
            finally:
                connection.close()


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
"""Every live engine, for :func:`_forget_inherited_pools` in a forked child."""


def _forget_in_forked_children(engine: Engine) -> None:
    _register_fork_hook()
    _ENGINES.add(engine)


@cache
def _register_fork_hook() -> None:
    """Register :func:`_forget_inherited_pools` to run in every child of ``os.fork()``,
    once per process (on the first :class:`Database`, not at import)."""
    os.register_at_fork(after_in_child=_forget_inherited_pools)


def close_pooled_connections() -> None:
    """Close the idle pooled connections of every engine in this process (one in use stays
    open until it is returned, and is closed then). For a process that is done with the
    database but lives on: gunicorn's preloaded master, which migrated while it loaded
    the app and then only forks and watches its workers."""
    for engine in list(_ENGINES):
        engine.dispose()


def _forget_inherited_pools() -> None:
    """In a forked child: replace each engine's pool with an empty one and leave the
    inherited connections to the parent (SQLAlchemy's ``dispose(close=False)``, its advice
    for ``os.fork``). Closing them here would end the parent's PostgreSQL sessions;
    psycopg and sqlite3 leave a connection made in another process alone when it is
    garbage-collected."""
    for engine in list(_ENGINES):
        engine.dispose(close=False)
    sqlite_writers.forget_inherited()


def _sqlite_file_parent(url: URL) -> None:
    assert url.database is not None
    if not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite_writers.QueuedConnection):
        dbapi_connection.line_timeout = SQLITE_BUSY_TIMEOUT_MS / 1000  # then SQLite's lock
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _enable_wal(cursor)
    finally:
        cursor.close()


def _enable_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, waiting like the busy timeout does.

    Switching a new database file to WAL needs an exclusive lock, and SQLite answers
    "database is locked" at once (its busy handler does not cover it) while another process
    holds a lock, e.g. several workers starting together, one of them migrating.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    delay = 0.002
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def init_app(app: Flask, database: Database | None = None) -> Database:
    """Set ``services.db`` (its ``/readyz`` check, reachable and schema current, is
    :func:`yrkesresan_adapter.migrations.init_app`'s)."""
    state = AdapterState.of(app)
    db = database or Database(state.settings.sqlalchemy_url)
    state.services.db = db
    return db
