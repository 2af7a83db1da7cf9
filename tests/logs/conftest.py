"""Logging fixtures, and the launch fixtures for the end-to-end log checks."""

from tests.log_fixtures import configure_logs  # noqa: F401 - fixture
from tests.lti_fixtures import simulator  # noqa: F401 - fixture
