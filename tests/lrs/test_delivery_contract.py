"""Outbox → LRS delivery, one contract for every LRS we support: Ralph and an LRS as strict
as ADL's reference LRS (:mod:`tests.lrs.adl_double`).

What a user notices: after ``flush`` every statement is either in the LRS (entry
``delivered``) or, only if the LRS refuses that very statement, ``dead`` with the reason;
never a statement the LRS holds in the dead letters, never a good one held back by a bad one.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, select

from tests.lrs.adl_double import AdlStrictServer
from tests.xapi.events import COURSE, DAY, FOLLOW_UP_TASK, PREPARATION, TASK
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.outbox import (
    DEAD,
    DELIVERED,
    DeliveryOutcome,
    Outbox,
    OutboxItem,
    OutboxTables,
    OutboxWorker,
    define_outbox_tables,
    lrs_deliverers,
)
from yrkesresan_lti.outbox.deliverer import Deliverer
from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import LrsClient
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.sameness import same_statement
from yrkesresan_lti.xapi.serialization import statement_bytes

CATALOG = Path(__file__).parents[1] / "xapi" / "catalog.yaml"
NAME = "lrs"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"


@dataclass
class LrsUnderTest:
    """One LRS of the contract: where it is, and how to make a statement it cannot store."""

    target: LrsTarget
    poison: Callable[[dict[str, Any]], dict[str, Any]]
    poison_status: int


def _ralph(request: pytest.FixtureRequest) -> Iterator[LrsUnderTest]:
    ralph: RalphServer = request.getfixturevalue("ralph")

    def invalid(statement: dict[str, Any]) -> dict[str, Any]:
        return {**statement, "actor": None}  # Ralph cannot store it: 422

    yield LrsUnderTest(ralph.lrs_target(name=NAME, batch_size=50), invalid, 422)


def _adl_strict(request: pytest.FixtureRequest) -> Iterator[LrsUnderTest]:
    server = AdlStrictServer()

    def poisoned(statement: dict[str, Any]) -> dict[str, Any]:
        server.app.poison.add(statement["id"])  # the LRS fails on it with a 500
        return statement

    with server.running():
        yield LrsUnderTest(server.lrs_target(name=NAME, batch_size=50), poisoned, 500)


@pytest.fixture(params=[pytest.param("ralph", marks=pytest.mark.ralph), pytest.param("adl-strict")])
def lrs(request: pytest.FixtureRequest) -> Iterator[LrsUnderTest]:
    yield from (_ralph if request.param == "ralph" else _adl_strict)(request)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    yield made
    made.dispose()


@pytest.fixture
def tables(engine: Engine) -> OutboxTables:
    metadata = MetaData()
    made = define_outbox_tables(metadata)
    metadata.create_all(engine)
    return made


@pytest.fixture
def factory() -> StatementFactory:
    return StatementFactory(
        load_catalog(CATALOG),
        Pseudonymizer("contract-test-pseudonym-key-0123456789"),
    )


def learner(sub: str) -> Learner:
    return Learner(
        issuer="https://moodle.alingsas.se",
        sub=sub,
        client_id="yrkesresan-client",
        deployment_id="deployment-1",
        platform_name="Alingsås kommun",
    )


def statements(factory: StatementFactory, count: int) -> list[dict[str, Any]]:
    """``count`` statements of the default (pseudonymous) kind, for fresh learners."""
    makers = [
        lambda who: factory.task_opened(who, TASK),
        lambda who: factory.task_completed(who, FOLLOW_UP_TASK),
        lambda who: factory.progress_changed(who, PREPARATION, 50),
        lambda who: factory.course_day_attended(who, DAY, instructor=learner("trainer-1")),
        lambda who: factory.course_completed(who, COURSE),
    ]
    return [makers[n % len(makers)](learner(str(uuid.uuid4()))) for n in range(count)]


def worker(engine: Engine, tables: OutboxTables, deliverers: dict[str, Deliverer]) -> OutboxWorker:
    return OutboxWorker(engine, deliverers, outbox=Outbox(tables))


def deliverers(lrs: LrsUnderTest) -> dict[str, Deliverer]:
    return lrs_deliverers([lrs.target], retry=RetryPolicy(sleep=lambda _: None))


def enqueue(engine: Engine, tables: OutboxTables, sent: Sequence[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        Outbox(tables).enqueue(conn, [statement_bytes(s) for s in sent], [NAME])


def states(engine: Engine, tables: OutboxTables) -> dict[str, tuple[str, str | None]]:
    t = tables.entries
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.dedupe_id, t.c.status, t.c.last_error)).all()
    return {row.dedupe_id: (row.status, row.last_error) for row in rows}


def held(lrs: LrsUnderTest, statement_id: str) -> dict[str, Any] | None:
    with LrsClient(lrs.target) as client:
        return client.get(statement_id)


class CrashAfterPosting:
    """The worker dies after the LRS took the batch and before the outbox recorded it."""

    def __init__(self, inner: Deliverer) -> None:
        self.inner = inner

    def deliver(self, items: Sequence[OutboxItem]) -> Sequence[DeliveryOutcome]:
        self.inner.deliver(items)
        raise RuntimeError("worker killed before recording the outcome")


def test_a_fresh_batch_of_our_statements_is_stored(
    lrs: LrsUnderTest, engine: Engine, tables: OutboxTables, factory: StatementFactory
) -> None:
    sent = statements(factory, 10)
    enqueue(engine, tables, sent)

    report = worker(engine, tables, deliverers(lrs)).flush()

    assert (report.delivered, report.dead, report.retried) == (10, 0, 0)
    assert {status for status, _ in states(engine, tables).values()} == {DELIVERED}
    for statement in sent:
        stored = held(lrs, statement["id"])
        assert stored is not None
        assert stored["actor"]["account"] == statement["actor"]["account"]
        assert same_statement(statement, stored)  # what we would compare after a 409


def test_an_identical_resend_after_a_crash_ends_delivered(
    lrs: LrsUnderTest, engine: Engine, tables: OutboxTables, factory: StatementFactory
) -> None:
    sent = statements(factory, 6)
    enqueue(engine, tables, sent)
    crashed = worker(engine, tables, {NAME: CrashAfterPosting(deliverers(lrs)[NAME])}).flush()
    assert crashed.delivered == 0
    assert all(held(lrs, s["id"]) is not None for s in sent)  # the LRS has them all

    report = worker(engine, tables, deliverers(lrs)).flush()

    assert (report.delivered, report.dead) == (6, 0)
    assert {status for status, _ in states(engine, tables).values()} == {DELIVERED}


def test_a_changed_statement_under_an_old_id_is_a_conflict_dead_letter(
    lrs: LrsUnderTest,
    engine: Engine,
    tables: OutboxTables,
    factory: StatementFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    original, *others = statements(factory, 4)
    with LrsClient(lrs.target) as client:
        client.send([statement_bytes(original)])
    changed = {**original, "verb": {"id": EXPERIENCED, "display": {"sv": "tog del av"}}}
    enqueue(engine, tables, [others[0], changed, *others[1:]])
    caplog.set_level(logging.WARNING)

    report = worker(engine, tables, deliverers(lrs)).flush()

    assert (report.delivered, report.dead) == (3, 1)
    status, reason = states(engine, tables)[original["id"]]
    assert status == DEAD
    assert "409" in (reason or "")
    stored = held(lrs, original["id"])
    assert stored is not None
    assert stored["verb"]["id"] == original["verb"]["id"]
    [warning] = [r for r in caplog.records if getattr(r, "event", "") == "lrs_conflict"]
    assert warning.levelno == logging.WARNING
    assert json.loads(warning.sent)["verb"]["id"] == EXPERIENCED  # both versions, as JSON
    assert json.loads(warning.stored)["verb"]["id"] == original["verb"]["id"]
    assert lrs.target.password is not None
    assert lrs.target.password.get_secret_value() not in caplog.text


def test_a_statement_the_lrs_cannot_store_does_not_hold_back_its_batch(
    lrs: LrsUnderTest, engine: Engine, tables: OutboxTables, factory: StatementFactory
) -> None:
    sent = statements(factory, 6)
    sent[3] = lrs.poison(sent[3])
    enqueue(engine, tables, sent)

    report = worker(engine, tables, deliverers(lrs)).flush()

    assert (report.delivered, report.dead, report.retried) == (5, 1, 0)
    found = states(engine, tables)
    status, reason = found.pop(sent[3]["id"])
    assert status == DEAD
    assert f"HTTP {lrs.poison_status}" in (reason or "")
    assert {status for status, _ in found.values()} == {DELIVERED}
    assert all(held(lrs, s["id"]) is not None for i, s in enumerate(sent) if i != 3)


def test_a_voided_statement_resent_after_a_crash_ends_delivered(
    lrs: LrsUnderTest, engine: Engine, tables: OutboxTables, factory: StatementFactory
) -> None:
    who = learner(str(uuid.uuid4()))
    completion = factory.task_completed(who, TASK)
    undo = factory.task_undone(who, TASK, completion["id"])
    enqueue(engine, tables, [completion, undo])
    worker(engine, tables, {NAME: CrashAfterPosting(deliverers(lrs)[NAME])}).flush()
    assert held(lrs, undo["id"]) is not None

    report = worker(engine, tables, deliverers(lrs)).flush()

    assert (report.delivered, report.dead) == (2, 0)
    assert {status for status, _ in states(engine, tables).values()} == {DELIVERED}
