"""Settings and fixtures for the whole suite.

Hypothesis: no per-example deadline. Timing is not what these properties are about, and on
a loaded two-core CI machine a deadline only turns slowness into flaky failures; performance
is measured by the scripts in ``bench/``.

The one fake clock: the ``clock`` fixture, a :class:`FakeClock` starting at ``clock_start``
(an area's conftest overrides ``clock_start`` when its tests need another date).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from yrkesresan_lti.i18n import uninstall

settings.register_profile(
    "yrkesresan",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("yrkesresan")


CLOCK_START = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


class FakeClock:
    """A :class:`yrkesresan_lti.clock.Clock` that tells the time it is set to and moves
    only when a test moves it (a test of a broken clock may give it a naive time)."""

    def __init__(self, start: datetime = CLOCK_START) -> None:
        self._start = start
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> datetime:
        """Jump to ``moment`` (forwards or backwards)."""
        self._now = moment
        return moment

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move on by ``delta`` or by ``timedelta(**parts)``; returns the new time."""
        self._now += (delta or timedelta()) + timedelta(**parts)
        return self._now

    def monotonic(self) -> float:
        """Seconds since the start: a ``time.monotonic`` stand-in for cache timers."""
        return (self._now - self._start).total_seconds()


@pytest.fixture
def clock_start() -> datetime:
    return CLOCK_START


@pytest.fixture
def clock(clock_start: datetime) -> FakeClock:
    return FakeClock(clock_start)


@pytest.fixture(autouse=True)
def cli_in_swedish(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI speaks Swedish in every test, whatever the developer's ``LANG``; a test that
    wants English sets ``YRKESRESAN_LOCALE=en`` itself. The core's translator is reset after."""
    monkeypatch.setenv("YRKESRESAN_LOCALE", "sv")
    yield
    uninstall()


@pytest.fixture
def user_data_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh one per test: a key one test's app creates there is not another test's."""
    return tmp_path_factory.mktemp("xdg-data")


@pytest.fixture(autouse=True)
def no_user_data_dir(monkeypatch: pytest.MonkeyPatch, user_data_home: Path) -> None:
    """The default instance directory (the user's data directory, yrkesresan_lti.instance)
    lies in a temporary directory, never in the developer's home."""
    monkeypatch.setenv("XDG_DATA_HOME", str(user_data_home))
