"""gunicorn's configuration: a worker freezes its loaded heap, after collecting garbage (with
``--preload`` the master does, once, before the first fork); the access line is built only
when it is written."""

from __future__ import annotations

import gc
import logging
import weakref
from collections.abc import Iterator
from types import SimpleNamespace
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

    gunicorn_conf.post_worker_init(worker=_process(preload=False))

    assert gone() is None, "garbage made before the freeze would be kept for good"
    assert gc.get_freeze_count() > 0
    assert kept.other is None


def _process(*, preload: bool) -> Any:
    """A gunicorn arbiter or worker as the hooks see it: its settings."""
    return SimpleNamespace(cfg=SimpleNamespace(preload_app=preload))


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Calls of the master's ``close_pooled_connections`` (not run: it would close every
    engine's idle connections in the test process)."""
    calls: list[object] = []
    monkeypatch.setattr(gunicorn_conf, "close_pooled_connections", lambda: calls.append(1))
    return calls


@pytest.mark.usefixtures("unfrozen")
def test_a_preloading_master_collects_and_freezes_the_app_once_before_forking(
    monkeypatch: pytest.MonkeyPatch, closed: list[object]
) -> None:
    garbage = _Cycle()
    garbage.other = garbage
    gone = weakref.ref(garbage)
    del garbage

    gunicorn_conf.pre_fork(_process(preload=True), worker=None)

    assert gone() is None
    frozen = gc.get_freeze_count()
    assert frozen > 0
    collections: list[object] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(args))
    gunicorn_conf.pre_fork(_process(preload=True), worker=None)  # the next worker's fork
    assert collections == []
    assert len(closed) == 2, "the master closes its database connections before each fork"


@pytest.mark.usefixtures("unfrozen")
def test_a_master_without_preload_leaves_its_heap_to_the_workers(closed: list[object]) -> None:
    gunicorn_conf.pre_fork(_process(preload=False), worker=None)

    assert gc.get_freeze_count() == 0
    assert closed == []  # it never opened any: the workers load the app


@pytest.mark.usefixtures("unfrozen")
def test_a_preloaded_worker_freezes_without_collecting_what_it_shares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a collection walks every object the worker inherited and writes to each: the pages
    # it shares with its master and siblings would be copied
    collections: list[object] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(args))

    gunicorn_conf.post_worker_init(_process(preload=True))

    assert collections == []
    assert gc.get_freeze_count() > 0


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
