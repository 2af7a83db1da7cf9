"""Fixtures of the occasion tests: an empty migrated database on SQLite and PostgreSQL."""

from tests.db_fixtures import database, database_url  # noqa: F401 - fixtures
