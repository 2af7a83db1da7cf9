"""Benchmark: what our log lines cost a launch, in one process.

    PYTHONPATH=.:bench .venv/bin/python bench/log_cost.py [text|json] [--batches 8]

The adapter runs in this process (Flask test client, SQLite, as ``bench/request_overhead.py``)
with the service's logging configuration (``logging_config``, lines to a temporary file in
the chosen format); batches of 100 whole launches alternate between our loggers
(``yrkesresan.*``) at INFO, as in production (five lines a launch), and at WARNING (none).
Prints the launch's CPU in the app for each and the median of the paired differences. The
other benchmarks start ours at WARNING (``tests/lti_server.gunicorn_tool``), so this is
the only one that sees the lines. Not a test: the figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import logging
import logging.config
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from request_overhead import browser_launch, timed_app
from tests.lti_fixtures import PLATFORM_ISSUER, TOOL_URL, attach_simulator, make_app, platform_key

from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.logs import logging_config
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.testing.simulator import PlatformSimulator

LAUNCHES = 100
"""Launches per batch."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", nargs="?", choices=["text", "json"], default="json")
    parser.add_argument("--batches", type=int, default=8, help="pairs of batches")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, open(Path(workdir) / "log", "w") as lines:
        settings = Settings(log_format=args.format, _env_file=None)
        logging.config.dictConfig(logging_config(settings, stream=lines))
        ours = logging.getLogger("yrkesresan")
        limits = {"login": "1000000/minute", "launch": "1000000/minute"}
        app = make_app(Path(workdir), rate_limits=limits)
        served = [0.0]
        timed_app(app, served)
        simulator = PlatformSimulator(issuer=PLATFORM_ISSUER, tool_url=TOOL_URL, key=platform_key())
        attach_simulator(app, simulator)
        login_url = f"{TOOL_URL}/lti/login"
        for _ in range(LAUNCHES):  # warm-up, then as a gunicorn worker after loading the app
            browser_launch(app, simulator, login_url)
        gc.collect()
        gc.freeze()
        per_launch: dict[str, list[float]] = {"INFO": [], "WARNING": []}
        for _ in range(args.batches):
            for level, times in per_launch.items():
                ours.setLevel(level)
                served[0] = 0.0
                for _ in range(LAUNCHES):
                    browser_launch(app, simulator, login_url)
                times.append(1000 * served[0] / LAUNCHES)
        AdapterState.of(app).services.db.dispose()
    for level, times in per_launch.items():
        middle = statistics.median(times)
        print(f"{args.format} lines, ours at {level:7}  {min(times):.3f} ms CPU in the app per "
              f"launch (least of {args.batches} batches; median {middle:.3f})")  # fmt: skip
    paired = [a - b for a, b in zip(per_launch["INFO"], per_launch["WARNING"], strict=True)]
    print(f"the lines cost {statistics.median(paired):.3f} ms a launch (median of the pairs)")


if __name__ == "__main__":
    main()
