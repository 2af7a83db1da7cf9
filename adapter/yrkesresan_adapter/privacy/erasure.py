"""Erases one person: our rows deleted in one transaction, their statements voided.

xAPI 1.0.3 has no delete: what reached an LRS stays there until its operator deletes it.
So erasure (GDPR art. 17) here is

* every row about the person deleted, their ``sub`` in other people's rows (who registered,
  who recorded attendance) replaced by :data:`~.registry.ERASED`, their stored launches,
  outbox entries (statements, AGS scores) and score heads deleted;
* one *voided* statement (template ``statement-erased``, actor: the tool, so no new trace of
  the person) queued for every LRS target per statement of theirs that may have left the
  outbox and is not itself a voiding statement;
* a report of what the LRS operator must delete by hand: the actor's accounts, the
  registrations and the statement ids.

Other learners' statements naming the person as ``context.instructor`` that still wait for
delivery are kept (they are about someone else) and reported; delivered ones are deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, update

from yrkesresan_adapter.privacy.finder import Findings
from yrkesresan_adapter.privacy.registry import ERASED, LAUNCH_STATES, OUTBOX, SCORE_HEADS
from yrkesresan_adapter.stats.ledger import Ledger
from yrkesresan_adapter.tables import all_tables
from yrkesresan_lti.outbox.outbox import Outbox, Payload
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.serialization import statement_bytes


@dataclass
class ErasureReport:
    deleted: dict[str, int] = field(default_factory=dict)
    """Rows deleted per table."""
    anonymized: dict[str, int] = field(default_factory=dict)
    """``table.column`` → other people's rows where the person's ``sub`` was replaced."""
    voided: list[str] = field(default_factory=list)
    """Ids of the person's statements a voiding statement was queued for."""
    voiding: list[str] = field(default_factory=list)
    """Ids of the voiding statements queued."""
    statement_ids: list[str] = field(default_factory=list)
    """Every id of the person's statements the outbox held (for the LRS operator)."""
    registrations: list[str] = field(default_factory=list)
    kept_as_instructor: list[str] = field(default_factory=list)
    """Pending statements of other learners that name the person as instructor."""
    kept_trainer_register: list[str] = field(default_factory=list)
    """Keys of the region's trainer register with the person's e-mail (kept: the region
    changes or removes them, ``yrkesresan occasion trainer``)."""


def erase(
    conn: Connection,
    found: Findings,
    factory: StatementFactory,
    lrs_targets: Sequence[str],
    tool_home_page: str,
    outbox: Outbox,
) -> ErasureReport:
    """Erase what ``found`` lists, inside the caller's transaction on ``conn``."""
    tables = all_tables().tables
    report = ErasureReport()
    for name, rows in found.rows.items():
        if name in LEDGER:
            continue
        table = tables[name]
        report.deleted[name] = _delete_ids(conn, table, [r["id"] for r in rows])
    events, activity = (found.rows.get(name, []) for name in LEDGER)
    Ledger().forget(conn, events, activity)  # the statistics summary follows
    report.deleted |= {name: len(found.rows.get(name, [])) for name in LEDGER}
    for key, rows in found.acted.items():
        name, column = key.split(".")
        table = tables[name]
        ids = [r["id"] for r in rows]
        if ids:
            conn.execute(update(table).where(table.c.id.in_(ids)).values({column: ERASED}))
        report.anonymized[key] = len(ids)
    states = tables[LAUNCH_STATES]
    keys = [r["key"] for r in found.launch_states]
    if keys:
        conn.execute(delete(states).where(states.c.key.in_(keys)))
    report.deleted[LAUNCH_STATES] = len(keys)

    entries = tables[OUTBOX]
    row_ids = [r["id"] for s in found.statements for r in s.rows]
    row_ids += [r["id"] for r in found.scores]
    for statement in found.as_instructor:
        waiting = all(r["status"] == "pending" for r in statement.rows)
        if waiting:
            report.kept_as_instructor.append(statement.id)
        else:
            row_ids += [r["id"] for r in statement.rows]
    report.deleted[OUTBOX] = _delete_ids(conn, entries, row_ids)
    heads = tables[SCORE_HEADS]
    head_keys = [r["key"] for r in found.score_heads]
    if head_keys:
        conn.execute(delete(heads).where(heads.c.key.in_(head_keys)))
    report.deleted[SCORE_HEADS] = len(head_keys)

    report.kept_trainer_register = [str(r["trainer_key"]) for r in found.trainer_register]
    voidings = _voidings(found, factory, tool_home_page)
    if voidings:
        payloads = [Payload(str(v["id"]), statement_bytes(v)) for v in voidings]
        outbox.enqueue(conn, payloads, list(lrs_targets))
    report.voided = [str(v["object"]["id"]) for v in voidings]
    report.voiding = [str(v["id"]) for v in voidings]
    report.statement_ids = sorted(s.id for s in found.statements)
    report.registrations = sorted(
        {
            str(s.statement["context"]["registration"])
            for s in found.statements
            if (s.statement.get("context") or {}).get("registration")
        }
    )
    return report


def _voidings(
    found: Findings, factory: StatementFactory, tool_home_page: str
) -> list[dict[str, Any]]:
    """A voiding statement per statement of the person that may be in an LRS, unless a
    voiding statement of ours that may be there too already voids it."""
    already = {
        s.voided_id for s in found.statements if s.is_voiding and s.may_have_left and s.voided_id
    }
    return [
        factory.statement_erased(s.statement, tool_home_page)
        for s in found.statements
        if not s.is_voiding and s.may_have_left and s.id not in already
    ]


LEDGER = ("stats_events", "stats_activity")
"""The statistics ledger's tables: deleted through :meth:`Ledger.forget`, which keeps the
summary (``stats_units``, ``stats_latest``, ``stats_counts``) in step."""


def _delete_ids(conn: Connection, table: Any, ids: list[Any]) -> int:
    for start in range(0, len(ids), 500):
        conn.execute(delete(table).where(table.c.id.in_(ids[start : start + 500])))
    return len(ids)
