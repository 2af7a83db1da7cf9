"""click's own texts (usage, headings, errors) speak the operator's locale like ours."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from yrkesresan_lti.cli import build_cli


def _run(monkeypatch: pytest.MonkeyPatch, lang: str, *args: str) -> tuple[int, str]:
    monkeypatch.delenv("YRKESRESAN_LOCALE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    result = CliRunner().invoke(build_cli(), list(args), prog_name="yrkesresan")
    return result.exit_code, result.output


def test_help_in_a_swedish_locale_is_swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    code, text = _run(monkeypatch, "sv_SE.UTF-8", "--help")
    assert code == 0
    assert text.startswith("Användning: yrkesresan [FLAGGOR] KOMMANDO [ARGUMENT]...")
    for swedish in ("Flaggor:", "Kommandon:", "Visa den här hjälpen och avsluta."):
        assert swedish in text
    for english in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in text


def test_help_in_an_english_locale_is_english(monkeypatch: pytest.MonkeyPatch) -> None:
    code, text = _run(monkeypatch, "en_GB.UTF-8", "platform", "--help")
    assert code == 0
    assert text.startswith("Usage: yrkesresan platform [OPTIONS] COMMAND [ARGS]...")
    for english in ("Options:", "Commands:", "Show this message and exit."):
        assert english in text
    assert not set("åäöÅÄÖ") & set(text), text


@pytest.mark.parametrize(
    ("args", "swedish", "english"),
    [
        (["nope"], "Fel: Kommandot 'nope' finns inte.", "Error: No such command 'nope'."),
        (
            ["platform", "show"],
            "Fel: Argument saknas 'ISSUER'.",
            "Error: Missing argument 'ISSUER'.",
        ),
        (
            ["platform", "add", "--client-id", "c"],
            "Fel: Flagga saknas '--issuer'.",
            "Error: Missing option '--issuer'.",
        ),
        (
            ["outbox", "flush", "--batch-size", "0"],
            "Fel: Ogiltigt värde för '--batch-size': 0 ligger inte i intervallet",
            "Error: Invalid value for '--batch-size': 0 is not in the range",
        ),
        (["db", "current", "--nope"], "Fel: Flaggan '--nope' finns inte.", "No such option"),
    ],
)
def test_a_usage_error_speaks_the_locale_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, args: list[str], swedish: str, english: str
) -> None:
    code, text = _run(monkeypatch, "sv_SE.UTF-8", *args)
    assert code == 2
    assert swedish in text
    assert "Se 'yrkesresan" in text
    assert "för hjälp." in text
    assert "Usage:" not in text
    assert "Error:" not in text
    code, text = _run(monkeypatch, "en_US.UTF-8", *args)
    assert code == 2
    assert english in text
