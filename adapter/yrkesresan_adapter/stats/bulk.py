"""Upserting many rows of a summary table in one statement whose text never changes.

SQLAlchemy sends a multi-row upsert as ``INSERT … VALUES (…), (…) …`` with one set of
placeholders per row: its text differs with the number of rows, and with more than 50
parameters psycopg neither caches its parsing of the query nor prepares it on the server.
A click's summary rows (some 10 units of 8 columns) paid that parsing every time. On
PostgreSQL the rows travel instead as one array per column::

    INSERT INTO t (a, b) SELECT a, b FROM unnest(:a, :b) WITH ORDINALITY AS r(a, b, n)
    ORDER BY n ON CONFLICT … RETURNING …

one short text for any number of rows (parsed once, prepared by psycopg after a few uses),
rows in the order given (writers lock rows in key order). SQLite has no arrays: there the
rows travel as one JSON text, a list of rows each a list of the columns' values::

    INSERT INTO t (a, b) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')
    FROM json_each(:rows) WHERE 1 ON CONFLICT … RETURNING …

also one text for any number of rows, so it runs as a
:class:`~yrkesresan_adapter.storage.driver_statements.Precompiled` on the driver's cursor
(SQLAlchemy's multi-row insert with some 80 parameters cost a click ≈ 0.3 ms of Python
building and processing them; the ``WHERE`` is SQLite's rule for an upsert from a
``SELECT``). The values must be JSON's (the summary's are integers and texts); SQLite
reads a JSON integer as an integer and a string as text, what the columns hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    SmallInteger,
    Table,
    Text,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeEngine

from yrkesresan_adapter.storage.arrays import Array
from yrkesresan_adapter.storage.driver_statements import Precompiled
from yrkesresan_adapter.storage.scope import Executor, dialect_of

SetClause = Callable[[Table, Any, str], dict[str, Any]]
"""The ``SET`` of ``ON CONFLICT DO UPDATE``: (table, the statement's ``excluded``, the
dialect's name) → values."""

_ORDINAL = "bulk_n"


def _array_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    integer = isinstance(column_type, (Integer, BigInteger, SmallInteger))
    return Array(BigInteger() if integer else Text())


class BulkUpsert:
    """``INSERT … ON CONFLICT (conflict) DO UPDATE SET … [RETURNING …]`` of many rows of
    ``columns``, its statement built once per dialect."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        conflict: Sequence[str],
        set_: SetClause,
        returning: Sequence[str] = (),
    ) -> None:
        self.table, self.columns, self.conflict = table, tuple(columns), list(conflict)
        self.set_, self.returning = set_, tuple(returning)
        self._built: dict[str, Any] = {}

    def execute(self, db: Executor, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """Upsert ``rows`` (dicts with every column, in lock order); the returned rows."""
        if not rows:
            return []
        dialect = dialect_of(db)
        statement = self._built.get(dialect)
        if statement is None:
            statement = self._built[dialect] = self._build(db, dialect)
        if dialect == "postgresql":
            arrays = {f"bulk_{c}": [row[c] for row in rows] for c in self.columns}
            result = db.execute(statement, arrays)
            return list(result) if self.returning else []
        text = json.dumps([[row[c] for c in self.columns] for row in rows], separators=(",", ":"))
        found: list[Any] = statement.all(db, {"bulk_rows": text})
        return found

    def _build(self, db: Executor, dialect: str) -> Any:
        t = self.table
        if dialect == "postgresql":
            arrays = [bindparam(f"bulk_{c}", type_=_array_type(t.c[c].type)) for c in self.columns]
            given = (
                func.unnest(*arrays)
                .table_valued(*self.columns, with_ordinality=_ORDINAL)
                .render_derived(name="bulk_rows")
            )
            rows = select(*(given.c[c] for c in self.columns)).order_by(given.c[_ORDINAL])
            statement: Any = postgresql.insert(t).from_select(list(self.columns), rows)
        else:
            given = func.json_each(bindparam("bulk_rows", type_=Text())).table_valued("value")
            values = [
                func.json_extract(
                    given.c.value, literal_column(f"'$[{i}]'"), type_=t.c[c].type
                ).label(c)
                for i, c in enumerate(self.columns)
            ]
            # SQLite: "WHERE" tells an upsert's ON CONFLICT from a join's ON
            rows = select(*values).select_from(given).where(literal_column("1"))
            statement = sqlite.insert(t).from_select(list(self.columns), rows)
        statement = statement.on_conflict_do_update(
            index_elements=self.conflict, set_=self.set_(t, statement.excluded, dialect)
        )
        if self.returning:
            statement = statement.returning(*(t.c[c] for c in self.returning))
        return statement if dialect == "postgresql" else Precompiled(statement)
