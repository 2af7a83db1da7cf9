"""The waiting list of a course occasion (väntelista), in the caller's transaction.

First in line is the lowest ``id``. Positions are counted over the whole adapter (seats are
physical), but only numbers cross tenants: who waits is read per :class:`Scope`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from yrkesresan_adapter.pages.occasions.plan_schema import PlanTables
from yrkesresan_adapter.storage.scope import Executor, Scope


@dataclass(frozen=True)
class Waiting:
    scope: Scope
    sub: str
    course_iri: str
    occasion_iri: str
    added_by: str
    position: int
    added_at: datetime


class WaitingStore:
    def __init__(self, tables: PlanTables) -> None:
        self.table = tables.waiting

    def add(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        *,
        course_iri: str,
        occasion_iri: str,
        by: str,
        now: datetime,
    ) -> None:
        db.execute(
            insert(self.table).values(
                **scope.values(),
                user_sub=sub,
                course_iri=course_iri,
                occasion_iri=occasion_iri,
                added_at=now,
                added_by=by,
            )
        )

    def remove(self, db: Executor, scope: Scope, sub: str, occasion_iri: str) -> bool:
        t = self.table
        result = db.execute(
            delete(t)
            .where(scope.where(t), t.c.user_sub == sub, t.c.occasion_iri == occasion_iri)
            .returning(t.c.id)
        )
        return result.first() is not None

    def line(self, db: Executor, occasion_iri: str) -> list[Waiting]:
        """Everyone waiting for the occasion, first in line first (for promotion only)."""
        t = self.table
        query = select(t).where(t.c.occasion_iri == occasion_iri).order_by(t.c.id)
        return [
            Waiting(
                Scope(r["issuer"], r["client_id"], r["deployment_id"], r["context_id"]),
                r["user_sub"],
                r["course_iri"],
                r["occasion_iri"],
                r["added_by"],
                position,
                r["added_at"],
            )
            for position, r in enumerate(db.execute(query).mappings(), start=1)
        ]

    def counts(self, db: Executor, occasion_iris: Collection[str]) -> dict[str, int]:
        t = self.table
        query = (
            select(t.c.occasion_iri, func.count())
            .where(t.c.occasion_iri.in_(list(occasion_iris)))
            .group_by(t.c.occasion_iri)
        )
        found = {str(iri): int(n) for iri, n in db.execute(query)}
        return {iri: found.get(iri, 0) for iri in occasion_iris}

    def of_scope(self, db: Executor, scope: Scope, course_iri: str) -> dict[tuple[str, str], int]:
        """(``sub``, occasion IRI) → position in line, for the scope's people in the course."""
        t = self.table
        mine = select(t.c.id, t.c.user_sub, t.c.occasion_iri).where(
            scope.where(t), t.c.course_iri == course_iri
        )
        found: dict[tuple[str, str], int] = {}
        for row_id, sub, occasion_iri in db.execute(mine):
            ahead = select(func.count()).where(t.c.occasion_iri == occasion_iri, t.c.id <= row_id)
            found[(str(sub), str(occasion_iri))] = int(db.execute(ahead).scalar_one())
        return found
