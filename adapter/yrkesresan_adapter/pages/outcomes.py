"""The goal and course outcomes a learner's statements claim: which are sent and unvoided.

``page_outcome_statements`` (Alembic revision ``pages_0004``) holds one row per
(tenant, context, LTI ``sub``, goal or course IRI) whose *passed* (knowledge goal) or
*completed* (course) statement is in the outbox and not voided, with that statement's id.
When an undo makes the goal or course unfinished again, the statement is voided and the
row deleted; finishing it again sends a new statement (new id) and stores a new row. The
unique key means there is never a second unvoided statement for the same outcome.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy.dialects import postgresql

from yrkesresan_adapter.storage.arrays import Array
from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.read_ahead import MISSING, ahead, forget
from yrkesresan_adapter.storage.scope import (
    SCOPE,
    Along,
    Executor,
    Scope,
    scope_columns,
    scope_params,
)
from yrkesresan_lti.sqltypes import UtcDateTime

OUTCOMES = "page_outcome_statements"


def define_outcome_table(metadata: MetaData) -> Table:
    """Add the outcome table to ``metadata`` (idempotent per metadata) and return it."""
    if OUTCOMES in metadata.tables:
        return metadata.tables[OUTCOMES]
    return Table(
        OUTCOMES,
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("node_iri", String(1024), nullable=False),
        Column("statement_id", String(36), nullable=False),
        Column("sent_at", UtcDateTime(), nullable=False),
        UniqueConstraint(*SCOPE, "user_sub", "node_iri", name=f"uq_{OUTCOMES}_scope_node"),
    )


def person_key(scope: Scope, sub: str) -> tuple[object, ...]:
    """The key of a person's outcomes read ahead
    (:mod:`~yrkesresan_adapter.storage.read_ahead`): node IRI → statement id, every one."""
    return (OUTCOMES, scope, sub)


class OutcomeStatements:
    """Reads and writes :data:`OUTCOMES` inside the caller's transaction. A click runs these
    statements, so they are built once, with bound parameters."""

    def __init__(self, table: Table) -> None:
        self.table = table
        mine = (
            scope_params(table),
            table.c.user_sub == bindparam("user_sub"),
            table.c.node_iri.in_(bindparam("node_iris", expanding=True)),
        )
        self._sent = select(table.c.node_iri, table.c.statement_id).where(*mine)
        self._add = table.insert().inline()  # no implicit ``RETURNING id``: nobody reads it
        self._remove = delete(table).where(*mine)
        self._insert_cte: Any = None

    def sent(
        self, db: Executor, scope: Scope, sub: str, node_iris: Collection[str]
    ) -> dict[str, str]:
        """Node IRI → id of its unvoided outcome statement, for those of ``node_iris`` sent."""
        if not node_iris:
            return {}
        every: dict[str, str] | Any = ahead(person_key(scope, sub))
        if every is not MISSING:
            return {iri: every[iri] for iri in node_iris if iri in every}
        params = {**scope.values(), "user_sub": sub, "node_iris": list(node_iris)}
        return {str(iri): str(statement_id) for iri, statement_id in db.execute(self._sent, params)}

    def add(
        self, db: Executor, scope: Scope, sub: str, node_iri: str, statement_id: str, now: datetime
    ) -> None:
        self.add_all(db, scope, sub, [(node_iri, statement_id)], now)

    def add_all(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        sent: Sequence[tuple[str, str]],
        now: datetime,
    ) -> None:
        """Store the outcomes of ``sent`` (node IRI, statement id) in one INSERT."""
        if not sent:
            return
        where = {**scope.values(), "user_sub": sub, "sent_at": now}
        rows = [{**where, "node_iri": iri, "statement_id": sid} for iri, sid in sent]
        forget(person_key(scope, sub))
        db.execute(self._add, rows)

    def adding(
        self, scope: Scope, sub: str, sent: Sequence[tuple[str, str]], now: datetime
    ) -> Along | None:
        """:meth:`add_all` as a write that may ride in another statement (the click's
        ledger and outbox upsert, PostgreSQL); None when there is nothing to store."""
        if not sent:
            return None
        forget(person_key(scope, sub))
        params = {
            **{f"outcome_{name}": value for name, value in scope.values().items()},
            "outcome_user_sub": sub,
            "outcome_sent_at": now,
            "outcome_node_iris": [iri for iri, _ in sent],
            "outcome_statement_ids": [sid for _, sid in sent],
        }
        return Along((self._adding(),), params, partial(self._add_rows, scope, sub, sent, now))

    def _add_rows(
        self, scope: Scope, sub: str, sent: Sequence[tuple[str, str]], now: datetime, db: Executor
    ) -> None:
        self.add_all(db, scope, sub, sent, now)

    def _adding(self) -> Any:
        """``WITH outcome_rows AS (INSERT INTO page_outcome_statements … SELECT … FROM
        unnest(node IRIs, statement ids) …)``, built once."""
        if self._insert_cte is None:
            t = self.table
            given = (
                func.unnest(
                    bindparam("outcome_node_iris", type_=Array(Text())),
                    bindparam("outcome_statement_ids", type_=Array(Text())),
                )
                .table_valued("node_iri", "statement_id", with_ordinality="outcome_n")
                .render_derived(name="outcome_given")
            )
            fixed = [*SCOPE, "user_sub"]
            rows = select(
                *(bindparam(f"outcome_{c}", type_=t.c[c].type) for c in fixed),
                given.c.node_iri,
                given.c.statement_id,
                bindparam("outcome_sent_at", type_=t.c.sent_at.type),
            ).order_by(given.c.outcome_n)
            columns = [*fixed, "node_iri", "statement_id", "sent_at"]
            self._insert_cte = postgresql.insert(t).from_select(columns, rows).cte("outcome_rows")
        return self._insert_cte

    def remove(self, db: Executor, scope: Scope, sub: str, node_iris: Collection[str]) -> None:
        """Forget the outcomes of ``node_iris`` (their statements are being voided)."""
        forget(person_key(scope, sub))
        if node_iris:
            params = {**scope.values(), "user_sub": sub, "node_iris": list(node_iris)}
            db.execute(self._remove, params)


outcome_table: Table = define_outcome_table(metadata)
"""Unvoided goal and course statements, on the shared metadata."""
