"""gunicorn's configuration for the peer in ``bench/launch.py``: the same garbage-collection
hook as ours (``yrkesresan_adapter.gunicorn_conf.post_worker_init``: collect, then
``gc.freeze`` once a worker has loaded the app), so both tools run under the same gunicorn
configuration. Everything else comes from the command line."""

from __future__ import annotations

import gc
from typing import Any

wsgi_app = "peer_pylti1p3.app:create_app()"


def post_worker_init(worker: Any) -> None:
    """As ours: ``gc.collect()`` then ``gc.freeze()``."""
    gc.collect()
    gc.freeze()
