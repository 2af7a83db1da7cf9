"""Reading and writing the pages' tables, always inside the caller's transaction.

Every method takes the SQLAlchemy :class:`~sqlalchemy.orm.Session` (or ``Connection``) of
the request, so a learner's completion, its outbox entries and the AGS score are committed
together or not at all. Every query is filtered by a :class:`Scope`: there is no method
that reads across tenants or contexts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from yrkesresan_adapter.pages.done_bits import WORD, DoneTasks
from yrkesresan_adapter.pages.schema import ProgressTables
from yrkesresan_adapter.storage.driver_statements import Precompiled
from yrkesresan_adapter.storage.scope import (
    SCOPE,
    Executor,
    Scope,
    dialect_of,
    scope_params,
    upsert_insert,
)


@dataclass(frozen=True)
class Learner:
    sub: str
    name: str | None
    role: str
    last_activity_at: datetime


class _HotStatements:
    """The statements of a learner's click, built once per dialect (bound parameters)."""

    def __init__(self, tables: ProgressTables, dialect: str) -> None:
        module: Any = postgresql if dialect == "postgresql" else sqlite
        learners, states = tables.learners, tables.task_states
        touch = module.insert(learners).values(
            {
                **{n: bindparam(n) for n in SCOPE},
                "user_sub": bindparam("sub"),
                "role": "learner",
                "first_seen_at": bindparam("now"),
                "last_activity_at": bindparam("now"),
            }
        )
        self.touch = touch.on_conflict_do_update(
            index_elements=[*SCOPE, "user_sub"],
            set_={"last_activity_at": touch.excluded.last_activity_at},
        ).inline()  # no implicit ``RETURNING id``: nobody reads it
        self.run_touch = Precompiled(self.touch)
        self.launched = {  # a launch's touch, with its name and role: learner, staff
            staff: self._launched(module, learners, staff=staff) for staff in (False, True)
        }
        self.run_launched = {staff: Precompiled(s) for staff, s in self.launched.items()}
        self.completed = select(states.c.task_iri, states.c.statement_id).where(
            scope_params(states),
            states.c.user_sub == bindparam("sub"),
            states.c.completed_at.is_not(None),
        )
        done = module.insert(states).values(
            {
                **{n: bindparam(n) for n in SCOPE},
                "user_sub": bindparam("sub"),
                "task_iri": bindparam("task"),
                "completed_at": bindparam("now"),
                "statement_id": bindparam("statement_id"),
                "updated_at": bindparam("now"),
            }
        )
        self.mark_done = done.on_conflict_do_update(
            index_elements=[*SCOPE, "user_sub", "task_iri"],
            set_={
                "completed_at": done.excluded.completed_at,
                "statement_id": done.excluded.statement_id,
                "updated_at": done.excluded.updated_at,
            },
            where=states.c.completed_at.is_(None),
        ).returning(states.c.id)
        self.run_mark_done = Precompiled(self.mark_done)

    @staticmethod
    def _launched(module: Any, learners: Any, *, staff: bool) -> Any:
        """A launch's touch (name and role, and for staff ``staff_launched_at``, which a later
        launch as learner keeps)."""
        launched = module.insert(learners).values(
            {
                **{n: bindparam(n) for n in SCOPE},
                "user_sub": bindparam("sub"),
                "name": bindparam("name"),
                "role": bindparam("role"),
                "first_seen_at": bindparam("now"),
                "last_activity_at": bindparam("now"),
                "staff_launched_at": bindparam("now") if staff else None,
            }
        )
        changes = {
            "last_activity_at": launched.excluded.last_activity_at,
            "name": launched.excluded.name,
            "role": launched.excluded.role,
        }
        if staff:
            changes["staff_launched_at"] = launched.excluded.staff_launched_at
        return launched.on_conflict_do_update(index_elements=[*SCOPE, "user_sub"], set_=changes)


