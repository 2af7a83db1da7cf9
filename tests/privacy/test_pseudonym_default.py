"""``yrkesresan xapi pseudonym`` works in the default configuration: the same key as the
running adapter (derived from the secret it keeps under ``instance/``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.outbox.test_cli import CLEAN_ENV
from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages import wiring
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.instance_secret import load_secret
from yrkesresan_lti.settings import Settings

ISSUER = "https://moodle.alingsas.se"


def test_the_command_prints_the_pseudonym_the_adapter_puts_in_statements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the default instance directory, ./instance
    for name in ("YRKESRESAN_PSEUDONYM_KEY", "YRKESRESAN_SECRET_KEY", "YRKESRESAN_INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(Settings(_env_file=None))
    state = AdapterState.of(app)
    adapters = wiring.pseudonymizer(app, load_secret(state.settings))
    state.services.db.dispose()
    result = CliRunner().invoke(build_cli(), ["xapi", "pseudonym", ISSUER, "42"], env=CLEAN_ENV)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["account"] == {"homePage": ISSUER, "name": adapters.pseudonym(ISSUER, "42")}
    assert printed["account_until_profile_1_1"]["name"] == adapters.digest(ISSUER, "42")


def test_without_an_adapter_instance_the_command_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build_cli(), ["xapi", "pseudonym", ISSUER, "42"], env=CLEAN_ENV)
    assert result.exit_code == 1
    assert "YRKESRESAN_PSEUDONYM_KEY" in result.output
    assert not (tmp_path / "instance").exists()
