"""Fixtures of the report tests: retries that never sleep, the session's Ralph."""

from __future__ import annotations

from tests.lrs.conftest import FakeTime, fake_time, retry  # noqa: F401
from tests.ralph_fixtures import ralph  # noqa: F401

__all__ = ["FakeTime"]
