"""``yrkesresan platform set-municipality|clear-municipality`` and ``platform show``."""

from __future__ import annotations

import pytest

from tests.storage.test_cli import ADD, MOODLE, invoke, ok, ok_json
from tests.storage.test_cli import settings as settings
from yrkesresan_lti.settings import Settings


@pytest.fixture
def registered(settings: Settings) -> Settings:
    ok(invoke(settings, *ADD, "--deployment", "1", "--deployment", "2", "--active"))
    return settings


def test_a_municipality_by_code_or_name_is_listed_by_platform_show(registered: Settings) -> None:
    said = ok(invoke(registered, "platform", "set-municipality", MOODLE, "1480"))
    assert "Göteborg (1480, Västra Götalands län)" in said
    ok(
        invoke(
            registered,
            "platform",
            "set-municipality",
            MOODLE,
            "Partille",
            "--deployment",
            "2",
            "--context",
            "kurs-7",
        )
    )
    shown = ok(invoke(registered, "platform", "show", MOODLE))
    assert "Göteborg (1480, Västra Götalands län) — hela plattformen" in shown
    assert "Partille (1402, Västra Götalands län) — sammanhang kurs-7 i deployment 2" in shown
    data = ok_json(invoke(registered, "platform", "show", MOODLE, "--json"))
    assert data["municipalities"][0] == {
        "deployment_id": None,
        "context_id": None,
        "municipality_code": "1480",
        "municipality_name": "Göteborg",
        "county_code": "14",
        "county_name": "Västra Götalands län",
    }
    assert data["municipalities"][1]["context_id"] == "kurs-7"


def test_clearing_removes_it(registered: Settings) -> None:
    ok(invoke(registered, "platform", "set-municipality", MOODLE, "0180", "--deployment", "1"))
    said = ok(invoke(registered, "platform", "clear-municipality", MOODLE, "--deployment", "1"))
    assert "borttagen" in said
    assert "ingen kopplad" in ok(invoke(registered, "platform", "show", MOODLE))
    again = ok(invoke(registered, "platform", "clear-municipality", MOODLE, "--deployment", "1"))
    assert "Ingen kommun" in again


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("9999", "9999 är inte en kommunkod"),
        ("Atlantis", "Atlantis är inte namnet på en svensk kommun"),
    ],
)
def test_an_unknown_kommunkod_or_name_exits_1_in_swedish_and_writes_nothing(
    registered: Settings, argument: str, message: str
) -> None:
    result = invoke(registered, "platform", "set-municipality", MOODLE, argument)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert "ingen kopplad" in ok(invoke(registered, "platform", "show", MOODLE))


def test_an_unknown_deployment_or_platform_exits_1(registered: Settings) -> None:
    result = invoke(registered, "platform", "set-municipality", MOODLE, "1480", "--deployment", "9")
    assert result.exit_code == 1
    assert "deployment '9' finns inte" in result.output
    unknown = invoke(registered, "platform", "set-municipality", "https://okand.se", "1480")
    assert unknown.exit_code == 1
    assert "ingen plattform registrerad" in unknown.output
