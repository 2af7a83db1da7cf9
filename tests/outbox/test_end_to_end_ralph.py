"""Outbox → LRS client → Ralph: enqueue, ``yrkesresan outbox flush``, read everything back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from tests.outbox.conftest import engine_url
from tests.outbox.test_cli import CLEAN_ENV
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.outbox import DEAD, Outbox, OutboxTables, OutboxWorker, lrs_deliverers
from yrkesresan_lti.xapi.client import LrsClient
from yrkesresan_lti.xapi.serialization import statement_bytes

pytestmark = pytest.mark.ralph


def statement(registration: str, n: int) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://yrkesresan.se", "name": f"learner-{n % 7}"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"https://yrkesresan.se/id/tasks/{n}"},
        "context": {"registration": registration},
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }


def test_250_enqueued_statements_are_flushed_and_all_read_back(
    engine: Engine,
    tables: OutboxTables,
    ralph: RalphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    registration = str(uuid.uuid4())
    sent = [statement(registration, n) for n in range(250)]
    with engine.begin() as conn:
        Outbox(tables).enqueue(conn, [statement_bytes(s) for s in sent], ["ralph"])
    env = {
        **CLEAN_ENV,
        "YRKESRESAN_DATABASE_URL": engine_url(engine),
        "YRKESRESAN_LRS__NAME": "ralph",
        "YRKESRESAN_LRS__ENDPOINT": ralph.endpoint,
        "YRKESRESAN_LRS__USERNAME": ralph.username,
        "YRKESRESAN_LRS__PASSWORD": ralph.password,
        "YRKESRESAN_LRS__BATCH_SIZE": "100",
    }
    runner = CliRunner()

    flushed = runner.invoke(build_cli(), ["outbox", "flush"], env=env)
    status = runner.invoke(build_cli(), ["outbox", "status"], env=env)

    assert flushed.exit_code == 0, flushed.output
    assert "Levererade: 250" in flushed.output
    line = next(ln for ln in status.output.splitlines() if ln.startswith("ralph"))
    assert line.split() == ["ralph", "0", "250", "0"]
    assert ralph.password not in flushed.output + status.output
    with LrsClient(ralph.lrs_target()) as lrs:
        stored = list(lrs.query(registration=registration, limit=100))
    assert sorted(s["id"] for s in stored) == sorted(str(s["id"]) for s in sent)


def test_a_statement_the_lrs_refuses_is_dead_lettered_with_its_reason(
    engine: Engine, tables: OutboxTables, ralph: RalphServer
) -> None:
    original = statement(str(uuid.uuid4()), 1)
    conflicting = {**original, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}}
    fine = statement(str(uuid.uuid4()), 2)
    outbox = Outbox(tables)
    with engine.begin() as conn:
        outbox.enqueue(conn, [statement_bytes(original)], ["ralph"])
    worker = OutboxWorker(engine, lrs_deliverers([ralph.lrs_target()]), outbox=outbox)
    worker.flush()
    with engine.begin() as conn:
        outbox.enqueue(conn, [json.dumps(conflicting).encode(), statement_bytes(fine)], ["ralph"])
    report = worker.flush()

    assert (report.delivered, report.dead) == (1, 1)
    with engine.connect() as conn:
        [(dead_id, reason)] = conn.execute(
            select(tables.entries.c.dedupe_id, tables.entries.c.last_error).where(
                tables.entries.c.status == DEAD
            )
        ).all()
    assert dead_id == original["id"]
    assert reason.startswith("HTTP 409: Differing statements already exist")
