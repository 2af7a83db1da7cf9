"""``yrkesresan outbox ...`` as an operator uses it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, MetaData, create_engine, update

from tests.outbox.conftest import engine_url
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.outbox import DEAD, DELIVERED, Outbox, OutboxTables, define_outbox_tables

CLEAN_ENV: dict[str, str | None] = dict.fromkeys(
    (
        "YRKESRESAN_LRS",
        "YRKESRESAN_LRS__ENDPOINT",
        "YRKESRESAN_LRS__USERNAME",
        "YRKESRESAN_LRS__PASSWORD",
        "YRKESRESAN_LRS_TARGETS",
        "YRKESRESAN_DATABASE_URL",
    )
)


def outbox_cli(*args: str, env: Mapping[str, str | None]) -> Result:
    return CliRunner().invoke(build_cli(), ["outbox", *args], env={**CLEAN_ENV, **env})


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def seed(url: str, n: int, targets: list[str]) -> tuple[Engine, OutboxTables]:
    engine = create_engine(url)
    tables = define_outbox_tables(MetaData())
    with engine.begin() as conn:
        Outbox(tables).enqueue(
            conn, [json.dumps({"id": f"s{i}"}).encode() for i in range(n)], targets
        )
    return engine, tables


def test_status_without_the_table_says_how_to_create_it(sqlite_url: str) -> None:
    result = outbox_cli("status", env={"YRKESRESAN_DATABASE_URL": sqlite_url})
    assert result.exit_code == 1
    assert "yrkesresan outbox init-db" in result.output


def test_in_english_the_outbox_speaks_english_only(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YRKESRESAN_LOCALE", "en")
    env = {"YRKESRESAN_DATABASE_URL": sqlite_url}
    assert outbox_cli("init-db", env=env).output.startswith("Done: ")
    status = outbox_cli("status", env=env).output
    assert status.split()[:4] == ["target", "pending", "delivered", "dead"]
    assert "No LRS is configured: statements wait safely" in status
    assert "Ingen LRS" not in status
    help_text = outbox_cli("--help", env={}).output
    assert "The outbox: statements waiting for delivery to the LRS." in help_text
    assert "Utkorgen" not in help_text


def test_without_an_lrs_status_and_flush_say_statements_wait_safely(sqlite_url: str) -> None:
    env = {"YRKESRESAN_DATABASE_URL": sqlite_url}
    assert outbox_cli("init-db", env=env).exit_code == 0
    engine, tables = seed(sqlite_url, 4, ["default"])

    status = outbox_cli("status", env=env)
    flush = outbox_cli("flush", env=env)

    assert status.exit_code == flush.exit_code == 0
    for output in (status.output, flush.output):
        assert "Ingen LRS är konfigurerad: statements väntar säkert" in output
        assert "No LRS is configured" not in output, "one language per locale"
    line = next(ln for ln in status.output.splitlines() if ln.startswith("default"))
    assert line.split()[:4] == ["default", "4", "0", "0"]
    assert line.endswith("(ej konfigurerad)")
    with engine.connect() as conn:
        assert Outbox(tables).status(conn).pending == 4


def test_status_shows_the_age_of_the_oldest_pending_entry(sqlite_url: str) -> None:
    env = {"YRKESRESAN_DATABASE_URL": sqlite_url}
    outbox_cli("init-db", env=env)
    engine, tables = seed(sqlite_url, 1, ["default"])
    with engine.begin() as conn:
        an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
        conn.execute(update(tables.entries).values(created_at=an_hour_ago))
    output = outbox_cli("status", env=env).output
    age = int(output.split("Äldsta väntande: ")[1].split(" s")[0])
    assert 3600 <= age < 3700


def test_retry_dead_and_purge_delivered(sqlite_url: str) -> None:
    env = {"YRKESRESAN_DATABASE_URL": sqlite_url}
    outbox_cli("init-db", env=env)
    engine, tables = seed(sqlite_url, 3, ["a", "b"])
    entries = tables.entries
    long_ago = datetime.now(UTC) - timedelta(days=40)
    with engine.begin() as conn:
        conn.execute(update(entries).where(entries.c.dedupe_id == "s0").values(status=DEAD))
        conn.execute(
            update(entries)
            .where(entries.c.dedupe_id == "s1")
            .values(status=DELIVERED, delivered_at=long_ago)
        )

    assert "Återköade: 1" in outbox_cli("retry-dead", "--target", "a", env=env).output
    assert "Återköade: 1" in outbox_cli("retry-dead", env=env).output
    assert "Raderade: 0" in outbox_cli("purge-delivered", "--older-than", "41d", env=env).output
    assert "Raderade: 2" in outbox_cli("purge-delivered", env=env).output
    bad = outbox_cli("purge-delivered", "--older-than", "soon", env=env)
    assert bad.exit_code == 2
    assert "30d, 12h" in bad.output


def test_an_unreachable_database_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}"
    result = outbox_cli("status", env={"YRKESRESAN_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "går inte att öppna" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_init_db_works_on_the_parametrised_databases(engine: Engine) -> None:
    env = {"YRKESRESAN_DATABASE_URL": engine_url(engine)}
    assert outbox_cli("init-db", env=env).exit_code == 0
    assert outbox_cli("init-db", env=env).exit_code == 0  # idempotent
    status = outbox_cli("status", env=env)
    assert status.exit_code == 0, status.output


def test_status_as_json_has_stable_keys(sqlite_url: str) -> None:
    env = {"YRKESRESAN_DATABASE_URL": sqlite_url}
    outbox_cli("init-db", env=env)
    seed(sqlite_url, 3, ["default"])
    result = outbox_cli("status", "--json", env=env)
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["lrs_configured"] is False
    assert report["oldest_pending_age_seconds"] >= 0
    default = next(t for t in report["targets"] if t["name"] == "default")
    assert default == {
        "name": "default",
        "pending": 3,
        "delivered": 0,
        "dead": 0,
        "configured": False,
    }
