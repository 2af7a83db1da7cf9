"""The tool under gunicorn on PostgreSQL, launched by a simulated platform over real HTTP.

Used by the concurrency test and ``bench/launch.py``. The simulated platform lives in the
calling process: its key set is served by a small HTTP server of its own (counting
requests, to show the tool does not fetch it per launch), and the "browser" answers the
tool's authentication request in-process, as the LMS would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

from tests.landing import landed_token
from yrkesresan_adapter import migrations
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.testing.browser import RequestsBrowser
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

SECRET = "bench-and-concurrency-secret-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class KeySetServer:
    """Serves one simulator's JWKS on a free loopback port and counts the requests."""

    def __init__(self) -> None:
        self.port = free_port()
        self.hits = 0
        self.simulator: PlatformSimulator | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                assert outer.simulator is not None
                body = json.dumps(outer.simulator.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> KeySetServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class RunningTool:
    base_url: str
    simulator: PlatformSimulator
    key_set: KeySetServer
    database: Database
    process: subprocess.Popen[bytes]
    log_path: Path
    errors: list[str] = field(default_factory=list)
    stderr_path: Path | None = None
    """gunicorn's standard error on its own (``config=True``); else it is in ``log_path``."""

    def launch(self, role: str = "learner") -> LaunchRun:
        """One full launch like a browser: login, auth, launch, first page."""
        browser = RequestsBrowser()
        query = self.simulator.start(browser, f"{self.base_url}/lti/login", SimLaunch(user=role))
        cookies = browser.session.cookies.get_dict()
        post = self.simulator.authorize(query)
        response = browser.post_form(post.action, post.fields)
        token = landed_token(response)
        page = browser.session.get(f"{self.base_url}/app", params={"lt": token}, timeout=30)
        if page.status_code != 200:
            raise AssertionError(f"first page answered {page.status_code}")
        return LaunchRun(query["state"], query["nonce"], post.fields, cookies)


@dataclass(frozen=True)
class LaunchRun:
    state: str
    nonce: str
    form: dict[str, str]
    cookies: dict[str, str]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)  # polling readiness, not timing anything
    raise RuntimeError("gunicorn did not come up")


@contextmanager
def gunicorn_tool(
    workdir: Path,
    database_url: str,
    *,
    workers: int = 4,
    threads: int = 1,
    redis_url: str | None = None,
    config: bool = False,
    env: Mapping[str, str] | None = None,
    migrate: Callable[[str], None] | None = None,
    options: Sequence[str] = (),
) -> Iterator[RunningTool]:
    """The adapter under gunicorn (``workers`` processes) on ``database_url``, already
    migrated, with a simulated platform registered (active deployment). With
    ``redis_url``, launch state, nonces and stored launches live in Redis. With ``config``,
    gunicorn runs with the configuration we ship (``yrkesresan_adapter.gunicorn_conf``) and
    its standard error goes to ``stderr_path``; ``env`` adds or overrides settings;
    ``options`` are more of gunicorn's command-line options (e.g. ``--preload``).
    ``migrate`` migrates the database instead of this checkout's migrations (a benchmark's
    baseline tree has its own)."""
    database = Database(database_url)
    if migrate is None:
        migrations.upgrade(database)
    else:
        migrate(database_url)
    with KeySetServer() as key_set:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        simulator = PlatformSimulator(
            issuer=key_set.issuer, tool_url=base_url, key=generate_signing_key()
        )
        key_set.simulator = simulator
        SqlPlatformStore(database).save(simulator.registration())
        environ = {
            **os.environ,
            "YRKESRESAN_DATABASE_URL": database_url,
            "YRKESRESAN_BASE_URL": base_url,
            "YRKESRESAN_INSTANCE_PATH": str(workdir / "instance"),
            "YRKESRESAN_SECRET_KEY": SECRET,
            "YRKESRESAN_LOG_LEVEL": "WARNING",
            "YRKESRESAN_PRODUCTION": "false",
            **({"YRKESRESAN_REDIS_URL": redis_url} if redis_url else {}),
            **(env or {}),
        }
        log_path = workdir / "gunicorn.log"
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        command = [
            gunicorn, "--workers", str(workers), "--threads", str(threads),
            "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "60",
            "--no-control-socket", *options,
        ]  # fmt: skip
        if config:
            command[1:1] = ["-c", "python:yrkesresan_adapter.gunicorn_conf"]
        else:
            command.append("yrkesresan_adapter.app:create_app()")
        stderr_path = workdir / "gunicorn.stderr" if config else None
        with log_path.open("wb") as log:
            if stderr_path is None:
                process = subprocess.Popen(command, env=environ, stdout=log, stderr=log)
            else:
                with stderr_path.open("wb") as err:
                    process = subprocess.Popen(command, env=environ, stdout=log, stderr=err)
        try:
            _wait_until_up(f"{base_url}/healthz", process)
            yield RunningTool(
                base_url, simulator, key_set, database, process, log_path, stderr_path=stderr_path
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            database.dispose()
