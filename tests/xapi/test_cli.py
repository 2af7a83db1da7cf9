"""``yrkesresan xapi profile``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

from .events import BASE

CATALOG = Path(__file__).parent / "catalog.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_profile_command_prints_the_profile_of_the_catalog(runner: CliRunner) -> None:
    result = runner.invoke(build_cli(), ["xapi", "profile", "--catalog", str(CATALOG)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == build_profile(BASE)
    assert "Yrkesresans xAPI-profil" in result.output  # Swedish kept, not \u-escaped


def test_profile_command_uses_the_configured_catalog(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YRKESRESAN_CATALOG_PATH", str(CATALOG))
    result = runner.invoke(build_cli(), ["xapi", "profile"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["id"] == f"{BASE}profile"


def test_profile_command_takes_an_iri_base(runner: CliRunner) -> None:
    result = runner.invoke(build_cli(), ["xapi", "profile", "--iri-base", "https://k.example/id/"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == build_profile("https://k.example/id/")


def test_a_broken_catalog_is_reported_without_a_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    broken = tmp_path / "catalog.yaml"
    broken.write_text("iri_base: inte-en-url\n", encoding="utf-8")
    result = runner.invoke(build_cli(), ["xapi", "profile", "--catalog", str(broken)])
    assert result.exit_code == 1
    assert "Fel: Katalogen" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "args",
    [
        ["--iri-base", "https://k.example/id"],
        ["--iri-base", "k.example/id/"],
        ["--iri-base", "https://k.example/id/", "--catalog", str(CATALOG)],
    ],
)
def test_bad_options_are_usage_errors(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(build_cli(), ["xapi", "profile", *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_pseudonym_command_shows_the_account_the_lrs_knows(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "a-long-enough-pseudonym-key-for-the-cli"
    monkeypatch.setenv("YRKESRESAN_PSEUDONYM_KEY", key)
    result = runner.invoke(build_cli(), ["xapi", "pseudonym", "https://moodle.alingsas.se", "42"])
    assert result.exit_code == 0, result.output
    pseudonymizer = Pseudonymizer(key)
    assert json.loads(result.output) == {
        "account": {
            "homePage": "https://moodle.alingsas.se",
            "name": pseudonymizer.pseudonym("https://moodle.alingsas.se", "42"),
        },
        "account_until_profile_1_1": {
            "homePage": "https://moodle.alingsas.se",
            "name": pseudonymizer.digest("https://moodle.alingsas.se", "42"),
        },
    }


def test_pseudonym_command_without_a_key_says_how_to_set_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("YRKESRESAN_PSEUDONYM_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file here
    result = runner.invoke(build_cli(), ["xapi", "pseudonym", "https://moodle.alingsas.se", "42"])
    assert result.exit_code == 1
    assert "YRKESRESAN_PSEUDONYM_KEY" in result.output
