"""gunicorn's configuration for the peer in ``bench/launch.py``: the same garbage-collection
hooks as ours (``yrkesresan_adapter.gunicorn_conf``: a worker collects, then freezes
(``gc.freeze``) once it has loaded the app; with ``--preload`` the master collects and
freezes once before forking and the workers only freeze), so both tools run under the same
gunicorn configuration. Everything else comes from the command line."""

from __future__ import annotations

import gc
from typing import Any

wsgi_app = "peer_pylti1p3.app:create_app()"


def pre_fork(server: Any, worker: Any) -> None:
    """As ours: with ``--preload``, ``gc.collect()`` then ``gc.freeze()`` once."""
    if server.cfg.preload_app and gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


def post_worker_init(worker: Any) -> None:
    """As ours: ``gc.collect()`` (not when preloaded) then ``gc.freeze()``."""
    if not worker.cfg.preload_app:
        gc.collect()
    gc.freeze()
