"""``yrkesresan platform set-region|clear-region|regions`` on SQLite and PostgreSQL: which
regions each tenant (issuer, client_id) coordinates, shown by ``platform show``; bad input
exits non-zero with a Swedish message and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.storage.test_cli import ADD, MOODLE, invoke, ok, ok_json
from yrkesresan_lti.settings import Settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(instance_path=tmp_path / "instance", database_url=database_url, _env_file=None)


def _add(settings: Settings, client_id: str, name: str) -> None:
    args = list(ADD)
    args[args.index("probe-client-id")] = client_id
    args[args.index("Testkommun")] = name
    ok(invoke(settings, *args))


def _regions(settings: Settings) -> dict[str, list[str]]:
    return {
        p["client_id"]: p["regions"]
        for p in ok_json(invoke(settings, "platform", "regions", "--json"))
    }


def test_each_tenant_of_an_issuer_gets_its_own_regions(settings: Settings) -> None:
    _add(settings, "gr", "Göteborg")
    _add(settings, "skane", "Malmö")
    assert _regions(settings) == {"gr": [], "skane": []}
    out = ok(
        invoke(settings, "platform", "set-region", MOODLE, "GR", "Sjuhärad", "--client-id", "gr")
    )
    assert "Göteborg samordnar nu: GR, Sjuhärad" in out
    assert "inget kurstillfälle i databasen har regionen GR" in out  # a hint, not an error
    ok(invoke(settings, "platform", "set-region", MOODLE, "Region Skåne", "--client-id", "skane"))
    assert _regions(settings) == {"gr": ["GR", "Sjuhärad"], "skane": ["Region Skåne"]}
    # set-region replaces the platform's regions
    ok(invoke(settings, "platform", "set-region", MOODLE, "GR", "--client-id", "gr"))
    shown = ok_json(invoke(settings, "platform", "show", MOODLE, "--client-id", "gr", "--json"))
    assert shown["regions"] == ["GR"]
    text = ok(invoke(settings, "platform", "show", MOODLE, "--client-id", "skane"))
    assert "regioner: Region Skåne" in text
    table = ok(invoke(settings, "platform", "regions"))
    assert "Region Skåne" in table
    assert "GR" in table
    assert "samordnar ingen region" in ok(
        invoke(settings, "platform", "clear-region", MOODLE, "--client-id", "gr")
    )
    assert _regions(settings) == {"gr": [], "skane": ["Region Skåne"]}
    text = ok(invoke(settings, "platform", "show", MOODLE, "--client-id", "gr"))
    assert "regioner: ingen" in text


def test_removing_a_platform_removes_its_regions(settings: Settings) -> None:
    _add(settings, "gr", "Göteborg")
    ok(invoke(settings, "platform", "set-region", MOODLE, "GR"))
    ok(invoke(settings, "platform", "remove", MOODLE, "--yes"))
    _add(settings, "gr", "Göteborg")  # registered again: coordinates nothing until set
    assert _regions(settings) == {"gr": []}


def test_bad_input_is_refused_in_swedish_and_changes_nothing(settings: Settings) -> None:
    _add(settings, "gr", "Göteborg")
    _add(settings, "skane", "Malmö")
    unknown = invoke(settings, "platform", "set-region", "https://okand.example.se", "GR")
    assert unknown.exit_code == 1
    assert "ingen plattform registrerad för https://okand.example.se" in unknown.output
    ambiguous = invoke(settings, "platform", "set-region", MOODLE, "GR")
    assert ambiguous.exit_code == 1
    assert "--client-id" in ambiguous.output
    for bad in ("  ", "x" * 256, "GR\x00"):
        refused = invoke(settings, "platform", "set-region", MOODLE, bad, "--client-id", "gr")
        assert refused.exit_code == 2
        assert "är inget regionnamn" in refused.output
    missing = invoke(settings, "platform", "set-region", MOODLE, "--client-id", "gr")
    assert missing.exit_code == 2
    assert "Traceback" not in unknown.output + ambiguous.output + missing.output
    assert _regions(settings) == {"gr": [], "skane": []}
