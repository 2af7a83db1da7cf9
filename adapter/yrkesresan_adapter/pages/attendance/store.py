"""Reading and writing attendance on course days, always inside the caller's transaction.

Every query is filtered by a :class:`~yrkesresan_adapter.pages.store.Scope`: there is no
method that reads across tenants or contexts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, delete, select

from yrkesresan_adapter.storage.scope import Executor, Scope


@dataclass(frozen=True)
class Attendance:
    sub: str
    day_iri: str
    recorded_at: datetime
    recorded_by: str
    statement_id: str


class AttendanceStore:
    """Attended course days of the pages' people, over the ``page_attendance`` table."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def of_occasion(
        self, db: Executor, scope: Scope, occasion_iri: str, subs: Collection[str] | None = None
    ) -> dict[tuple[str, str], Attendance]:
        """(``sub``, day IRI) → attendance at the occasion, in the scope (only ``subs`` if
        given)."""
        table = self.table
        query = select(
            table.c.user_sub,
            table.c.day_iri,
            table.c.recorded_at,
            table.c.recorded_by,
            table.c.statement_id,
        ).where(scope.where(table), table.c.occasion_iri == occasion_iri)
        if subs is not None:
            query = query.where(table.c.user_sub.in_(list(subs)))
        return {(row[0], row[1]): Attendance(*row) for row in db.execute(query)}

    def days_of(self, db: Executor, scope: Scope, sub: str, occasion_iri: str) -> set[str]:
        """The day IRIs of the occasion that ``sub`` attended."""
        return {day for _, day in self.of_occasion(db, scope, occasion_iri, [sub])}

    def by_person(
        self, db: Executor, scope: Scope, occasion_iris: Collection[str]
    ) -> dict[str, set[str]]:
        """``sub`` → the day IRIs they attended of any of ``occasion_iris``, in the scope
        (one query: the manager's view of who completed their courses)."""
        if not occasion_iris:
            return {}
        table = self.table
        query = select(table.c.user_sub, table.c.day_iri).where(
            scope.where(table), table.c.occasion_iri.in_(list(occasion_iris))
        )
        found: dict[str, set[str]] = {}
        for sub, day in db.execute(query):
            found.setdefault(str(sub), set()).add(str(day))
        return found

    def record(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        *,
        occasion_iri: str,
        day_iri: str,
        by: str,
        statement_id: str,
        now: datetime,
    ) -> None:
        """Record that ``sub`` attended the day (the caller checked it was not recorded)."""
        db.execute(
            self.table.insert().values(
                **scope.values(),
                user_sub=sub,
                occasion_iri=occasion_iri,
                day_iri=day_iri,
                recorded_at=now,
                recorded_by=by,
                statement_id=statement_id,
            )
        )

    def withdraw(self, db: Executor, scope: Scope, sub: str, day_iri: str) -> str | None:
        """Delete the attendance; returns the *attended* statement's id to void (None, and
        nothing changes, when there was none)."""
        table = self.table
        row = db.execute(
            delete(table)
            .where(scope.where(table), table.c.user_sub == sub, table.c.day_iri == day_iri)
            .returning(table.c.statement_id)
        ).first()
        return None if row is None else str(row[0])
