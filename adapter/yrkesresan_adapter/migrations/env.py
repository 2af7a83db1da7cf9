"""Alembic environment: runs on the connection :mod:`yrkesresan_adapter.migrations` hands in.

Used through ``yrkesresan db ...``; a plain ``alembic`` run with ``sqlalchemy.url`` set in
the config works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from yrkesresan_adapter.tables import all_tables


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=all_tables(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=all_tables(), literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    if not url:
        raise RuntimeError("set sqlalchemy.url or use 'yrkesresan db upgrade'")
    engine = create_engine(url, poolclass=pool.NullPool, hide_parameters=True)
    with engine.begin() as new_connection:
        _run(new_connection)


_main()
