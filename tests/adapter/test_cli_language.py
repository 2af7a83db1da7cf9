"""The command line speaks one language per locale, through the adapter's catalogs."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from yrkesresan_adapter.web.texts import cli_locale
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.i18n import gettext
from yrkesresan_lti.outbox import cli as outbox_cli

COMMANDS = [
    "",
    "catalog",
    "xapi",
    "outbox",
    "serve",
    "worker",
    "demo",
    "db",
    "platform",
    "keys",
    "stats",
]


@pytest.mark.parametrize(
    ("environ", "locale"),
    [
        ({}, "sv"),
        ({"LANG": "C.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "YRKESRESAN_LOCALE": "sv"}, "sv"),
        ({"YRKESRESAN_LOCALE": "de", "LANG": "fr_FR"}, "sv"),
    ],
)
def test_the_cli_locale_is_chosen_first_match_wins(environ: dict[str, str], locale: str) -> None:
    assert cli_locale(environ) == locale


def _help(*command: str) -> str:
    result = CliRunner().invoke(build_cli(), [*command, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_swedish_has_no_english(command: str) -> None:
    text = _help(*command.split())
    assert " / " not in text.replace("--worker / --no-worker", "")
    for english in ("Run the adapter", "The outbox:", "The catalog:", "Registered learning"):
        assert english not in text


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_english_has_no_swedish(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YRKESRESAN_LOCALE", "en")
    text = _help(*command.split())
    assert not set("åäöÅÄÖ") & set(text), text


def test_the_core_without_the_adapter_speaks_english() -> None:
    assert gettext("The outbox: statements waiting for delivery to the LRS.") == (
        "The outbox: statements waiting for delivery to the LRS."
    )

    @click.group()
    def root() -> None:
        pass

    outbox_cli.register(root)
    text = CliRunner().invoke(root, ["outbox", "--help"]).output
    assert "The outbox: statements waiting for delivery to the LRS." in text
    assert "Utkorgen" not in text
