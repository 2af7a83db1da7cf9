"""``yrkesresan worker`` logs in the service's format and stops cleanly on SIGTERM (systemd)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


def test_the_worker_says_it_started_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "YRKESRESAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "YRKESRESAN_SECRET_KEY": "test-secret-key-of-enough-length",
        "YRKESRESAN_LOG_FORMAT": "json",
        "YRKESRESAN_LRS__ENDPOINT": "http://127.0.0.1:9/xapi/",
    }
    command = [sys.executable, "-c", "from yrkesresan_lti.cli import main; main()", "worker"]
    process = subprocess.Popen(
        [*command, "--idle", "0.2"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    lines = []
    try:
        for raw in process.stderr:
            lines.append(json.loads(raw))
            if lines[-1].get("event") == "outbox_worker_started":
                break
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        lines += [json.loads(raw) for raw in process.stderr]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    started = next(line for line in lines if line.get("event") == "outbox_worker_started")
    assert started["targets"] == "ags,default"
    assert started["level"] == "INFO"
    assert lines[-1]["event"] == "outbox_worker_stopped"
