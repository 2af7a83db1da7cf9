"""Alembic migrations of the adapter's schema, shipped inside the package.

``upgrade(db)`` brings a database to the newest revision, ``current_revision(db)`` and
``head_revision()`` say where it stands, ``schema_diff(db)`` lists differences between the
database and :func:`yrkesresan_adapter.tables.all_tables` (empty when they match).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, Literal

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.tables import all_tables
from yrkesresan_adapter.web import health
from yrkesresan_lti.exceptions import DatabaseNotReady

log = logging.getLogger("yrkesresan.db")
SCRIPT_LOCATION = "yrkesresan_adapter:migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


@cache
def head_revision() -> str | None:
    """The newest revision shipped with this version of the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(db: Database) -> bool:
    return current_revision(db) == head_revision()


RevisionState = Literal["current", "behind", "empty", "unknown"]


def revision_state(revision: str | None) -> RevisionState:
    """Where ``revision`` stands against this package's migrations: ``unknown`` is a
    revision they do not contain (a newer version of the package migrated the database)."""
    if revision == head_revision():
        return "current"
    if revision is None:
        return "empty"
    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        return "unknown"
    return "behind" if known is not None else "unknown"


def upgrade(db: Database, revision: str = "head") -> None:
    with _migration_lock(db) as connection:
        _run(command.upgrade, connection, revision)


def downgrade(db: Database, revision: str) -> None:
    with _migration_lock(db) as connection:
        _run(command.downgrade, connection, revision)


def upgrade_if_behind(db: Database) -> bool:
    """Upgrade to head unless already there; True when something was migrated.

    Safe when several processes start at once: the first migrates while holding the
    migration lock, the others wait for it and then find the schema current.
    """
    if is_current(db):
        return False
    with _migration_lock(db) as connection:
        if MigrationContext.configure(connection).get_current_revision() == head_revision():
            return False
        _run(command.upgrade, connection, "head")
    return True


MIGRATION_LOCK_ID = 0x59524B53
"""PostgreSQL advisory lock key held while migrating."""


@contextmanager
def _migration_lock(db: Database) -> Iterator[Connection]:
    """A connection in a transaction that only one migrating process holds at a time."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Take the write lock up front (others wait up to the busy timeout).
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_ID}
            )
        yield connection
        connection.commit()


def _run(step: Callable[[Config, str], None], connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    step(config, revision)


def schema_diff(db: Database) -> list[Any]:
    """Differences between the database and the models (Alembic ``compare_metadata``)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, all_tables()))


def init_app(app: Flask, *, upgrade: bool | None = None) -> None:
    """Outside production (or when ``upgrade`` is true) migrate the schema to the newest
    revision on startup when it is behind; in production run ``yrkesresan db upgrade``.
    ``/readyz`` fails while the schema is behind."""
    state = AdapterState.of(app)
    db = state.services.db
    if upgrade if upgrade is not None else not state.settings.production:
        upgrade_if_behind(db)
    else:
        try:
            if not is_current(db):
                log.warning(
                    "db_schema_behind",
                    extra={"event": "db_schema_behind", "fix": "yrkesresan db upgrade"},
                )
        except SQLAlchemyError as err:  # /readyz reports it; the app can still start
            log.warning(
                "db_unreachable", extra={"event": "db_unreachable", "error": type(err).__name__}
            )
    health.add_check(app, "database", lambda: _readiness(db))


def _readiness(db: Database) -> tuple[bool, dict[str, object]]:
    """Reachable, and the schema at the newest revision."""
    try:
        db.ping()
    except DatabaseNotReady:
        return False, {"error": "unreachable"}
    if not is_current(db):
        return False, {"error": "schema behind, run 'yrkesresan db upgrade'"}
    return True, {}
