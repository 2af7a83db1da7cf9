"""``yrkesresan doctor``: every check, against Ralph for real and with ``responses`` for
remote endpoints that fail; exit code 1 and a fix for each failed check."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import click
import pytest
import responses
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from yrkesresan_adapter.cli import register
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_adapter.storage.keys import public_jwk
from yrkesresan_lti.settings import LrsTarget, Settings

MOODLE = "https://moodle.kommun.se"
KEYSET = f"{MOODLE}/mod/lti/certs.php"
LRS = "https://lrs.kommun.se/xapi/"


def invoke(settings: Settings, *args: str) -> Result:
    @click.group()
    def cli() -> None:
        pass

    register(cli)
    return CliRunner().invoke(cli, list(args), obj=settings)


def _settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(instance_path=tmp_path / "instance", _env_file=None, **values)


def _prepared(tmp_path: Path, **values: Any) -> Settings:
    """A migrated database with one Moodle platform registered."""
    settings = _settings(tmp_path, **values)
    assert invoke(settings, "db", "upgrade").exit_code == 0
    added = invoke(
        settings,
        *("platform", "add", "--issuer", MOODLE, "--client-id", "c1", "--name", "Kommunen"),
        *("--login-url", f"{MOODLE}/mod/lti/auth.php", "--token-url", f"{MOODLE}/token"),
        *("--keyset-url", KEYSET),
    )
    assert added.exit_code == 0, added.output
    return settings


def _jwks() -> dict[str, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {"keys": [public_jwk(key.public_key())]}


def _date(offset: timedelta = timedelta()) -> dict[str, str]:
    return {"Date": format_datetime(datetime.now(UTC) + offset, usegmt=True)}


def _checks(result: Result) -> dict[str, dict[str, Any]]:
    report = json.loads(result.stdout)
    return {f"{c['name']}:{c['target'] or ''}": c for c in report["checks"]}


@pytest.mark.ralph
def test_everything_ok_against_ralph(tmp_path: Path, ralph: RalphServer) -> None:
    settings = _prepared(tmp_path, lrs=ralph.lrs_target())
    with responses.RequestsMock() as mock:
        mock.add_passthru(ralph.endpoint)
        mock.get(KEYSET, json=_jwks(), headers=_date())
        result = invoke(settings, "doctor", "--json")
    assert result.exit_code == 0, result.output
    checks = _checks(result)
    assert json.loads(result.stdout)["ok"] is True
    assert checks["lrs:ralph"]["status"] == "ok"
    assert checks[f"platform:{MOODLE}"]["code"] == "keyset_valid"
    assert checks["migrations:"]["status"] == "ok"
    assert checks["clock:"]["status"] == "ok"
    assert {c["status"] for c in checks.values()} == {"ok"}


@pytest.mark.ralph
def test_a_wrong_lrs_password_is_found_against_ralph(tmp_path: Path, ralph: RalphServer) -> None:
    target = ralph.lrs_target().model_copy(update={"password": SecretStr("fel-lösenord")})
    settings = _settings(tmp_path, lrs=target)
    assert invoke(settings, "db", "upgrade").exit_code == 0
    result = invoke(settings, "doctor")
    assert result.exit_code == 1
    assert "[FEL] LRS ralph: LRS:en nekade läsning (401)" in result.output
    assert "Åtgärd: Kontrollera användarnamn och lösenord eller token" in result.output


@responses.activate
def test_failing_remote_endpoints_each_get_a_fix(tmp_path: Path) -> None:
    settings = _prepared(
        tmp_path,
        lrs_targets=[
            LrsTarget(name="nere", endpoint="https://nere.kommun.se/xapi/"),
            LrsTarget(name="fel", endpoint=LRS, username="u", password="p"),
        ],
    )
    responses.get(KEYSET, status=500, headers=_date(timedelta(minutes=5)))
    responses.get(f"{LRS}about", json={"version": ["1.0.3"]}, headers=_date())
    responses.get(f"{LRS}statements", status=403)
    result = invoke(settings, "doctor", "--json")
    assert result.exit_code == 1
    checks = _checks(result)
    assert checks[f"platform:{MOODLE}"]["code"] == "keyset_status"
    assert "yrkesresan platform show" in checks[f"platform:{MOODLE}"]["fix"]
    assert checks["lrs:nere"]["code"] == "lrs_unreachable"
    assert checks["lrs:fel"]["code"] == "lrs_auth"
    assert checks["clock:"]["code"] == "clock_skew"
    assert "NTP" in checks["clock:"]["fix"]
    basic = responses.calls[-1].request.headers["Authorization"]
    assert basic.startswith("Basic ")


@responses.activate
def test_a_keyset_that_is_not_a_jwks_fails(tmp_path: Path) -> None:
    settings = _prepared(tmp_path)
    responses.get(KEYSET, json={"keys": [{"kty": "nonsense"}]})
    result = invoke(settings, "doctor")
    assert result.exit_code == 1
    assert f"[FEL] plattform {MOODLE}: {KEYSET} gav ingen giltig nyckeluppsättning" in (
        result.output
    )


def test_a_database_behind_is_a_failed_check_with_the_upgrade_command(tmp_path: Path) -> None:
    result = invoke(_settings(tmp_path), "doctor")
    assert result.exit_code == 1
    assert "[FEL] migreringar:" in result.output
    assert "Åtgärd: Kör 'yrkesresan db upgrade'." in result.output
    assert "[hoppas över] nycklar" in result.output


def test_an_unreachable_database_fails(tmp_path: Path) -> None:
    settings = _settings(tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:9/x")
    result = invoke(settings, "doctor", "--json")
    assert result.exit_code == 1
    checks = _checks(result)
    assert checks["database:"]["code"] == "database_unreachable"
    assert "YRKESRESAN_DATABASE_URL" in checks["database:"]["fix"]


def test_invalid_settings_fail_the_configuration_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YRKESRESAN_PORT", "0")
    monkeypatch.chdir(tmp_path)

    @click.group()
    def cli() -> None:
        pass

    register(cli)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "[FEL] inställningar: Ogiltiga inställningar: port" in result.output
    assert "Åtgärd: Rätta YRKESRESAN_*-variablerna" in result.output


def test_a_clean_installation_without_remotes_is_ok(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert invoke(settings, "db", "upgrade").exit_code == 0
    result = invoke(settings, "doctor")
    assert result.exit_code == 0, result.output
    assert "Allt ser bra ut." in result.output
    assert "[hoppas över] LRS: ingen LRS" in result.output
