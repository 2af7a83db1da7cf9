"""The one clock and the one id factory of the project.

Everything that reads the time of day takes a :class:`Clock` (default :data:`SYSTEM_CLOCK`)
and everything that makes an id takes an id factory (default :func:`new_id`), so tests pass
a fake clock instead of patching. ``now()`` is always timezone-aware UTC.

Durations measured inside one process (cache lifetimes) use :func:`time.monotonic`, not a
clock: they must not jump when the time of day is corrected.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "IdFactory", "SystemClock", "new_id", "new_uuid", "utcnow"]

IdFactory = Callable[[], str]
"""Makes a new, unique, opaque id."""


class Clock(Protocol):
    """Tells the time of day."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The computer's clock."""

    def now(self) -> datetime:
        """The computer's time of day, timezone-aware, in UTC."""
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


SYSTEM_CLOCK: Clock = SystemClock()


def utcnow() -> datetime:
    """The current time of the system clock, timezone-aware, in UTC."""
    return datetime.now(UTC)


_VERSION_4_CLEAR = ((1 << 128) - 1) & ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_id() -> str:
    """A new random id: 32 hex digits (a version-4 UUID without dashes).

    The bits :class:`uuid.UUID` sets for ``version=4`` (version 4, RFC 4122 variant) set on
    16 random bytes, without building a ``UUID`` (every request makes one: half the time).
    """
    value = int.from_bytes(os.urandom(16)) & _VERSION_4_CLEAR | _VERSION_4_SET
    return f"{value:032x}"


def new_uuid() -> str:
    """A new random version-4 UUID in its canonical form, with dashes (statement ids)."""
    return str(uuid.uuid4())
