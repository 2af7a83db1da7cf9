"""gunicorn hooks for ``bench/launch.py --split``: each request's CPU in its worker.

A worker records, for every request it answers, the monotonic time it began, its path and
the worker thread's CPU time from gunicorn's ``pre_request`` hook to its ``post_request``
hook (the app's WSGI call, writing the answer, gunicorn's own work around them), and writes
them to ``$REQUEST_CPU_DIR/<pid>.json`` when it exits. The benchmark keeps the requests of
its timed rounds (:func:`split`); what the workers spent outside those hooks (accepting the
connection, reading the request line and headers, the worker loop) is the rest of their
CPU, which ``/proc`` gives. Both tools get the same hooks, from their own configuration
plus this module (``bench/request_cpu_ours.py``, ``bench/peer_pylti1p3/request_cpu_conf.py``).
Not a test, and not for production: it holds every request in memory.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DIRECTORY = "REQUEST_CPU_DIR"

_started: list[int] = [0, 0]
_requests: list[tuple[int, str, int]] = []
"""(monotonic ns at the start, path, thread CPU ns) of each request this worker answered."""


def pre_request(worker: Any, req: Any) -> None:
    _started[0] = time.monotonic_ns()
    _started[1] = time.thread_time_ns()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    _requests.append((_started[0], req.path, time.thread_time_ns() - _started[1]))


def worker_exit(server: Any, worker: Any) -> None:
    directory = os.environ.get(DIRECTORY)
    if directory:
        Path(directory, f"{os.getpid()}.json").write_text(json.dumps(_requests))


def split(directory: Path, windows: Iterable[tuple[int, int]]) -> dict[str, tuple[int, float]]:
    """Path → (requests, CPU ms per request) of every worker's requests that began inside
    one of ``windows`` (monotonic ns, start and end)."""
    spans = list(windows)
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for dump in directory.glob("*.json"):
        for began, path, cpu_ns in json.loads(dump.read_text()):
            if any(start <= began < end for start, end in spans):
                totals[path][0] += 1
                totals[path][1] += cpu_ns / 1e6
    return {path: (int(n), ms / n) for path, (n, ms) in totals.items()}
