"""Reading and writing occasion registrations, always inside the caller's transaction.

Every query of people is filtered by a :class:`~yrkesresan_adapter.pages.store.Scope`;
the one exception is :meth:`OccasionStore.taken`, which counts the seats of occasions over
the whole adapter (seats are physical) and returns numbers only, never who.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select

from yrkesresan_adapter.pages.occasions.schema import OccasionTables
from yrkesresan_adapter.storage.read_ahead import MISSING, ahead, forget
from yrkesresan_adapter.storage.scope import Executor, Scope, scope_params, upsert_insert


@dataclass(frozen=True)
class Registration:
    sub: str
    course_iri: str
    occasion_iri: str
    registered_at: datetime
    registered_by: str
    statement_id: str


def person_key(scope: Scope, sub: str, course_iri: str) -> tuple[object, ...]:
    """The key of a person's registration for a course read ahead
    (:mod:`~yrkesresan_adapter.storage.read_ahead`): a :class:`Registration` or None."""
    return ("page_occasion_registrations", scope, sub, course_iri)


class OccasionStore:
    """Registrations of the pages' people for course occasions, over :class:`OccasionTables`."""

    def __init__(self, tables: OccasionTables) -> None:
        self.tables = tables
        table = tables.registrations
        self._of_person = self._columns().where(
            scope_params(table),
            table.c.user_sub == bindparam("user_sub"),
            table.c.course_iri == bindparam("course_iri"),
        )
        """Built once: a click that completes a course, or scores a course placement, asks."""

    def _columns(self) -> Any:
        table = self.tables.registrations
        return select(
            table.c.user_sub,
            table.c.course_iri,
            table.c.occasion_iri,
            table.c.registered_at,
            table.c.registered_by,
            table.c.statement_id,
        )

    def lock(self, db: Executor, occasion_iri: str, *, now: datetime) -> None:
        """Hold the occasion's lock row until the transaction ends (call it first: on
        SQLite this write takes the database's write lock before anything is counted)."""
        table = self.tables.locks
        statement = upsert_insert(db, table).values(occasion_iri=occasion_iri, updated_at=now)
        db.execute(
            statement.on_conflict_do_update(
                index_elements=["occasion_iri"], set_={"updated_at": now}
            )
        )

    def taken(self, db: Executor, occasion_iris: Collection[str]) -> dict[str, int]:
        """Occasion IRI → registrations for it over the whole adapter (0 when none)."""
        table = self.tables.registrations
        query = (
            select(table.c.occasion_iri, func.count())
            .where(table.c.occasion_iri.in_(list(occasion_iris)))
            .group_by(table.c.occasion_iri)
        )
        counts = {str(iri): int(n) for iri, n in db.execute(query)}
        return {iri: counts.get(iri, 0) for iri in occasion_iris}

    def of_course(
        self, db: Executor, scope: Scope, course_iri: str, subs: Collection[str] | None = None
    ) -> dict[str, Registration]:
        """``sub`` → registration for the course, in the scope (only ``subs`` if given)."""
        table = self.tables.registrations
        query = self._columns().where(scope.where(table), table.c.course_iri == course_iri)
        if subs is not None:
            query = query.where(table.c.user_sub.in_(list(subs)))
        return {row[0]: Registration(*row) for row in db.execute(query)}

    def of_courses(
        self, db: Executor, scope: Scope, course_iris: Collection[str]
    ) -> list[Registration]:
        """Every registration in the scope for any of ``course_iris`` (one query)."""
        table = self.tables.registrations
        query = self._columns().where(scope.where(table), table.c.course_iri.in_(list(course_iris)))
        return [Registration(*row) for row in db.execute(query)]

    def of_person(
        self, db: Executor, scope: Scope, sub: str, course_iri: str
    ) -> Registration | None:
        """``sub``'s registration for the course (a click reads it ahead with its other
        reads, under :func:`person_key`)."""
        found: Registration | Any | None = ahead(person_key(scope, sub, course_iri))
        if found is not MISSING:
            return found
        params = {**scope.values(), "user_sub": sub, "course_iri": course_iri}
        row = db.execute(self._of_person, params).first()
        return None if row is None else Registration(*row)

    def register(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        *,
        course_iri: str,
        occasion_iri: str,
        by: str,
        statement_id: str,
        now: datetime,
    ) -> None:
        """Register ``sub`` for the occasion; replaces their registration for the course."""
        forget(person_key(scope, sub, course_iri))
        table = self.tables.registrations
        values = {
            **scope.values(),
            "user_sub": sub,
            "course_iri": course_iri,
            "occasion_iri": occasion_iri,
            "registered_at": now,
            "registered_by": by,
            "statement_id": statement_id,
        }
        statement = upsert_insert(db, table).values(**values)
        changes = {k: values[k] for k in ("occasion_iri", "registered_at", "registered_by")}
        db.execute(
            statement.on_conflict_do_update(
                index_elements=[*scope.values(), "user_sub", "course_iri"],
                set_={**changes, "statement_id": statement_id},
            )
        )

    def withdraw(self, db: Executor, scope: Scope, sub: str, course_iri: str) -> bool:
        """Delete the person's registration for the course; False when there was none."""
        forget(person_key(scope, sub, course_iri))
        table = self.tables.registrations
        result = db.execute(
            delete(table)
            .where(scope.where(table), table.c.user_sub == sub, table.c.course_iri == course_iri)
            .returning(table.c.id)
        )
        return result.first() is not None

    def of_occasion(self, db: Executor, occasion_iri: str) -> list[tuple[Scope, Registration]]:
        """Everyone registered for the occasion, over every tenant (for the region's own
        work only: notices, cancellation, the trainers' page)."""
        table = self.tables.registrations
        query = select(
            table.c.issuer, table.c.client_id, table.c.deployment_id, table.c.context_id
        ).add_columns(*self._columns().selected_columns)
        found = []
        for row in db.execute(query.where(table.c.occasion_iri == occasion_iri)):
            found.append((Scope(*row[:4]), Registration(*row[4:])))
        return found
