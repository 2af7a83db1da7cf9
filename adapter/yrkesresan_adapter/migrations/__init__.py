"""Alembic migrations of the adapter's schema, shipped inside the package.

``upgrade(db)`` brings a database to the newest revision, ``current_revision(db)`` and
``head_revision()`` say where it stands, ``schema_diff(db)`` lists differences between the
database and :data:`yrkesresan_adapter.models.metadata` (empty when they match).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from yrkesresan_adapter.models import metadata

if TYPE_CHECKING:
    from yrkesresan_adapter.db import Database

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


def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(db: Database, revision: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def upgrade_if_behind(db: Database) -> bool:
    """Upgrade to head unless already there; True when something was migrated."""
    if is_current(db):
        return False
    upgrade(db)
    return True


def schema_diff(db: Database) -> list[Any]:
    """Differences between the database and the models (Alembic ``compare_metadata``)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))
