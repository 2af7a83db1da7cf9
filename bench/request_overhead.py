"""CPU time per request in one process: the request pipeline (hooks) and a whole launch.

    .venv/bin/python bench/request_overhead.py [requests] [--profile NAME]

The adapter runs in this process (Flask test client, SQLite, rate limits on with a high
ceiling); each kind of request is repeated ``requests`` times (default 1,000) after a warm-up
in five batches, and the least and the median ``time.thread_time`` per request of the
batches printed (the least is the least disturbed by other processes), the mean CPU time
inside the app itself (the WSGI call, without the test client and the simulated
platform), and the Python function calls per request (cProfile's count, which load does
not change): ``GET /.well-known/jwks.json`` (a trivial GET with every hook),
``GET /nowhere`` (a 404), ``GET /lti/login`` (the OIDC login's redirect) and a whole launch
(login and the launch POST answered with the first page). Compare trees in the same shell.
With ``--profile`` the named kind runs under cProfile and its top functions are printed.
Not a test.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.lti_fixtures import (
    PLATFORM_ISSUER,
    TOOL_URL,
    FlaskBrowser,
    attach_simulator,
    make_app,
    platform_key,
)

from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

BATCHES = 5


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
    limits = {"login": "1000000/minute", "launch": "1000000/minute"}
    with tempfile.TemporaryDirectory() as workdir:
        app = make_app(Path(workdir), rate_limits=limits)
        served = [0.0]  # the app's own CPU time (not the test client's, not the simulator's)
        inner = app.wsgi_app

        def timed(environ: Any, start_response: Any) -> Any:
            started = time.thread_time()
            try:
                return list(inner(environ, start_response))
            finally:
                served[0] += time.thread_time() - started

        app.wsgi_app = timed  # type: ignore[method-assign]
        simulator = PlatformSimulator(issuer=PLATFORM_ISSUER, tool_url=TOOL_URL, key=platform_key())
        attach_simulator(app, simulator)
        client = app.test_client()
        login_url = f"{TOOL_URL}/lti/login"
        login_query = simulator.login_form(login_url, SimLaunch()).fields

        def launch() -> Any:
            browser = FlaskBrowser(app.test_client())
            post = simulator.authorize(simulator.start(browser, login_url, SimLaunch()))
            answer = browser.post_form(post.action, post.fields)
            assert answer.status == 200, answer.status
            return answer

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
        for name, request in kinds.items():
            runs = count if name != "launch" else max(count // 2, BATCHES)
            for _ in range(min(runs, 50)):
                request()
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
