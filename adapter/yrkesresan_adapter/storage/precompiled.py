"""A click's hot statements run from SQL compiled once, without SQLAlchemy's per-call work.

``connection.execute(statement, params)`` on a Core statement computes the statement's cache
key (a walk over the whole statement: a click's upserts are ``WITH``s of several ``INSERT``s),
looks its compiled form up, builds every parameter through ``construct_params`` and the
result's metadata from the compiled columns (measured: 10 µs of a small upsert's 22 µs on
SQLite, 13–15 µs per statement on PostgreSQL). :class:`Precompiled` compiles the statement
once per dialect and set of parameter names (an ``INSERT`` takes its columns from them, as
in ``execute``) and sends the SQL text with
:meth:`~sqlalchemy.engine.Connection.exec_driver_sql`: the same text, the same parameter
values (the statement's own bound values and the column types' bind processors applied as
SQLAlchemy applies them), the same events (``before_cursor_execute``), the same error
wrapping of the driver's errors (a bind processor's own error, e.g. a naive time, is raised
as it is, not as a ``StatementError``). The rows come as the driver gives them (no result
processors): for statements without rows or whose caller reads typed values itself (see
``pages.click_reads``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import CursorResult
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from yrkesresan_adapter.storage.scope import Executor


class _Form:
    """The statement compiled for one dialect: SQL text, fixed values, bind processors."""

    def __init__(self, statement: ClauseElement, dialect: Dialect, keys: Iterable[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=sorted(keys))
        if not isinstance(compiled, SQLCompiler):
            raise TypeError("only SQL statements can be precompiled")
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("a statement with expanding or literal-execute parameters")
        if compiled.escaped_bind_names:
            raise ValueError("a statement with bound parameter names that need escaping")
        if any(bind.callable is not None for bind in compiled.binds.values()):
            raise ValueError("a statement with a bound value computed at execution")
        self.text = compiled.string
        self.fixed: dict[str, Any] = {
            compiled.bind_names[bind]: bind.effective_value
            for bind in compiled.binds.values()
            if not bind.required
        }
        self.required = frozenset(
            compiled.bind_names[bind] for bind in compiled.binds.values() if bind.required
        )
        processors: Mapping[str, Any] = compiled._bind_processors
        self.processors: tuple[tuple[str, Callable[[Any], Any]], ...] = tuple(
            (name, processor) for name, processor in processors.items() if callable(processor)
        )
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup or ()) if compiled.positional else None
        )

    def parameters(self, params: Mapping[str, Any]) -> Any:
        missing = self.required.difference(params)
        if missing:
            raise KeyError(f"no value for the statement's parameters {sorted(missing)}")
        values = {**self.fixed, **params}
        for name, processor in self.processors:
            values[name] = processor(values[name])
        if self.order is None:
            return values
        return tuple(values[name] for name in self.order)


class Precompiled:
    """``statement`` (a Core statement, built once) compiled once per dialect."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._forms: dict[tuple[str, str, frozenset[str]], _Form] = {}

    def execute(self, db: Executor, params: Mapping[str, Any]) -> CursorResult[Any]:
        """Run the statement with ``params`` in ``db``'s transaction (one set of values)."""
        connection: Connection = db.connection() if isinstance(db, Session) else db
        dialect = connection.dialect
        keys = frozenset(params)  # an INSERT's columns are the parameters' (as SQLAlchemy's)
        form = self._forms.get((dialect.name, dialect.driver, keys))
        if form is None:
            form = self._forms[(dialect.name, dialect.driver, keys)] = _Form(
                self.statement, dialect, keys
            )
        return connection.exec_driver_sql(form.text, form.parameters(params))
