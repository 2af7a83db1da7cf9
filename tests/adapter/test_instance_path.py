"""The instance directory: a setting, ./instance only where it already exists, else the
user's data directory; created with a note on stderr, never silently in the working directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.settings import Settings


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory without ./instance, and an empty user data directory."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("YRKESRESAN_INSTANCE_PATH", raising=False)
    monkeypatch.delenv("YRKESRESAN_DATABASE_URL", raising=False)
    return work


def test_the_default_is_the_user_data_directory(elsewhere: Path, tmp_path: Path) -> None:
    assert Settings(_env_file=None).instance_path == tmp_path / "data" / "yrkesresan"


def test_an_existing_instance_directory_is_kept(elsewhere: Path) -> None:
    (elsewhere / "instance").mkdir()
    assert Settings(_env_file=None).instance_path == Path("instance")


def test_the_setting_wins(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (elsewhere / "instance").mkdir()
    monkeypatch.setenv("YRKESRESAN_INSTANCE_PATH", str(elsewhere / "chosen"))
    assert Settings(_env_file=None).instance_path == elsewhere / "chosen"


def test_a_command_creates_it_once_and_says_where(elsewhere: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(build_cli(), ["platform", "list", "--json"])
    assert first.exit_code == 0, first.output
    created = tmp_path / "data" / "yrkesresan"
    assert f"Skapade instansmappen {created}" in first.stderr
    assert json.loads(first.stdout) == []
    assert (created / "yrkesresan.db").is_file()
    assert not (elsewhere / "instance").exists()
    again = runner.invoke(build_cli(), ["platform", "list", "--json"])
    assert again.exit_code == 0
    assert "instansmappen" not in again.stderr
