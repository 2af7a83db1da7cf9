"""``yrkesresan db``, ``platform`` and ``keys`` with click's runner against a temporary database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner, Result

from yrkesresan_adapter import migrations
from yrkesresan_adapter.cli import register
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.settings import Settings

MOODLE = "http://127.0.0.1:8080"
ADD = [
    "platform",
    "add",
    "--issuer",
    MOODLE,
    "--client-id",
    "probe-client-id",
    "--name",
    "Testkommun",
    "--login-url",
    f"{MOODLE}/mod/lti/auth.php",
    "--token-url",
    f"{MOODLE}/mod/lti/token.php",
    "--keyset-url",
    f"{MOODLE}/mod/lti/certs.php",
]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(instance_path=tmp_path / "instance", _env_file=None)


def invoke(settings: Settings, *args: str, input: str | None = None) -> Result:
    @click.group()
    def cli() -> None:
        pass

    register(cli)
    return CliRunner().invoke(cli, list(args), obj=settings, input=input)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def ok_json(result: Result) -> Any:
    """The JSON document on stdout (notes such as a created instance directory go to stderr)."""
    ok(result)
    return json.loads(result.stdout)


def test_adapter_registers_db_platform_and_keys_groups() -> None:
    group = click.Group("yrkesresan")
    register(group)
    assert {"db", "platform", "keys"} <= set(group.commands)


def test_db_upgrade_current_and_check(settings: Settings) -> None:
    empty = invoke(settings, "db", "current")
    assert empty.exit_code == 1
    assert "yrkesresan db upgrade" in empty.output
    assert "tom ->" in ok(invoke(settings, "db", "upgrade"))
    assert "redan" in ok(invoke(settings, "db", "upgrade"))
    out = ok(invoke(settings, "db", "current"))
    assert f"revision: {migrations.head_revision()}" in out
    assert "Schemat är aktuellt" in ok(invoke(settings, "db", "check"))


def _previous_revision() -> str:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    head = script.get_revision(migrations.head_revision())
    assert head is not None
    assert isinstance(head.down_revision, str)
    return head.down_revision


def test_db_current_exits_1_while_the_database_is_behind(settings: Settings) -> None:
    previous = _previous_revision()
    ok(invoke(settings, "db", "upgrade", "--revision", previous))
    behind = invoke(settings, "db", "current")
    assert behind.exit_code == 1
    assert "behöver uppgraderas: kör 'yrkesresan db upgrade'" in behind.output
    as_json = invoke(settings, "db", "current", "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout) == {
        "revision": previous,
        "head": migrations.head_revision(),
        "state": "behind",
    }
    check = invoke(settings, "db", "check", "--json")
    assert check.exit_code == 1
    assert json.loads(check.stdout)["ok"] is False
    ok(invoke(settings, "db", "upgrade"))
    assert ok_json(invoke(settings, "db", "current", "--json"))["state"] == "current"
    checked = ok_json(invoke(settings, "db", "check", "--json"))
    assert checked["ok"] is True
    assert checked["differences"] == []


def test_db_check_fails_while_migrations_are_pending(settings: Settings) -> None:
    result = invoke(settings, "db", "check")
    assert result.exit_code == 1
    assert "yrkesresan db upgrade" in result.output
    assert "Traceback" not in result.output


def test_platform_add_list_show_and_remove(settings: Settings) -> None:
    assert "Registrerad" in ok(invoke(settings, *ADD, "--deployment", "1", "--active"))
    listed = ok(invoke(settings, "platform", "list"))
    assert "Testkommun" in listed
    assert "probe-client-id" in listed
    assert "1 (aktiv)" in listed
    shown = ok(invoke(settings, "platform", "show", MOODLE))
    assert f"tokenadress (token URL): {MOODLE}/mod/lti/token.php" in shown
    assert "skicka namn: nej" in shown
    assert "Borttagen" in ok(invoke(settings, "platform", "remove", MOODLE, "--yes"))
    assert "Inga plattformar" in ok(invoke(settings, "platform", "list"))


def test_platform_remove_asks_first(settings: Settings) -> None:
    ok(invoke(settings, *ADD))
    refused = invoke(settings, "platform", "remove", MOODLE, input="n\n")
    assert refused.exit_code == 1
    assert "Testkommun" in ok(invoke(settings, "platform", "list"))


def test_deployments_are_activated_and_deactivated(settings: Settings) -> None:
    out = ok(invoke(settings, *ADD, "--deployment", "1"))
    assert "inaktiva" in out
    ok(invoke(settings, "platform", "activate-deployment", MOODLE, "1"))
    assert "1 (aktiv)" in ok(invoke(settings, "platform", "show", MOODLE))
    ok(invoke(settings, "platform", "deactivate-deployment", MOODLE, "1"))
    assert "1 (inaktiv)" in ok(invoke(settings, "platform", "show", MOODLE))


def test_duplicate_registration_is_a_clear_error(settings: Settings) -> None:
    ok(invoke(settings, *ADD))
    result = invoke(settings, *ADD)
    assert result.exit_code == 1
    assert "finns redan" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_bad_url_is_a_usage_error(settings: Settings) -> None:
    args = [a if a != f"{MOODLE}/mod/lti/certs.php" else "certs.php" for a in ADD]
    result = invoke(settings, *args)
    assert result.exit_code == 2
    assert "--keyset-url" in result.output
    assert "http(s)" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["platform", "show", "https://okand.example"],
        ["platform", "remove", "https://okand.example", "--yes"],
        ["platform", "activate-deployment", "https://okand.example", "1"],
    ],
)
def test_unknown_platform_is_a_clear_error(settings: Settings, args: list[str]) -> None:
    result = invoke(settings, *args)
    assert result.exit_code == 1
    assert "ingen plattform registrerad" in result.output
    assert "Traceback" not in result.output


def test_ambiguous_issuer_asks_for_the_client_id(settings: Settings) -> None:
    ok(invoke(settings, *ADD))
    other = [a if a != "probe-client-id" else "second-client" for a in ADD]
    ok(invoke(settings, *other))
    result = invoke(settings, "platform", "show", MOODLE)
    assert result.exit_code == 1
    assert "--client-id" in result.output
    shown = ok(invoke(settings, "platform", "show", MOODLE, "--client-id", "second-client"))
    assert "client_id: second-client" in shown


def test_deactivating_an_unknown_deployment_is_a_clear_error(settings: Settings) -> None:
    ok(invoke(settings, *ADD))
    result = invoke(settings, "platform", "deactivate-deployment", MOODLE, "9")
    assert result.exit_code == 1
    assert "deployment '9' finns inte" in result.output


def test_keys_rotate_publishes_then_refuses_early_promotion_then_promotes(
    settings: Settings,
) -> None:
    assert "Inga nycklar ännu" in ok(invoke(settings, "keys", "list"))
    assert "publicerad men signerar inte" in ok(invoke(settings, "keys", "rotate"))
    listed = ok(invoke(settings, "keys", "list"))
    assert "aktuell" in listed
    assert "nästa" in listed
    early = invoke(settings, "keys", "rotate")
    assert early.exit_code == 1
    assert "--promote" in early.output
    assert "signerar nu" in ok(invoke(settings, "keys", "rotate", "--promote"))
    listed = ok(invoke(settings, "keys", "list"))
    assert "avslutad" in listed
    assert "nästa" not in listed


def test_production_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    prod = Settings(
        instance_path=tmp_path / "i",
        production=True,
        base_url="https://lti.kommun.example",
        _env_file=None,
    )
    result = invoke(prod, "platform", "list")
    assert result.exit_code == 1
    assert "db upgrade" in result.output
    ok(invoke(prod, "db", "upgrade"))
    assert "Inga plattformar" in ok(invoke(prod, "platform", "list"))
    migrations_db = Database(prod.sqlalchemy_url)
    assert migrations.is_current(migrations_db)
    migrations_db.dispose()


def test_invalid_settings_are_reported_without_their_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("YRKESRESAN_PORT", "hemligt-värde")

    @click.group()
    def cli() -> None:
        pass

    register(cli)
    result = CliRunner().invoke(cli, ["platform", "list"])
    assert result.exit_code == 1
    assert "port" in result.output
    assert "hemligt-värde" not in result.output


def test_store_errors_print_the_catalog_text_of_their_code(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(invoke(settings, *ADD))
    monkeypatch.setenv("YRKESRESAN_LOCALE", "en")
    duplicate = invoke(settings, *ADD)
    unknown = invoke(settings, "platform", "show", "https://unknown.example")
    assert duplicate.exit_code == 1
    assert f"platform {MOODLE} with client_id probe-client-id is already registered" in (
        duplicate.output
    )
    assert "no platform registered for https://unknown.example" in unknown.output
    assert "finns" not in duplicate.output + unknown.output


def test_platform_list_and_show_as_json_and_as_an_aligned_table(settings: Settings) -> None:
    assert ok_json(invoke(settings, "platform", "list", "--json")) == []
    ok(invoke(settings, *ADD, "--deployment", "1", "--active"))
    listed = ok_json(invoke(settings, "platform", "list", "--json"))
    shown = ok_json(invoke(settings, "platform", "show", MOODLE, "--json"))
    assert listed == [shown]
    assert shown == {
        "name": "Testkommun",
        "issuer": MOODLE,
        "client_id": "probe-client-id",
        "login_url": f"{MOODLE}/mod/lti/auth.php",
        "token_url": f"{MOODLE}/mod/lti/token.php",
        "keyset_url": f"{MOODLE}/mod/lti/certs.php",
        "audience": None,
        "send_names": False,
        "deployments": [{"deployment_id": "1", "active": True}],
        "municipalities": [],
        "regions": [],
    }
    header, row = invoke(settings, "platform", "list").stdout.splitlines()
    assert header.split() == ["namn", "issuer", "client_id", "deployments"]
    assert "\t" not in row
    assert row.index(MOODLE) == header.index("issuer")


def test_keys_list_as_json(settings: Settings) -> None:
    assert ok_json(invoke(settings, "keys", "list", "--json")) == []
    ok(invoke(settings, "keys", "rotate"))
    keys = ok_json(invoke(settings, "keys", "list", "--json"))
    assert [k["state"] for k in keys] == ["current", "next"]
    assert set(keys[0]) == {
        "kid",
        "state",
        "created_at",
        "activated_at",
        "retired_at",
        "published_until",
    }
    assert keys[0]["created_at"].startswith("20")


def test_the_issuer_example_is_an_issuer_not_a_login_url(settings: Settings) -> None:
    args = [a if a != MOODLE else "moodle.kommun.se" for a in ADD]
    result = invoke(settings, *args)
    assert result.exit_code == 2
    assert "t.ex. https://moodle.kommun.se" in result.output
    assert "auth.php" not in result.output.split("--issuer")[1]
    help_text = ok(invoke(settings, "platform", "add", "--help"))
    assert "t.ex. https://moodle.kommun.se för Moodle" in " ".join(help_text.split())
