"""``DriverStatement``: a launch's writes on the driver's cursor store what SQLAlchemy's
``execute`` stores, in the caller's transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    bindparam,
    event,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from yrkesresan_adapter.lti.oidc_stores import SqlNonceStore
from yrkesresan_adapter.lti.session import SqlLaunchContextStore
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.driver_statements import DriverStatement
from yrkesresan_adapter.storage.models import LaunchState, UsedNonce

ISSUER = "https://moodle.kommun.example"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def states() -> Table:
    return cast(Table, LaunchState.__table__)


def put(database: Database) -> DriverStatement:
    return DriverStatement(
        insert(states()), database.engine.dialect, ("key", "value", "expires_at")
    )


def stored(database: Database) -> list[tuple[Any, ...]]:
    table = states()
    with database.engine.connect() as connection:
        query = select(table.c.key, table.c.value, table.c.expires_at).order_by(table.c.key)
        return [tuple(row) for row in connection.execute(query)]


def test_the_driver_stores_what_sqlalchemy_stores(database: Database) -> None:
    value = {"sub": "ärende-1", "roles": ["Learner"], "custom": {}, "none": None}
    with database.engine.begin() as connection:
        put(database).execute(connection, {"key": "a", "value": value, "expires_at": NOW})
        connection.execute(insert(states()), {"key": "b", "value": value, "expires_at": NOW})
    (_, driver_value, driver_expiry), (_, core_value, core_expiry) = stored(database)
    assert driver_value == core_value == value
    assert driver_expiry == core_expiry


def test_the_driver_runs_in_the_callers_transaction(database: Database) -> None:
    with database.engine.connect() as connection:
        put(database).execute(connection, {"key": "gone", "value": {}, "expires_at": NOW})
        connection.rollback()
        put(database).execute(connection, {"key": "kept", "value": {}, "expires_at": NOW})
        assert connection.in_transaction()  # begun by the statement: SQLAlchemy commits it
        connection.commit()
    assert [row[0] for row in stored(database)] == ["kept"]


def test_the_nonce_is_used_once_with_its_returning_row(database: Database) -> None:
    nonces = SqlNonceStore(database)
    assert nonces.consume(ISSUER, "n1", 600)
    assert not nonces.consume(ISSUER, "n1", 600)  # ON CONFLICT … WHERE: nothing returned
    assert nonces.consume(ISSUER, "n2", 600)
    table = cast(Table, UsedNonce.__table__)
    with database.engine.connect() as connection:
        assert connection.execute(select(table.c.nonce).order_by(table.c.nonce)).all() == [
            ("n1",),
            ("n2",),
        ]


def test_a_stored_launch_reads_back(database: Database) -> None:
    store = SqlLaunchContextStore(database)
    store.put("l1", {"sub": "s", "n": 1}, 600)
    assert store.get("l1") == {"sub": "s", "n": 1}
    expiry = stored(database)[0][2]
    expiry = expiry if expiry.tzinfo else expiry.replace(tzinfo=UTC)
    assert timedelta(0) < expiry - datetime.now(UTC) <= timedelta(seconds=600)


def test_an_expired_or_unknown_stored_launch_reads_as_none(database: Database) -> None:
    """A page's first request in a worker that has not seen the launch reads it back with a
    driver statement: an expired launch (ttl 0: it expires as it is stored) or an unknown
    one is no launch, so the page answers "launch expired" rather than trusting it."""
    store = SqlLaunchContextStore(database)
    store.put("expired", {"sub": "s"}, 0)
    store.put("live", {"sub": "s"}, 600)
    assert store.get("expired") is None
    assert store.get("unknown") is None
    assert store.get("live") == {"sub": "s"}


def test_errors_are_sqlalchemys(database: Database) -> None:
    statement = put(database)
    with database.engine.connect() as connection:
        statement.execute(connection, {"key": "k", "value": {}, "expires_at": NOW})
        with pytest.raises(IntegrityError):
            statement.execute(connection, {"key": "k", "value": {}, "expires_at": NOW})


def test_listeners_see_every_statement(database: Database) -> None:
    seen: list[str] = []

    def on_execute(*args: Any) -> None:
        seen.append(args[2])

    event.listen(database.engine, "before_cursor_execute", on_execute)
    try:
        with database.engine.begin() as connection:
            put(database).execute(connection, {"key": "k", "value": {}, "expires_at": NOW})
    finally:
        event.remove(database.engine, "before_cursor_execute", on_execute)
    assert [s.split()[:3] for s in seen] == [["INSERT", "INTO", "lti_launch_states"]]
    assert len(stored(database)) == 1


def test_statements_that_need_sqlalchemy_are_refused(database: Database) -> None:
    table = Table(
        "defaults",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", DateTime, default=lambda: NOW),  # a Python-side default
    )
    with pytest.raises(ValueError, match="defaults"):
        DriverStatement(insert(table), database.engine.dialect, ("id",))


def test_rows_are_converted_as_sqlalchemy_converts_them(database: Database) -> None:
    table = states()
    value = {"roles": ["Learner"], "n": 1}
    returned = DriverStatement(
        insert(table).returning(table.c.key, table.c.value, table.c.expires_at),
        database.engine.dialect,
        ("key", "value", "expires_at"),
    )
    query = select(table.c.key, table.c.value, table.c.expires_at).where(
        table.c.key.in_(["a", "b"])
    )
    with pytest.raises(ValueError, match="expanding"):  # an expanding IN needs SQLAlchemy
        DriverStatement(query, database.engine.dialect)
    query = select(table.c.key, table.c.value, table.c.expires_at).where(
        table.c.expires_at >= bindparam("since", type_=table.c.expires_at.type)
    )
    with database.engine.begin() as connection:
        row = returned.execute(connection, {"key": "a", "value": value, "expires_at": NOW})
        assert row is not None
        assert (row.key, row.value) == ("a", value)
        connection.execute(insert(table), {"key": "b", "value": value, "expires_at": NOW})
        driver = DriverStatement(query, database.engine.dialect).all(connection, {"since": NOW})
        core = connection.execute(query, {"since": NOW}).all()
    assert [tuple(r) for r in driver] == [tuple(r) for r in core]
    assert isinstance(driver[0].expires_at, datetime)
    assert driver[0].value == value
