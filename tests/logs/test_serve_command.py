"""``yrkesresan serve`` (development server) logs in the service's format, and neither the
server nor the app writes a query string (where the launch token travels)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.lti_server import _wait_until_up, free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def test_the_development_server_writes_no_query_strings(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "YRKESRESAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "YRKESRESAN_SECRET_KEY": "test-secret-key-of-enough-length",
        "YRKESRESAN_LOG_FORMAT": "text",
    }
    command = [sys.executable, "-c", "from yrkesresan_lti.cli import main; main()"]
    command += ["serve", "--port", str(port), "--no-worker"]
    stderr_path = tmp_path / "serve.stderr"
    with stderr_path.open("wb") as err:
        process = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=err)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        page = requests.get(f"http://127.0.0.1:{port}/pages/?lt=secret-launch-token", timeout=30)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    written = stderr_path.read_text("utf-8")
    (line,) = [line for line in written.splitlines() if "event=http_request" in line]
    assert " INFO yrkesresan.http request_id=" in line
    assert f"path=/pages/ status={page.status_code}" in line
    assert f"request_id={page.headers['X-Request-ID']}" in line
    assert "secret-launch-token" not in written
