"""Logging fixtures."""

from tests.log_fixtures import configure_logs  # noqa: F401 - fixture
