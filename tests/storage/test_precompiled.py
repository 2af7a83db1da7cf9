"""``Precompiled`` (:mod:`yrkesresan_adapter.storage.driver_statements`): a statement built
once per dialect and set of parameter names stores and returns what ``connection.execute``
would, on SQLite and PostgreSQL, in a session or on a connection, with SQLAlchemy's errors."""

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
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.driver_statements import Precompiled
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


def _upsert(db: Database) -> Any:
    module: Any = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    upsert = module.insert(things).values(name=bindparam("name"), kind="fixed", at=bindparam("at"))
    return upsert.on_conflict_do_update(
        index_elements=["name"], set_={"at": upsert.excluded.at}
    ).returning(things.c.id, things.c.kind)


def test_it_stores_and_returns_what_execute_would(db: Database) -> None:
    statement = _upsert(db)
    at = datetime(2026, 3, 29, 2, 30, tzinfo=STOCKHOLM)
    precompiled = Precompiled(statement)
    with db.connection() as connection:
        connection.execute(statement, {"name": "by-execute", "at": at})
        first = precompiled.all(connection, {"name": "a", "at": at})
        again = precompiled.first(connection, {"name": "a", "at": at + timedelta(hours=1)})
    with db.session() as session:  # a session's connection, the same statement built once
        precompiled.first(session, {"name": "b", "at": at})
        session.commit()
    assert [tuple(r) for r in first] == [(2, "fixed")]
    assert tuple(again) == (2, "fixed")  # the upsert's second run: the same row
    with db.connection() as connection:
        rows = connection.execute(select(things.c.name, things.c.at).order_by(things.c.id)).all()
    assert [tuple(r) for r in rows] == [
        ("by-execute", at),
        ("a", at + timedelta(hours=1)),
        ("b", at),
    ]
    assert rows[0].at.tzinfo is not None


def test_an_insert_without_values_takes_its_columns_from_the_parameters(db: Database) -> None:
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    bare = Precompiled(insert(things))
    with db.connection() as connection:
        bare.first(connection, {"name": "b", "kind": "k", "at": at})
        bare.first(connection, {"name": "c", "kind": "k", "at": at, "id": 40})
        rows = connection.execute(select(things.c.id, things.c.name, things.c.at)).all()
    assert [(r.name, r.at) for r in rows] == [("b", at), ("c", at)]
    assert rows[1].id == 40


def test_errors_are_sqlalchemys_and_missing_parameters_are_named(db: Database) -> None:
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    statement = Precompiled(insert(things))
    with db.connection() as connection:
        statement.first(connection, {"name": "d", "kind": "k", "at": at})
        with pytest.raises(IntegrityError):
            statement.first(connection, {"name": "d", "kind": "k", "at": at})
    upsert = Precompiled(_upsert(db))
    with db.connection() as connection, pytest.raises(KeyError, match="'at'"):
        upsert.first(connection, {"name": "e"})
    with db.connection() as connection, pytest.raises(ValueError, match="aware"):
        upsert.first(connection, {"name": "e", "at": datetime(2026, 12, 7)})


def test_a_statement_with_expanding_parameters_is_refused(db: Database) -> None:
    expanding = select(things.c.id).where(things.c.name.in_(bindparam("names", expanding=True)))
    with db.connection() as connection, pytest.raises(ValueError, match="expanding"):
        Precompiled(expanding).all(connection, {"names": ["a"]})
