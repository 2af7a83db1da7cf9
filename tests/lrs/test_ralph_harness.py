"""The Ralph harness: idempotent install, a server that starts, authenticates and stops."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from yrkesresan_adapter.demo.ralph import RALPH_REQUIREMENTS, RalphServer, install
from yrkesresan_lti.exceptions import ConfigurationError


def test_install_runs_venv_and_pip_once_then_only_checks_the_stamp(tmp_path: Path) -> None:
    venv = tmp_path / "venv-ralph"
    commands: list[list[str]] = []

    def fake_run(command: list[str]) -> None:
        commands.append(command)
        if "venv" in command:
            (venv / "bin").mkdir(parents=True)
            (venv / "bin" / "python").touch()

    assert install(venv, run=fake_run) == venv
    assert install(venv, run=fake_run) == venv
    assert len(commands) == 2
    assert commands[0][1:] == ["-m", "venv", str(venv)]
    assert commands[1][-len(RALPH_REQUIREMENTS) :] == list(RALPH_REQUIREMENTS)


def test_a_missing_ralph_venv_is_reported_with_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"yrkesresan_adapter\.demo\.ralph install"):
        RalphServer(venv=tmp_path / "nowhere").start()


@pytest.mark.ralph
def test_the_server_checks_credentials_and_is_gone_after_the_block() -> None:
    install()
    with RalphServer(password="pw-123") as server:
        statements = server.endpoint + "statements"
        headers = {"X-Experience-API-Version": "1.0.3"}
        good = requests.get(
            statements, auth=(server.username, "pw-123"), headers=headers, timeout=5
        )
        bad = requests.get(statements, auth=(server.username, "wrong"), headers=headers, timeout=5)
        data_dir = server.data_dir
        auth_file = (data_dir / "auth.json").read_text()
    assert (good.status_code, bad.status_code) == (200, 401)
    assert "pw-123" not in auth_file
    assert not data_dir.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(server.base_url + "/__heartbeat__", timeout=2)
