"""Logging and launch fixtures."""

from tests.log_fixtures import configure_logs  # noqa: F401 - fixture
from tests.lti_fixtures import launch_app, launched_client, simulator  # noqa: F401 - fixtures
