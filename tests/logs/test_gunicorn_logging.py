"""gunicorn with the configuration we ship: one JSON line per launch on standard error,
gunicorn's own lines in the same format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.lti_server import gunicorn_tool

pytestmark = pytest.mark.slow


def test_a_launch_under_gunicorn_is_one_json_line_on_stderr(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tool.db'}"
    env = {"YRKESRESAN_LOG_FORMAT": "json", "YRKESRESAN_LOG_LEVEL": "INFO"}
    with gunicorn_tool(tmp_path, url, workers=1, config=True, env=env) as tool:
        run = tool.launch()
    assert tool.stderr_path is not None
    written = tool.stderr_path.read_text("utf-8")
    lines = [json.loads(line) for line in written.splitlines()]  # every line is JSON
    (launch,) = [line for line in lines if line.get("event") == "lti_launch"]
    assert launch["level"] == "INFO"
    assert launch["logger"] == "yrkesresan.lti"
    assert launch["timestamp"].endswith("Z")
    assert len(launch["request_id"]) == 32
    assert launch["role"] == "learner"
    (post,) = [
        line
        for line in lines
        if line.get("event") == "http_request" and line["path"] == "/lti/launch"
    ]
    assert post["request_id"] == launch["request_id"]
    assert any(line["logger"] == "gunicorn.error" for line in lines)
    for secret in (run.state, run.nonce, run.form["id_token"]):
        assert secret not in written
