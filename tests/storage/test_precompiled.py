"""Precompiled statements (:mod:`yrkesresan_adapter.storage.precompiled`): the driver receives
the same SQL text and the same parameter values as from ``connection.execute``, on SQLite and
PostgreSQL, with SQLAlchemy's events and error wrapping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.precompiled import Precompiled
from yrkesresan_lti.sqltypes import UtcDateTime

STOCKHOLM = timezone(timedelta(hours=1))
metadata = MetaData()
things = Table(
    "precompiled_things",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)


@pytest.fixture
def db(database: Database) -> Iterator[Database]:
    metadata.create_all(database.engine)
    yield database
    metadata.drop_all(database.engine)


def _sent(db: Database, run: Any) -> list[tuple[str, Any]]:
    """What the driver received (SQL text, parameters) while ``run(connection)`` ran."""
    sent: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with db.connection() as connection:
            run(connection)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return sent


def _upsert(db: Database) -> Any:
    module: Any = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    upsert = module.insert(things).values(name=bindparam("name"), kind="fixed", at=bindparam("at"))
    return upsert.on_conflict_do_update(
        index_elements=["name"], set_={"at": upsert.excluded.at}
    ).returning(things.c.id, things.c.kind)


def test_the_driver_receives_what_execute_would_send(db: Database) -> None:
    statement = _upsert(db)
    given = {"name": "a", "at": datetime(2026, 3, 29, 2, 30, tzinfo=STOCKHOLM)}
    by_execute = _sent(db, lambda c: c.execute(statement, given).all())
    precompiled = Precompiled(statement)
    rows: list[Any] = []
    by_precompiled = _sent(db, lambda c: rows.extend(precompiled.execute(c, given).all()))
    assert by_precompiled == by_execute
    assert [tuple(r) for r in rows] == [(1, "fixed")]  # the upsert's second run: the same row


def test_an_insert_without_values_takes_its_columns_from_the_parameters(db: Database) -> None:
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    bare = Precompiled(insert(things))
    with db.connection() as connection:
        bare.execute(connection, {"name": "b", "kind": "k", "at": at})
        bare.execute(connection, {"name": "c", "kind": "k", "at": at, "id": 40})
        rows = connection.execute(select(things.c.id, things.c.name, things.c.at)).all()
    assert [(r.name, r.at) for r in rows] == [("b", at), ("c", at)]
    assert rows[1].id == 40


def test_errors_are_sqlalchemys_and_missing_parameters_are_named(db: Database) -> None:
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    statement = Precompiled(insert(things))
    with db.connection() as connection:
        statement.execute(connection, {"name": "d", "kind": "k", "at": at})
        with pytest.raises(IntegrityError):
            statement.execute(connection, {"name": "d", "kind": "k", "at": at})
    upsert = Precompiled(_upsert(db))
    with db.connection() as connection, pytest.raises(KeyError, match="'at'"):
        upsert.execute(connection, {"name": "e"})
    with db.connection() as connection, pytest.raises(ValueError, match="aware"):
        upsert.execute(connection, {"name": "e", "at": datetime(2026, 12, 7)})


def test_a_statement_with_expanding_parameters_is_refused(db: Database) -> None:
    expanding = select(things.c.id).where(things.c.name.in_(bindparam("names", expanding=True)))
    with db.connection() as connection, pytest.raises(ValueError, match="expanding"):
        Precompiled(expanding).execute(connection, {"names": ["a"]})
