"""CPU time per request in one process: the request pipeline (hooks) and a whole launch.

    .venv/bin/python bench/request_overhead.py [requests] [--profile NAME] [--only NAME,...]
        [--postgresql]

The adapter runs in this process (Flask test client, SQLite, rate limits on with a high
ceiling); each kind of request is repeated ``requests`` times (default 1,000) after a warm-up
in five batches, and the least and the median ``time.thread_time`` per request of the
batches printed (the least is the least disturbed by other processes), the mean CPU time
inside the app itself (the WSGI call, without the test client and the simulated
platform), and the Python function calls per request (cProfile's count, which load does
not change): ``GET /.well-known/jwks.json`` (a trivial GET with every hook),
``GET /nowhere`` (a 404), ``GET /lti/login`` (the OIDC login's redirect) and a whole launch
(login and the launch POST answered with the first page). The yardstick, in the same
harness: ``peer-login`` and ``peer-launch``, the pylti1p3next peer of ``bench/launch.py``
(``bench/peer_pylti1p3``: its Flask app in this process, its launch cache in Redis, the key
set fetched once from a loopback server and then cached) launched by the same simulated
platform and test client. Compare trees in the same shell. With ``--profile`` the named kind
runs under cProfile and its top functions are printed; ``--only`` runs the named kinds;
``--postgresql`` runs the adapter on PostgreSQL (a schema of its own, dropped afterwards)
instead of SQLite. After each kind's warm-up the process collects and freezes its heap
(``gc.freeze``), as gunicorn's workers do with the shipped configuration.
Not a test.
"""

from __future__ import annotations

import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flask import Flask
from tests.db_fixtures import REDIS_URL, postgres_schema_url
from tests.lti_fixtures import (
    PLATFORM_ISSUER,
    TOOL_URL,
    FlaskBrowser,
    attach_simulator,
    make_app,
    platform_key,
)
from tests.lti_server import KeySetServer

from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

BATCHES = 5


def timed_app(app: Flask, served: list[float]) -> None:
    """Add the CPU time of each WSGI call into ``app`` (not the test client's, not the
    simulator's) to ``served[0]``."""
    inner = app.wsgi_app

    def timed(environ: Any, start_response: Any) -> Any:
        started = time.thread_time()
        try:
            return list(inner(environ, start_response))
        finally:
            served[0] += time.thread_time() - started

    app.wsgi_app = timed  # type: ignore[method-assign]


def browser_launch(app: Any, simulator: PlatformSimulator, login_url: str) -> Any:
    """A whole launch as a browser makes it (login, the platform, the launch POST): its
    answer, which must be a 200."""
    browser = FlaskBrowser(app.test_client())
    post = simulator.authorize(simulator.start(browser, login_url, SimLaunch()))
    answer = browser.post_form(post.action, post.fields)
    assert answer.status == 200, answer.status
    return answer


@contextmanager
def peer_kinds(served: list[float]) -> Iterator[dict[str, Callable[[], Any]]]:
    """The pylti1p3next peer in this process: its login and its whole launch (login and the
    launch POST answered with its page), as ``bench/launch.py`` runs it under gunicorn."""
    from peer_pylti1p3.app import create_app as create_peer
    from peer_pylti1p3.server import peer_config
    from redis import Redis

    prefix = f"peer-overhead:{os.getpid()}:"
    with ExitStack() as stack:
        key_set = stack.enter_context(KeySetServer())
        simulator = PlatformSimulator(issuer=key_set.issuer, tool_url=TOOL_URL, key=platform_key())
        key_set.simulator = simulator
        config = peer_config(simulator, TOOL_URL, prefix)
        previous = os.environ.get("PEER_CONFIG")
        os.environ["PEER_CONFIG"] = json.dumps(config)
        try:
            app = create_peer()
        finally:
            if previous is None:
                del os.environ["PEER_CONFIG"]
            else:
                os.environ["PEER_CONFIG"] = previous
        timed_app(app, served)
        login_url = f"{TOOL_URL}/lti/login"
        login_fields = simulator.login_form(login_url, SimLaunch()).fields

        def launch() -> Any:
            answer = browser_launch(app, simulator, login_url)
            assert "<main" in answer.text
            return answer

        def login() -> Any:
            answer = app.test_client().post("/lti/login", data=dict(login_fields))
            assert answer.status_code == 302, answer.status_code
            return answer

        try:
            yield {"peer-login": login, "peer-launch": launch}
        finally:
            client = Redis.from_url(REDIS_URL)
            for key in client.scan_iter(match=prefix + "*"):
                client.delete(key)
            if key_set.hits > 1:
                print(f"peer: {key_set.hits} key set fetches (1 expected: then cached)")


def python_calls(request: Callable[[], Any], runs: int = 20) -> float:
    """Function calls per request (cProfile's count: independent of the load)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        request()
    profiler.disable()
    return float(pstats.Stats(profiler).total_calls) / runs  # type: ignore[attr-defined]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1000
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else None
    limits = {"login": "1000000/minute", "launch": "1000000/minute"}
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as stack:
        database = (
            {"database_url": stack.enter_context(postgres_schema_url())}
            if "--postgresql" in sys.argv
            else {}
        )
        app = make_app(Path(workdir), rate_limits=limits, **database)
        stack.callback(AdapterState.of(app).services.db.dispose)  # before the schema goes
        served = [0.0]  # the app's own CPU time (not the test client's, not the simulator's)
        timed_app(app, served)
        simulator = PlatformSimulator(issuer=PLATFORM_ISSUER, tool_url=TOOL_URL, key=platform_key())
        attach_simulator(app, simulator)
        client = app.test_client()
        login_url = f"{TOOL_URL}/lti/login"
        login_query = simulator.login_form(login_url, SimLaunch()).fields

        def launch() -> Any:
            return browser_launch(app, simulator, login_url)

        def login() -> Any:
            fresh = app.test_client()  # no cookies of earlier logins
            answer = fresh.get("/lti/login", query_string=dict(login_query))
            assert answer.status_code == 302, answer.status_code
            return answer

        kinds: dict[str, Callable[[], Any]] = {
            "jwks": lambda: client.get("/.well-known/jwks.json"),
            "404": lambda: client.get("/nowhere"),
            "login": login,
            "launch": launch,
        }
        if only is None or any(name.startswith("peer-") for name in only):
            kinds.update(stack.enter_context(peer_kinds(served)))
        for name, request in kinds.items():
            if only is not None and name not in only:
                continue
            runs = count if not name.endswith("launch") else max(count // 2, BATCHES)
            for _ in range(min(runs, 50)):
                request()
            # as a gunicorn worker started with the shipped configuration (and the peer's in
            # bench/launch.py) after loading the app: a full collection of this process's
            # heap, landing in one batch or not, swung "in the app" by ±0.3 ms a launch
            gc.collect()
            gc.freeze()
            profiler = cProfile.Profile() if name == profile else None
            batches: list[float] = []
            served[0] = 0.0
            for _ in range(BATCHES):
                started = time.thread_time()
                if profiler:
                    profiler.enable()
                for _ in range(runs // BATCHES):
                    request()
                if profiler:
                    profiler.disable()
                batches.append((time.thread_time() - started) / (runs // BATCHES) * 1000)
            least, median = min(batches), statistics.median(batches)
            in_app = served[0] / (runs // BATCHES * BATCHES) * 1000
            calls = python_calls(request)
            print(
                f"{name:8s} {least:6.3f} ms CPU (median {median:6.3f}; in the app "
                f"{in_app:6.3f}; {runs} requests), {calls:,.0f} Python calls"
            )
            if profiler:
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(45)
                stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
