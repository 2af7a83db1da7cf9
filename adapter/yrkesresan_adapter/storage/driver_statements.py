"""Hot statements (a launch's, a click's) run on the driver's cursor: compiled once, not
once per execution.

``Connection.execute`` of a prebuilt statement costs SQLAlchemy ≈ 40–70 µs in a launch on
top of the driver's own ≈ 20 µs (the statement's cache key and look-up, an execution
context, the result's set-up); a launch runs five. A :class:`DriverStatement` is a Core
statement compiled once for the engine's dialect, with its parameters' bind processors and
its columns' result processors (SQLite's date-times and booleans, JSON as text, psycopg's
JSON wrapper: what SQLAlchemy would apply), that :meth:`DriverStatement.execute` and
:meth:`DriverStatement.all` run on the DB-API cursor of the caller's SQLAlchemy connection,
in the caller's transaction; rows are named tuples. :class:`Precompiled` builds one
per dialect and set of parameter names on first use, for code that runs on either database
and in a session or on a connection.

What stays SQLAlchemy's: a statement that needs SQLAlchemy at execution time is refused
when it is built (Python-side column defaults, expanding ``IN`` parameters, escaped
parameter names); the transaction (begun first when the connection has none, so
SQLAlchemy commits or rolls back what the driver ran); errors, raised as SQLAlchemy's
:class:`~sqlalchemy.exc.DBAPIError` subclasses (parameters hidden), with a connection the
server dropped invalidated, as ``Connection.execute`` does. And **a connection or engine
with event listeners** (statement counters, tracing) runs the statement through
``Connection.execute`` instead, so they see every statement as before.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import SelectBase

_Bind = tuple[str, str, "Callable[[Any], Any] | None", BindParameter[Any]]


class DriverStatement:
    """``statement`` compiled for ``dialect`` with ``keys`` as the parameters it is given
    (an ``INSERT`` without ``values()`` inserts exactly those columns)."""

    def __init__(
        self,
        statement: UpdateBase | SelectBase,
        dialect: Dialect,
        keys: Collection[str] = (),
    ) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=sorted(keys))
        if not isinstance(compiled, SQLCompiler):
            raise ValueError("not a SQL statement")
        if (
            compiled.insert_prefetch
            or compiled.update_prefetch
            or compiled.literal_execute_params
            or compiled.post_compile_params
            or compiled.escaped_bind_names
        ):
            raise ValueError(
                "Python-side defaults or expanding parameters need SQLAlchemy's execution"
            )
        columns = list(
            statement.selected_columns
            if isinstance(statement, SelectBase)
            else compiled.effective_returning or ()
        )
        self.statement = statement
        self.sql: str = compiled.string
        self._dialect = dialect
        self._returns = bool(columns)
        fields = [c.key or f"c{i}" for i, c in enumerate(columns)]
        row_type: Any = namedtuple("Row", fields, rename=True)  # type: ignore[misc]
        self._make: Callable[[Iterable[Any]], Any] = row_type._make
        processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self._convert = tuple(processors) if any(processors) else None
        self._positional = bool(compiled.positional)
        names = list(compiled.positiontup or ()) if self._positional else list(compiled.binds)
        binds: list[_Bind] = []
        for name in names:
            bind = compiled.binds[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((name, bind.key, process, bind))
        self._binds = tuple(binds)

    def execute(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        """Run the statement with ``params`` in ``connection``'s transaction; its first row
        (``RETURNING``), or None."""
        rows = self._run(connection, params, first=True)
        return rows[0] if rows else None

    def all(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Every row of the statement (named tuples, values converted as SQLAlchemy does)."""
        return self._run(connection, params, first=False)

    def _run(self, connection: Connection, params: Mapping[str, Any], *, first: bool) -> list[Any]:
        if _observed(connection):
            result = connection.execute(cast(Executable, self.statement), dict(params))
            if not self._returns:
                return []
            if first:
                row = result.first()
                return [] if row is None else [row]
            return list(result.all())
        values = [self._value(bind, params) for bind in self._binds]
        arguments: Any = (
            tuple(values)
            if self._positional
            else {bind[0]: value for bind, value in zip(self._binds, values, strict=True)}
        )
        if not connection.in_transaction():
            connection.begin()  # else the driver's own transaction would escape SQLAlchemy's
        proxied = connection.connection
        cursor = proxied.cursor()
        try:
            cursor.execute(self.sql, arguments)
            if not self._returns:
                raw: Sequence[Any] = []
            elif first:
                one = cursor.fetchone()
                raw = [] if one is None else [one]
            else:
                raw = cursor.fetchall()
        except self._dialect.loaded_dbapi.Error as err:
            dropped = self._dialect.is_disconnect(err, proxied.dbapi_connection, cursor)
            wrapped = DBAPIError.instance(
                self.sql,
                None,
                err,
                self._dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=self._dialect,
                connection_invalidated=dropped,
            )
            if dropped:
                connection.invalidate(err)
            raise wrapped from err
        finally:
            cursor.close()
        make, convert = self._make, self._convert
        if convert is None:
            return [make(row) for row in raw]
        return [
            make([value if f is None else f(value) for f, value in zip(convert, row, strict=True)])
            for row in raw
        ]

    @staticmethod
    def _value(bind: _Bind, params: Mapping[str, Any]) -> Any:
        name, key, process, parameter = bind
        if key in params:
            value = params[key]
        elif name in params:
            value = params[name]
        elif parameter.callable is not None:
            value = parameter.callable()
        elif not parameter.required:
            value = parameter.value
        else:
            raise KeyError(f"a value is required for the parameter {key!r}")
        return value if process is None else process(value)


def _observed(connection: Connection) -> bool:
    """Whether event listeners watch this connection's statements (SQLAlchemy's own test;
    True when the attributes are not there, so a change falls back to ``execute``)."""
    return bool(
        getattr(connection, "_has_events", True) or getattr(connection.engine, "_has_events", True)
    )


class Precompiled:
    """``statement`` as a :class:`DriverStatement` per dialect and set of parameter names,
    built on first use (an ``INSERT`` without ``values()`` inserts the given columns)."""

    def __init__(self, statement: UpdateBase | SelectBase) -> None:
        self.statement = statement
        self._built: dict[tuple[str, str, frozenset[str]], DriverStatement] = {}

    def first(self, db: Connection | Session, params: Mapping[str, Any]) -> Any:
        """Run the statement in ``db``'s transaction; its first row, or None."""
        connection, built = self._of(db, params)
        return built.execute(connection, params)

    def all(self, db: Connection | Session, params: Mapping[str, Any]) -> list[Any]:
        """Run the statement in ``db``'s transaction; every row (named tuples)."""
        connection, built = self._of(db, params)
        return built.all(connection, params)

    def _of(
        self, db: Connection | Session, params: Mapping[str, Any]
    ) -> tuple[Connection, DriverStatement]:
        connection = db.connection() if isinstance(db, Session) else db
        dialect = connection.dialect
        key = (dialect.name, dialect.driver, frozenset(params))
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = DriverStatement(self.statement, dialect, key[2])
        return connection, built
