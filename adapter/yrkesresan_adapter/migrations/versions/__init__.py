"""Alembic revisions of the adapter's schema (loaded by Alembic, not imported)."""
