"""Transactions the database refused because of another transaction at the same time.

PostgreSQL aborts one of two transactions that wait for each other (deadlock, ``40P01``),
one that cannot be serialized (``40001``) or one that cannot get a lock in time
(``55P03``); SQLite answers "database is locked" when its busy timeout runs out. Each time the
whole transaction is rolled back, so nothing of it is stored and the request can be sent
again: the pages answer 503 with ``Retry-After`` (:mod:`yrkesresan_adapter.web.error_pages`)
instead of an internal error.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from yrkesresan_lti.exceptions import DatabaseBusy

CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
"""serialization_failure, deadlock_detected, lock_not_available."""


def is_conflict(error: DBAPIError) -> bool:
    """Whether the database rolled ``error``'s transaction back for another one."""
    original = error.orig
    if getattr(original, "sqlstate", None) in CONFLICT_SQLSTATES:
        return True
    return isinstance(original, sqlite3.OperationalError) and "database is locked" in str(original)


def raise_if_conflict(error: DBAPIError) -> None:
    """Raise :class:`DatabaseBusy` from ``error`` when it is such a conflict (the message
    names the driver's error class only: never the statement or its parameters)."""
    if is_conflict(error):
        name = type(error.orig).__name__
        raise DatabaseBusy(f"{name}: the transaction was rolled back, nothing stored") from error
