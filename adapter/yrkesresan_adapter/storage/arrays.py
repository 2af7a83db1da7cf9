"""Array parameters that psycopg sends without inspecting them element by element.

The bulk statements of a click (the outbox entries, the ledger rows and the statistics
summary, ``unnest(…)`` of one array per column) pass some 20 arrays per click. psycopg's
own list dumper finds each list's element type by looking at its elements and builds a new
dumper for it, on every execution (≈ 10–20 µs per array, ≈ 0.3 ms of a click). An
:class:`Array` column type knows its element type: on psycopg it hands the driver a
list subclass (:class:`TextArray`, …) for which :func:`register` installs a binary dumper
of that element type, fixed. The statement text is the same (the same ``::TYPE[]`` casts);
only the parameter's encoding differs, and PostgreSQL receives the same values. A
connection without those dumpers (one not made by :class:`~.database.Database`) dumps the
subclasses as the plain lists they are.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from psycopg import adapt
from psycopg.abc import AdaptContext
from psycopg.pq import Format
from sqlalchemy import BigInteger, LargeBinary, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from yrkesresan_lti.sqltypes import UtcDateTime

_HEADER = struct.Struct("!iiIii")  # dimensions, has nulls, element oid, length, lower bound
_EMPTY = struct.Struct("!iiI")
_LENGTH = struct.Struct("!i")
_INT8 = struct.Struct("!iq")  # length 8, the value
_NULL = _LENGTH.pack(-1)
_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class TextArray(list[str | None]):
    """A ``text[]`` parameter."""


class BigIntArray(list[int | None]):
    """A ``bigint[]`` parameter."""


class ByteaArray(list[bytes | None]):
    """A ``bytea[]`` parameter."""


class TimestamptzArray(list[datetime | None]):
    """A ``timestamptz[]`` parameter (timezone-aware times)."""


def _array(element_oid: int, parts: list[bytes], count: int, nulls: bool) -> bytes:
    if not count:
        return _EMPTY.pack(0, 0, element_oid)
    return b"".join([_HEADER.pack(1, int(nulls), element_oid, count, 1), *parts])


class _ArrayDumper(adapt.Dumper):
    """PostgreSQL's binary array format (one dimension, lower bound 1)."""

    format = Format.BINARY
    element_oid = 0

    def element(self, value: Any) -> bytes:
        raise NotImplementedError

    def dump(self, obj: Any) -> bytes:
        parts: list[bytes] = []
        nulls = False
        for value in obj:
            if value is None:
                parts.append(_NULL)
                nulls = True
            else:
                parts.append(self.element(value))
        return _array(self.element_oid, parts, len(obj), nulls)


class _TextArrayDumper(_ArrayDumper):
    oid = 1009  # text[]
    element_oid = 25

    def __init__(self, cls: type, context: AdaptContext | None = None) -> None:
        super().__init__(cls, context)
        self._encoding = "utf-8"
        if self.connection is not None:
            self._encoding = self.connection.info.encoding

    def element(self, value: Any) -> bytes:
        data: bytes = value.encode(self._encoding)
        return _LENGTH.pack(len(data)) + data


class _BigIntArrayDumper(_ArrayDumper):
    oid = 1016  # int8[]
    element_oid = 20

    def element(self, value: Any) -> bytes:
        return _INT8.pack(8, value)


class _ByteaArrayDumper(_ArrayDumper):
    oid = 1001  # bytea[]
    element_oid = 17

    def element(self, value: Any) -> bytes:
        data = bytes(value)
        return _LENGTH.pack(len(data)) + data


class _TimestamptzArrayDumper(_ArrayDumper):
    oid = 1185  # timestamptz[]
    element_oid = 1184

    def element(self, value: Any) -> bytes:
        delta = value - _PG_EPOCH  # microseconds since 2000-01-01 UTC, as PostgreSQL keeps it
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return _INT8.pack(8, micros)


_DUMPERS: tuple[tuple[type, type[adapt.Dumper]], ...] = (
    (TextArray, _TextArrayDumper),
    (BigIntArray, _BigIntArrayDumper),
    (ByteaArray, _ByteaArrayDumper),
    (TimestamptzArray, _TimestamptzArrayDumper),
)


def register(connection: Any, _record: Any = None) -> None:
    """The dumpers on a new psycopg ``connection`` (an engine's ``connect`` listener)."""
    adapters = getattr(connection, "driver_connection", connection).adapters
    for cls, dumper in _DUMPERS:
        adapters.register_dumper(cls, dumper)


class Array(TypeDecorator[list[Any]]):
    """``postgresql.ARRAY(item_type)`` whose values reach psycopg as the list subclass of
    their element type (text, big integers, bytes or UTC times; other types: as ARRAY)."""

    impl = postgresql.ARRAY
    cache_ok = True

    def __init__(self, item_type: TypeEngine[Any]) -> None:
        super().__init__(item_type)
        self.item_type = item_type  # by its argument's name: part of the type's cache key

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        wrap = _wrapper(self.item_type) if dialect.driver == "psycopg" else None
        if wrap is None:
            return super().bind_processor(dialect)
        item = (
            self.item_type.bind_processor(dialect)
            if isinstance(self.item_type, UtcDateTime)
            else None
        )

        def process(value: Iterable[Any] | None) -> Any:
            if value is None:
                return None
            if item is None:
                return wrap(value)
            return wrap(None if v is None else item(v) for v in value)

        return process


def _wrapper(item: TypeEngine[Any]) -> Callable[[Iterable[Any]], list[Any]] | None:
    if isinstance(item, UtcDateTime):
        return TimestamptzArray
    if isinstance(item, BigInteger):
        return BigIntArray
    if isinstance(item, Text):
        return TextArray
    if isinstance(item, LargeBinary):
        return ByteaArray
    return None
