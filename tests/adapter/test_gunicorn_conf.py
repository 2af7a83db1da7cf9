"""gunicorn's configuration: a worker freezes its loaded heap, after collecting garbage; the
access line is built only when it is written."""

from __future__ import annotations

import gc
import logging
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from gunicorn.glogging import Logger

from yrkesresan_adapter import gunicorn_conf


class _Cycle:
    other: Any = None


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
def test_a_loaded_worker_freezes_what_it_holds_and_not_its_garbage() -> None:
    kept = _Cycle()
    garbage = _Cycle()
    garbage.other = garbage  # a cycle: only the collector frees it
    gone = weakref.ref(garbage)
    del garbage

    gunicorn_conf.post_worker_init(worker=None)

    assert gone() is None, "garbage made before the freeze would be kept for good"
    assert gc.get_freeze_count() > 0
    assert kept.other is None


@pytest.mark.parametrize(("level", "built"), [(logging.WARNING, 0), (logging.INFO, 1)])
def test_the_access_line_is_built_only_when_gunicorn_access_would_write_it(
    level: int, built: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the shipped logging configuration keeps gunicorn.access at WARNING (the adapter logs
    # each request itself); an operator who turns it on (INFO) gets gunicorn's access lines
    lines: list[object] = []
    monkeypatch.setattr(Logger, "access", lambda self, *args: lines.append(args))
    logger = gunicorn_conf.QuietAccessLogger.__new__(gunicorn_conf.QuietAccessLogger)
    logger.access_log = logging.getLogger(f"test.gunicorn.access.{level}")
    logger.access_log.setLevel(level)

    logger.access("response", "request", {}, 0.001)

    assert len(lines) == built


def test_gunicorn_runs_with_the_quiet_access_logger_and_a_quiet_access_log() -> None:
    assert gunicorn_conf.logger_class is gunicorn_conf.QuietAccessLogger
    assert gunicorn_conf.logconfig_dict["loggers"]["gunicorn.access"]["level"] == "WARNING"
