"""Array parameters (:mod:`yrkesresan_adapter.storage.arrays`): PostgreSQL receives the same
values through their binary dumpers as through psycopg's own list dumper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import psycopg
import pytest
from psycopg.adapt import PyFormat
from psycopg.pq import Format
from sqlalchemy import BigInteger, LargeBinary, Text, bindparam, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import StatementError

from tests.db_fixtures import postgres_schema_url
from yrkesresan_adapter.storage import arrays
from yrkesresan_adapter.storage.arrays import Array
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.sqltypes import UtcDateTime

pytestmark = pytest.mark.postgres

STOCKHOLM = timezone(timedelta(hours=1))
CASES: list[tuple[Any, list[Any]]] = [
    (Text(), ["a", "", None, 'åäö "quoted" \\ {braces}, commas', "x" * 3000]),
    (Text(), []),
    (Text(), [None]),
    (BigInteger(), [0, -1, 2026, 2**62, None]),
    (BigInteger(), []),
    (LargeBinary(), [b"", b'\x00\xff{}"', None, b'{"id": "x"}']),
    (
        UtcDateTime(),
        [
            datetime(2026, 12, 7, 6, 42, 50, 817000, tzinfo=UTC),
            datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
            datetime(2026, 3, 29, 2, 30, tzinfo=STOCKHOLM),
            None,
        ],
    ),
]


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    with postgres_schema_url() as url:
        database = Database(url)
        yield database
        database.dispose()


def _selected(db: Database, type_: Any, values: list[Any]) -> tuple[Any, list[Any]]:
    """The array as PostgreSQL received it, and its elements one per row (``unnest``)."""
    given = bindparam("given", type_=type_)
    with db.connection() as connection:
        whole = connection.execute(select(given), {"given": values}).scalar_one()
        rows = connection.execute(select(func.unnest(given)), {"given": values}).scalars()
        return whole, list(rows)


@pytest.mark.parametrize(("item", "values"), CASES)
def test_the_same_values_as_psycopgs_own_list_dumper(
    db: Database, item: Any, values: list[Any]
) -> None:
    ours = _selected(db, Array(item), values)
    theirs = _selected(db, postgresql.ARRAY(item), values)
    assert ours == theirs
    expected = [v.astimezone(UTC) if isinstance(v, datetime) else v for v in values]
    assert [bytes(v) if isinstance(v, memoryview) else v for v in ours[1]] == expected


def test_the_statement_text_is_postgresqls_array_cast() -> None:
    dialect = postgresql.psycopg.dialect()  # type: ignore[attr-defined]
    for item, _values in CASES:
        ours = select(bindparam("given", type_=Array(item))).compile(dialect=dialect)
        theirs = select(bindparam("given", type_=postgresql.ARRAY(item))).compile(dialect=dialect)
        assert str(ours) == str(theirs)


def test_the_cache_key_tells_element_types_apart() -> None:
    dialect = postgresql.psycopg.dialect()  # type: ignore[attr-defined]
    texts = select(bindparam("given", type_=Array(Text())))
    numbers = select(bindparam("given", type_=Array(BigInteger())))
    assert "TEXT[]" in str(texts.compile(dialect=dialect))
    assert "BIGINT[]" in str(numbers.compile(dialect=dialect))


def test_a_connection_without_the_dumpers_sends_plain_lists(db: Database) -> None:
    """A psycopg connection not made by :class:`Database` dumps the list subclasses with
    psycopg's own list dumper: the same values."""
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url.split("?")[0]) as plain:
        found = plain.execute(
            "SELECT %s::text[], %s::bigint[]",
            (arrays.TextArray(["a", None]), arrays.BigIntArray([1])),
        ).fetchone()
    assert found == (["a", None], [1])


def test_database_connections_dump_them_binary(db: Database) -> None:
    with db.connection() as connection:
        adapters = connection.connection.driver_connection.adapters  # type: ignore[union-attr]
        for cls in (arrays.TextArray, arrays.BigIntArray, arrays.ByteaArray):
            assert adapters.get_dumper(cls, PyFormat.AUTO).format is Format.BINARY


def test_naive_times_are_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="timezone-aware"):
        _selected(db, Array(UtcDateTime()), [datetime(2026, 1, 1)])
