"""Notices about an occasion (cancelled, a course day moved) for the people it concerns,
shown on their next page view and kept until they mark them read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from yrkesresan_adapter.pages.occasions.plan_schema import PlanTables
from yrkesresan_adapter.storage.driver_statements import DriverStatement
from yrkesresan_adapter.storage.scope import Executor, Scope, scope_params


@dataclass(frozen=True)
class Notice:
    id: int
    occasion_iri: str
    kind: str
    """``cancelled`` or ``moved``."""
    details: dict[str, str]
    created_at: datetime


class NoticeStore:
    def __init__(self, tables: PlanTables) -> None:
        self.table = t = tables.notices
        self._unread = (  # built once: every page a learner sees runs it (the base template)
            select(t.c.id, t.c.occasion_iri, t.c.kind, t.c.details, t.c.created_at)
            .where(scope_params(t), t.c.user_sub == bindparam("sub"), t.c.read_at.is_(None))
            .order_by(t.c.id)
        )
        self._unread_now: dict[str, DriverStatement] = {}  # per dialect, for connections

    def add(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        *,
        occasion_iri: str,
        kind: str,
        details: dict[str, str],
        now: datetime,
    ) -> None:
        db.execute(
            insert(self.table).values(
                **scope.values(),
                user_sub=sub,
                occasion_iri=occasion_iri,
                kind=kind,
                details=json.dumps(details, sort_keys=True, ensure_ascii=False),
                created_at=now,
            )
        )

    def unread(self, db: Executor, scope: Scope, sub: str) -> list[Notice]:
        params = {**scope.values(), "sub": sub}
        if isinstance(db, Connection):  # a launch's: on the driver's cursor
            dialect = db.dialect
            statement = self._unread_now.get(dialect.name)
            if statement is None:
                statement = self._unread_now[dialect.name] = DriverStatement(self._unread, dialect)
            rows: Iterable[Any] = statement.all(db, params)
        else:
            rows = db.execute(self._unread, params)
        return [
            Notice(id_, occasion_iri, kind, json.loads(details), created_at)
            for id_, occasion_iri, kind, details, created_at in rows
        ]

    def mark_read(
        self, db: Executor, scope: Scope, sub: str, notice_id: int, now: datetime
    ) -> bool:
        t = self.table
        result = db.execute(
            update(t)
            .where(scope.where(t), t.c.user_sub == sub, t.c.id == notice_id, t.c.read_at.is_(None))
            .values(read_at=now)
        )
        return _rowcount(result) > 0


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
