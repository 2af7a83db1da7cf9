"""In a Swedish locale, every error the CLI prints is Swedish: our errors by code, catalog
problems by reason, click's usage errors through our catalogs. A heuristic: no common
English word outside paths, URLs and quoted values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from yrkesresan_lti.cli import build_cli

ENGLISH = {
    "the", "is", "not", "no", "error", "missing", "invalid", "usage", "options", "try",
    "cannot", "must", "set", "run", "already", "found", "has", "with", "of", "and", "or",
    "to", "does", "exist", "such", "give", "value", "unknown", "option", "command",
}  # fmt: skip
LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"|\S*[/_.=]\S*|--\S+|\[[A-Z]+\]|[A-Z_]{2,}")


def english_words(text: str) -> set[str]:
    """Common English words of ``text`` once literals (paths, URLs, options, quoted values,
    environment variables, a catalog problem's ``error:`` token) are taken out."""
    text = text.replace(": error:", ":")
    words = re.findall(r"[A-Za-zåäöÅÄÖ]+", LITERAL.sub(" ", text))
    return {w.lower() for w in words} & ENGLISH


def test_the_heuristic_finds_english() -> None:
    assert english_words("Error: the table is missing") == {"error", "the", "is", "missing"}
    assert english_words("Fel: Kommandot 'nope' finns inte.") == set()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YRKESRESAN_PSEUDONYM_KEY", raising=False)
    return {
        "YRKESRESAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "YRKESRESAN_LOCALE": "sv",
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), list(args), env=env, prog_name="yrkesresan")
    return result.exit_code, result.output


def catalog_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tom-katalog"
    folder.mkdir()
    return folder


def not_a_mapping(tmp_path: Path) -> Path:
    path = tmp_path / "lista.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    return path


CASES = [
    (2, ["nope"]),
    (2, ["platform", "show"]),
    (2, ["platform", "add", "--issuer", "moodle"]),
    (2, ["outbox", "flush", "--batch-size", "0"]),
    (2, ["db", "current", "--nope"]),
    (2, ["xapi", "profile", "--catalog", "finns-inte"]),
    (2, ["xapi", "profile", "--iri-base", "x"]),
    (1, ["catalog", "validate", "finns-inte.yaml"]),
    (1, ["catalog", "validate", "{catalog_dir}"]),
    (1, ["catalog", "validate", "{not_a_mapping}"]),
    (1, ["xapi", "profile", "--catalog", "{not_a_mapping}"]),
    (1, ["xapi", "pseudonym", "https://moodle.kommun.se", "sub"]),
    (1, ["platform", "show", "https://moodle.kommun.se"]),
    (1, ["keys", "rotate", "--promote"]),
    (1, ["outbox", "status"]),
    (1, ["db", "check"]),
]


@pytest.mark.parametrize(("code", "args"), CASES, ids=[" ".join(a) for _, a in CASES])
def test_every_error_path_speaks_swedish(
    code: int, args: list[str], env: dict[str, str], tmp_path: Path
) -> None:
    paths = {"catalog_dir": catalog_dir(tmp_path), "not_a_mapping": not_a_mapping(tmp_path)}
    exit_code, output = run(env, *[a.format(**paths) for a in args])
    assert exit_code == code, output
    assert output.strip()
    assert english_words(output) == set(), output


def test_a_short_pseudonym_key_and_db_current_speak_swedish(env: dict[str, str]) -> None:
    exit_code, output = run(
        {**env, "YRKESRESAN_PSEUDONYM_KEY": "kort"}, "xapi", "pseudonym", "i", "s"
    )
    assert exit_code == 1
    assert english_words(output) == set(), output
    exit_code, output = run(env, "db", "current")
    assert exit_code == 1
    assert english_words(output) == set(), output


@pytest.mark.parametrize("args", [["occasion", "list"], ["occasion", "export"]])
def test_a_tool_key_without_its_secret_is_a_message_not_a_traceback(
    args: list[str], env: dict[str, str]
) -> None:
    """The instance's key was encrypted with a secret the operator's shell does not have:
    every command that builds the app says so, in Swedish, and exits 1."""
    secret = {"YRKESRESAN_SECRET_KEY": "en-hemlighet-som-ar-tillrackligt-lang-0123456789"}
    exit_code, output = run({**env, **secret}, "db", "upgrade")
    assert exit_code == 0, output
    exit_code, output = run({**env, **secret}, "keys", "rotate")
    assert exit_code == 0, output
    exit_code, output = run(env, *args)
    assert exit_code == 1, output
    assert "YRKESRESAN_SECRET_KEY saknas" in output
    assert "Traceback" not in output
    assert english_words(output) == set(), output
