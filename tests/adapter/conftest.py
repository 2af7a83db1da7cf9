"""Logging fixtures."""

from tests.log_fixtures import configure_logs  # noqa: F401 - fixture
from tests.ralph_fixtures import ralph  # noqa: F401 - fixture
