"""gunicorn's configuration: a worker freezes its loaded heap, after collecting garbage."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

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
