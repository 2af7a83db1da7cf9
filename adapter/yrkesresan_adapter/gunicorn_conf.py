"""gunicorn's configuration for the adapter::

    gunicorn -c python:yrkesresan_adapter.gunicorn_conf --workers 4

gunicorn executes this module to read its settings; nothing else imports it. It reads the
same ``YRKESRESAN_*`` settings as the service: the app, the address
(``YRKESRESAN_HOST``/``YRKESRESAN_PORT``; ``--bind`` overrides it) and the logging
configuration, so gunicorn's own lines (start, workers, timeouts) have the service's format.
Command-line options override everything here.

Metrics: start gunicorn with ``PROMETHEUS_MULTIPROC_DIR`` set to an empty directory, so
``/metrics`` sums every worker process (``prometheus_client``'s multiprocess mode);
:func:`child_exit` tells it when a worker process has ended.

Garbage collection: :func:`post_worker_init` moves what a worker holds once it has loaded
the app (modules, the app, its compiled statements and templates) out of the collector's
reach (``gc.freeze``), so the full collections that requests trigger do not walk it again
and again (about 0.15 ms of CPU per launch, ``docs/benchmarks.md``). With ``--preload``
the master loads the app and :func:`pre_fork` collects and freezes it there, once, before
the first fork: the workers then share those pages instead of each copying them when a
collection writes to every object (master and four workers: ≈ 400 → ≈ 240 MiB
proportional set size, ``bench/memory.py``).

New code takes a restart, not a ``HUP``: this file is a module of the adapter's package, so
the master imports the adapter (all of it, through the package's ``create_app``) when it
reads its configuration, and the workers a ``HUP`` starts are forked from that master with
the code it imported. ``docs/operations.md`` says ``systemctl restart``.

Access log: the adapter writes its own ``http_request`` line per request, so the logging
configuration keeps gunicorn's ``gunicorn.access`` quiet (WARNING). gunicorn still builds
each request's access-log fields (about 40 of them, from every header) whenever a logging
configuration is given; :class:`QuietAccessLogger` skips that while ``gunicorn.access``
would drop the line anyway (about 2 % of a worker's CPU under the click benchmark).
"""

from __future__ import annotations

import gc
import logging
import os
from typing import Any

from gunicorn.glogging import Logger

from yrkesresan_adapter.storage.database import close_pooled_connections
from yrkesresan_lti.logs import logging_config
from yrkesresan_lti.settings import Settings

_settings = Settings()

wsgi_app = "yrkesresan_adapter:create_app()"
bind = [f"{_settings.host}:{_settings.port}"]
logconfig_dict = logging_config(_settings)
errorlog = "-"


class QuietAccessLogger(Logger):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn's logger, which builds a request's access-log line only when
    ``gunicorn.access`` would write it (its level at INFO or below)."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if self.access_log.isEnabledFor(logging.INFO):
            super().access(resp, req, environ, request_time)


logger_class = QuietAccessLogger


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn's hook after a worker process ended: drop its live gauges (multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def pre_fork(server: Any, worker: Any) -> None:
    """gunicorn's hook in the master before each fork. With ``--preload`` the master holds
    the loaded app: it closes the database connections it opened while loading it (to
    migrate, outside production; the workers open their own), then collects and freezes
    the app once, so every worker shares its pages."""
    if not _preloaded(server):
        return
    close_pooled_connections()
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook once a worker has loaded the app: collect, then freeze what is left
    (``gc.freeze``), as the Python documentation advises for long-lived processes; later
    garbage is collected as before. A preloaded worker only freezes: the master collected
    before the fork, and collecting here would write to every inherited object."""
    if not _preloaded(worker):
        gc.collect()
    gc.freeze()


def _preloaded(process: Any) -> bool:
    """Whether gunicorn runs with ``--preload`` (``preload_app``)."""
    return bool(getattr(getattr(process, "cfg", None), "preload_app", False))
