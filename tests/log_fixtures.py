"""Logging as the service configures it, into a buffer, restored after the test.

Import the fixture into your package's ``conftest.py``::

    from tests.log_fixtures import configure_logs  # noqa: F401

    def test_x(configure_logs: Callable[..., Lines]) -> None:
        lines = configure_logs(log_format="json")   # settings as keyword arguments
        ...
        assert lines.events("lti_launch")
"""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from yrkesresan_lti.logs import logging_config
from yrkesresan_lti.settings import Settings

NAMES = ("yrkesresan", "gunicorn.error", "gunicorn.access", "werkzeug")


class Lines:
    """What the configured handler wrote, as text lines and as parsed JSON."""

    def __init__(self, buffer: io.StringIO) -> None:
        self.buffer = buffer

    def text(self) -> list[str]:
        return self.buffer.getvalue().splitlines()

    def json(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text()]

    def events(self, name: str) -> list[dict[str, Any]]:
        return [line for line in self.json() if line.get("event") == name]


@pytest.fixture
def configure_logs() -> Iterator[Callable[..., Lines]]:
    """``configure(**settings)`` applies the service's logging config, writing to a buffer."""
    root = logging.getLogger()
    saved_root = (root.level, root.handlers[:])
    saved = {
        name: (lg.level, lg.handlers[:], lg.propagate, lg.disabled)
        for name in NAMES
        for lg in [logging.getLogger(name)]
    }

    def apply(**values: Any) -> Lines:
        settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        buffer = io.StringIO()
        logging.config.dictConfig(logging_config(settings, stream=buffer))
        return Lines(buffer)

    yield apply
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, (level, handlers, propagate, disabled) in saved.items():
        lg = logging.getLogger(name)
        lg.setLevel(level)
        lg.handlers[:] = handlers
        lg.propagate = propagate
        lg.disabled = disabled