class ProgressStore:
    """Task states and learners of the pages, over :class:`ProgressTables`."""

    def __init__(self, tables: ProgressTables) -> None:
        self.tables = tables
        self._hot: dict[str, _HotStatements] = {}

    def _statements(self, db: Executor) -> _HotStatements:
        return self._of_dialect(dialect_of(db))

    def _of_dialect(self, dialect: str) -> _HotStatements:
        if dialect not in self._hot:
            self._hot[dialect] = _HotStatements(self.tables, dialect)
        return self._hot[dialect]

    def mark_done_statement(self, dialect: str) -> Any:
        """:meth:`mark_done`'s upsert (``RETURNING id`` when it marked the task), for a
        statement that carries it (parameters: the scope's, ``sub``, ``task``, ``now``,
        ``statement_id``)."""
        return self._of_dialect(dialect).mark_done

    # -- learners -----------------------------------------------------------------------

    def touch(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        *,
        now: datetime,
        name: str | None = None,
        role: str | None = None,
    ) -> None:
        """Record activity of ``sub`` (and, on a launch, its current name and role). A launch
        in a staff role (``"manager"``) also sets ``staff_launched_at``, which a later launch
        as learner keeps: see :meth:`staff`."""
        params = {**scope.values(), "sub": sub, "now": now}
        if role is None:
            self._statements(db).run_touch.first(db, params)
            return
        launched = self._statements(db).run_launched[role != "learner"]
        launched.first(db, {**params, "name": name, "role": role})

    def learners(
        self, db: Executor, scope: Scope, *, role: str | None = "learner"
    ) -> list[Learner]:
        table = self.tables.learners
        query = select(
            table.c.user_sub, table.c.name, table.c.role, table.c.last_activity_at
        ).where(scope.where(table))
        if role is not None:
            query = query.where(table.c.role == role)
        # ``all()`` fetches the rows in one DB-API call (a region's 5,000 learners row by
        # row were ~10 % of the staff page).
        return [Learner(*row) for row in db.execute(query).all()]

    def learner_activity(
        self, db: Executor, scope: Scope
    ) -> list[tuple[str, str | None, datetime]]:
        """``(sub, name, last activity)`` of every learner here, as :meth:`learners` in the
        same order: only what the manager's staff page shows, fetched in one DB-API call
        without an object per person (a region has thousands)."""
        table = self.tables.learners
        query = select(table.c.user_sub, table.c.name, table.c.last_activity_at).where(
            scope.where(table), table.c.role == "learner"
        )
        return [tuple(row) for row in db.execute(query).all()]

    def staff(self, db: Executor, scope: Scope) -> set[str]:
        """Everyone who has launched here in a staff role (even if a later launch, or the
        LMS roster, says Learner): staff lists leave them out."""
        table = self.tables.learners
        query = select(table.c.user_sub).where(
            scope.where(table), table.c.staff_launched_at.is_not(None)
        )
        return {str(sub) for (sub,) in db.execute(query)}

    def learners_by_sub(
        self, db: Executor, scope: Scope, subs: Collection[str]
    ) -> dict[str, Learner]:
        table = self.tables.learners
        query = select(
            table.c.user_sub, table.c.name, table.c.role, table.c.last_activity_at
        ).where(scope.where(table), table.c.user_sub.in_(list(subs)))
        return {row[0]: Learner(*row) for row in db.execute(query)}

    # -- task states ----------------------------------------------------------------------

    def completed(self, db: Executor, scope: Scope, sub: str) -> dict[str, str | None]:
        """Task IRI → completion statement id of every task ``sub`` has done here."""
        rows = db.execute(self._statements(db).completed, {**scope.values(), "sub": sub})
        return {str(iri): statement_id for iri, statement_id in rows}

    def completed_by_user(self, db: Executor, scope: Scope) -> dict[str, list[str]]:
        """``sub`` → completed task IRIs, for everyone in the scope: one query, one row per
        person (the IRIs aggregated with a newline, which an IRI cannot contain)."""
        table = self.tables.task_states
        query = (
            select(table.c.user_sub, func.aggregate_strings(table.c.task_iri, "\n"))
            .where(scope.where(table), table.c.completed_at.is_not(None))
            .group_by(table.c.user_sub)
        )
        return {sub: iris.split("\n") for sub, iris in db.execute(query)}

    def done_tasks(self, db: Executor, scope: Scope) -> DoneTasks:
        """Everyone's done tasks in the scope from their bits (two queries: the context's
        task numbers, and the ~2 words per person the triggers keep; see
        :mod:`~yrkesresan_adapter.pages.done_bits`). Equal to :meth:`completed_by_user`."""
        numbers, bits = self.tables.task_numbers, self.tables.done_bits
        query = select(numbers.c.task_iri, numbers.c.number).where(scope.where(numbers))
        numbered = {str(iri): int(n) for iri, n in db.execute(query)}
        masks: dict[str, int] = {}
        rows = db.execute(
            select(bits.c.user_sub, bits.c.word, bits.c.bits).where(
                scope.where(bits), bits.c.bits != 0
            )
        ).all()
        for sub, word, word_bits in rows:
            masks[sub] = masks.get(sub, 0) | word_bits << (WORD * word)
        return DoneTasks(numbered, masks)

    def opened(self, db: Executor, scope: Scope, sub: str, task_iri: str, *, now: datetime) -> None:
        """Record that ``sub`` opened the task (the first time is kept)."""
        table = self.tables.task_states
        values = {
            **scope.values(),
            "user_sub": sub,
            "task_iri": task_iri,
            "opened_at": now,
            "updated_at": now,
        }
        statement = upsert_insert(db, table).values(**values)
        db.execute(
            statement.on_conflict_do_update(
                index_elements=[*SCOPE, "user_sub", "task_iri"],
                set_={"updated_at": now, "opened_at": func.coalesce(table.c.opened_at, now)},
            )
        )

    def mark_done(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        task_iri: str,
        *,
        statement_id: str,
        now: datetime,
    ) -> bool:
        """Mark a task done, in one statement; False (nothing changes) when it already was."""
        params = {
            **scope.values(),
            "sub": sub,
            "task": task_iri,
            "now": now,
            "statement_id": statement_id,
        }
        return self._statements(db).run_mark_done.first(db, params) is not None

    def undo(
        self, db: Executor, scope: Scope, sub: str, task_iri: str, *, now: datetime
    ) -> str | None:
        """Mark a task not done; returns the id of the completion statement to void
        (None, and nothing changes, when the task was not done)."""
        table = self.tables.task_states
        row = db.execute(
            update(table)
            .where(
                scope.where(table),
                table.c.user_sub == sub,
                table.c.task_iri == task_iri,
                table.c.completed_at.is_not(None),
            )
            .values(completed_at=None, updated_at=now)
            .returning(table.c.statement_id)
        ).first()
        return None if row is None else str(row[0])
