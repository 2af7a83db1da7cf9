"""A learner's click reads everything it needs in one statement.

A click (open, done, undo) records the learner's activity (``page_learners``) and then
needs: the tasks they have done, the municipality attached to the launch (for the
statements), their live AGS placements, their registration for the course (the completion
rule, a course placement's score) and their unvoided outcome statements. Each used to be a
statement of its own in its own module; :meth:`ClickReads.read` runs them as one
``UNION ALL`` of small indexed selects: one round trip instead of five or six. The rows are
offered to their modules' readers for the rest of the click
(:mod:`~yrkesresan_adapter.storage.read_ahead`), in the click's transaction, so every
reader sees what it would have read itself.

The touch stays a statement of its own, *before* the reads: its row lock makes two clicks
of the same learner (a double click, two tabs) wait for each other, and only a statement
that starts after the wait sees what the first click committed. (As a data-modifying
``WITH`` of the reads, PostgreSQL would take the reads' snapshot before the wait: the
second click would count its tasks without the first one's.)

On PostgreSQL a click that marks a task done carries its task-state upsert
(:meth:`ProgressStore.mark_done`, with the completion statement's id chosen beforehand) as
a data-modifying ``WITH`` of the reads, one round trip fewer. The reads' snapshot is the
statement's: they see the learner's tasks without this one, as the separate upsert after
them did, and the upsert's ``RETURNING`` tells whether it marked the task (not when a
concurrent click had already). SQLite has no writes in ``WITH`` and runs the upsert on its
own.

Both statements are :class:`~yrkesresan_adapter.storage.driver_statements.Precompiled`
(SQL compiled once, run on the driver's cursor; the rows' values converted by the first
branch's column types, as SQLAlchemy converts a union's: the registration's time, text on
SQLite, comes back aware in UTC).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, Text, bindparam, cast, literal_column, null, select, union_all
from sqlalchemy.dialects import postgresql

from yrkesresan_adapter.advantage import Placement, placements_key
from yrkesresan_adapter.pages.occasions.store import Registration, person_key
from yrkesresan_adapter.pages.outcomes import person_key as outcomes_key
from yrkesresan_adapter.pages.schema import ProgressTables
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.storage.driver_statements import Precompiled
from yrkesresan_adapter.storage.models import MunicipalityAssignment, Platform
from yrkesresan_adapter.storage.municipalities import ANY, launch_key
from yrkesresan_adapter.storage.scope import Executor, Scope, dialect_of, scope_params
from yrkesresan_lti.lti.context import LaunchContext


@dataclass(frozen=True)
class Read:
    """What a click read: its done tasks, and the rows offered to the other readers."""

    completed: dict[str, str | None]
    """Task IRI → completion statement id (as :meth:`ProgressStore.completed`), before the
    task this click marks done."""
    ahead: dict[Hashable, Any]
    marked: bool | None = None
    """Whether the statement marked the task done (``marking``); None: it did not try (not
    asked, or SQLite), the caller marks it itself."""


def _kind(name: str) -> Any:
    return literal_column(f"'{name}'").label("kind")


class ClickReads:
    """The one statement of a click's reads, built once per dialect."""

    def __init__(
        self,
        store: ProgressStore,
        progress: ProgressTables,
        placements: Table,
        registrations: Table,
        outcomes: Table,
    ) -> None:
        self.store = store
        states, places, regs = progress.task_states, placements, registrations
        assignments = MunicipalityAssignment.__table__
        platforms = Platform.__table__
        sub: Any = bindparam("sub")
        branches = (
            select(  # first: its columns' types are the union's (registered_at is a time)
                _kind("registration"),
                regs.c.occasion_iri.label("a"),
                regs.c.registered_by.label("b"),
                regs.c.statement_id.label("c"),
                regs.c.registered_at.label("at"),
            ).where(
                scope_params(regs),
                regs.c.user_sub == sub,
                regs.c.course_iri == bindparam("course_iri"),
            ),
            select(_kind("done"), states.c.task_iri, states.c.statement_id, null(), null()).where(
                scope_params(states), states.c.user_sub == sub, states.c.completed_at.is_not(None)
            ),
            select(
                _kind("municipality"),
                assignments.c.deployment_id,
                assignments.c.context_id,
                assignments.c.municipality_code,
                null(),
            )
            .select_from(assignments.join(platforms, assignments.c.platform_id == platforms.c.id))
            .where(
                platforms.c.issuer == bindparam("issuer"),
                platforms.c.client_id == bindparam("client_id"),
                assignments.c.deployment_id.in_([bindparam("deployment_id"), ANY]),
                assignments.c.context_id.in_([bindparam("launch_context"), ANY]),
            ),
            select(
                _kind("placement"),
                places.c.resource_link_id,
                places.c.lineitem_url,
                places.c.node_iri,
                null(),
            ).where(scope_params(places), places.c.user_sub == sub, places.c.gone_at.is_(None)),
            select(
                _kind("outcome"), outcomes.c.node_iri, outcomes.c.statement_id, null(), null()
            ).where(scope_params(outcomes), outcomes.c.user_sub == sub),
        )
        self._select = Precompiled(union_all(*branches))
        marked = store.mark_done_statement(postgresql.dialect.name).cte("marked")
        self._marking = Precompiled(
            union_all(
                *branches, select(_kind("marked"), cast(marked.c.id, Text), null(), null(), null())
            ).add_cte(marked)
        )

    def read(
        self,
        db: Executor,
        launch: LaunchContext,
        scope: Scope,
        course_iri: str,
        *,
        now: datetime,
        marking: tuple[str, str] | None = None,
    ) -> Read:
        """Record ``launch.sub``'s activity at ``now`` and read what their click on a task
        of ``course_iri`` needs, in the caller's transaction. ``marking``: (task IRI,
        completion statement id) to mark done in the same statement where the database can
        (see :attr:`Read.marked`)."""
        self.store.touch(db, scope, launch.sub, now=now)  # first: see the module's docstring
        params: dict[str, Any] = {
            **scope.values(),
            "sub": launch.sub,
            "course_iri": course_iri,
            "launch_context": launch.context_id or ANY,
        }
        marked, statement = None, self._select
        if marking is not None and dialect_of(db) == "postgresql":
            statement, marked = self._marking, False
            params.update(task=marking[0], statement_id=marking[1], now=now)
        rows = statement.all(db, params)
        completed: dict[str, str | None] = {}
        codes: dict[tuple[str, str], str] = {}
        placements: list[Placement] = []
        outcomes: dict[str, str] = {}
        registration = None
        for kind, a, b, c, at in rows:
            if kind == "done":
                completed[a] = b
            elif kind == "municipality":
                codes[(a, b)] = c
            elif kind == "placement":
                placements.append(Placement(a, b, c))
            elif kind == "outcome":
                outcomes[a] = b
            elif kind == "marked":
                marked = True
            else:
                registration = Registration(launch.sub, course_iri, a, at, b, c)
        issuer, client_id, deployment = launch.issuer, launch.client_id, launch.deployment_id
        return Read(
            completed,
            {
                launch_key(issuer, client_id, deployment, launch.context_id): codes,
                placements_key(scope, launch.sub): placements,
                person_key(scope, launch.sub, course_iri): registration,
                outcomes_key(scope, launch.sub): outcomes,
            },
            marked,
        )
