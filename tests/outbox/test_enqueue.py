"""Enqueueing: one entry per (payload, target), in the caller's transaction."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, Table, func, insert, select
from sqlalchemy.orm import Session

from tests.outbox.conftest import START
from yrkesresan_lti.exceptions import OutboxError
from yrkesresan_lti.outbox import PENDING, Outbox, Payload


def body(n: int) -> bytes:
    return json.dumps({"id": f"st-{n}", "verb": {"id": "v"}, "n": "ö"}, ensure_ascii=False).encode()


def count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_each_payload_fans_out_to_every_target_with_its_bytes_unchanged(
    engine: Engine, outbox: Outbox
) -> None:
    with engine.begin() as conn:
        added = outbox.enqueue(conn, [body(1), body(2)], ["rss", "skr", "rss"])
    entries = outbox.tables.entries
    with engine.connect() as conn:
        rows = conn.execute(select(entries).order_by(entries.c.id)).mappings().all()
    assert added == 4
    assert [(r["dedupe_id"], r["target"]) for r in rows] == [
        ("st-1", "rss"), ("st-1", "skr"), ("st-2", "rss"), ("st-2", "skr"),
    ]  # fmt: skip
    assert [r["payload"] for r in rows] == [body(1), body(1), body(2), body(2)]
    assert {(r["status"], r["attempts"], r["kind"]) for r in rows} == {
        (PENDING, 0, "xapi-statement")
    }
    assert {r["created_at"] for r in rows} == {START}
    assert {r["next_attempt_at"] for r in rows} == {START}


def test_a_rolled_back_transaction_leaves_neither_the_action_nor_its_entries(
    engine: Engine, outbox: Outbox, app_table: Table
) -> None:
    with engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(insert(app_table).values(task="t1"))
        outbox.enqueue(conn, [body(1)], ["rss"])
        transaction.rollback()
    assert count(engine, outbox.tables.entries) == 0
    assert count(engine, app_table) == 0


def test_a_session_commits_the_action_and_its_entries_together_or_not_at_all(
    engine: Engine, outbox: Outbox, app_table: Table
) -> None:
    def failing_request() -> None:
        with Session(engine) as session, session.begin():
            session.execute(insert(app_table).values(task="t1"))
            outbox.enqueue(session, [body(1)], ["rss"])
            raise RuntimeError("the learner's request failed after enqueueing")

    with pytest.raises(RuntimeError):
        failing_request()
    assert (count(engine, app_table), count(engine, outbox.tables.entries)) == (0, 0)

    with Session(engine) as session, session.begin():
        session.execute(insert(app_table).values(task="t1"))
        outbox.enqueue(session, [Payload("score-1", b"\x00 opaque")], ["ags"], kind="ags-score")
    assert (count(engine, app_table), count(engine, outbox.tables.entries)) == (1, 1)


@pytest.mark.parametrize("bad", [b"not json", b"[1, 2]", b'{"no": "id"}'])
def test_bytes_that_are_not_a_json_object_with_an_id_are_refused(
    engine: Engine, outbox: Outbox, bad: bytes
) -> None:
    with engine.begin() as conn, pytest.raises(OutboxError, match="'id'"):
        outbox.enqueue(conn, [bad], ["rss"])
