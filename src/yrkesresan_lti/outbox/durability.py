"""The worker's own transactions commit without waiting for the disk.

A lease, a renewal or a recorded outcome that a power cut (SQLite) or a database crash
(PostgreSQL) takes back costs one more delivery of the same bytes, never a lost one: the
entries are pending again and delivered again (at-least-once; an LRS dedupes by statement
id). So the worker commits its bookkeeping like the adapter's ``ephemeral`` values: SQLite
in WAL mode with ``synchronous = NORMAL`` for the transaction (the connection's setting is
restored), PostgreSQL with ``SET LOCAL synchronous_commit = off``. The database stays
consistent either way, and the next durable commit makes these durable too. Other
databases, SQLite not in WAL mode, or a connection already inside a transaction: an
ordinary transaction. The application's own writes (an action and its outbox entries)
are never relaxed: they are not the worker's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine


@contextmanager
def bookkeeping(engine: Engine) -> Iterator[Connection]:
    """A transaction (like ``engine.begin()``) whose commit need not reach the disk."""
    with engine.connect() as conn:
        restore = _relax(conn)
        try:
            yield conn
            conn.commit()
        finally:
            conn.rollback()
            if restore is not None:
                conn.exec_driver_sql(f"PRAGMA synchronous = {restore}")
                conn.commit()


def _relax(conn: Connection) -> int | None:
    """Relax this transaction's commit; SQLite: the setting to restore afterwards."""
    name = conn.dialect.name
    if name == "postgresql":
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        return None
    if name != "sqlite":
        return None
    driver = conn.connection.driver_connection
    if getattr(driver, "in_transaction", True):  # the setting cannot change inside one
        return None
    if conn.exec_driver_sql("PRAGMA journal_mode").scalar() != "wal":
        return None  # a rollback journal with NORMAL could corrupt on a power cut
    durable = int(conn.exec_driver_sql("PRAGMA synchronous").scalar() or 2)
    if durable <= 1:
        return None  # already NORMAL or OFF
    conn.exec_driver_sql("PRAGMA synchronous = NORMAL")
    return durable
