"""Scores per placement: which placed links a learner launched, and their scores on a click.

A learner's launch of a placed link (a resource link with an AGS line item, the score
scope and the catalog node in ``yrkesresan_node``) records the placement, in the launch's
transaction (:meth:`PlacementStore.record`). A done or undo in an LMS context enqueues, in
the click's transaction, one score per placement of that learner in that context whose node
contains the task: tasks done within the node / tasks in the node, whichever page the task
was marked on (:meth:`PlacementScores.scoring`). Each score becomes the newest of its
(line item, learner) (:mod:`yrkesresan_lti.lti.advantage.score_heads`), so only the latest
is posted.

A course placement counts the course days of the learner's occasion beside its tasks
(:func:`~yrkesresan_lti.lti.advantage.node_scores.course_score`, when ``days`` is given): it
reaches full score only when the course is completed by the rule of
:mod:`yrkesresan_lti.completion`, and a save of attendance sends the person's course
placements a new score (:meth:`PlacementScores.course_days_changed`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from threading import Lock
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import Engine, Table, bindparam, case, func, insert, select, update
from sqlalchemy.dialects import postgresql

from yrkesresan_adapter.storage.driver_statements import Precompiled
from yrkesresan_adapter.storage.read_ahead import MISSING, ahead, forget
from yrkesresan_adapter.storage.scope import (
    SCOPE,
    Along,
    Executor,
    Scope,
    dialect_of,
    scope_params,
    upsert_insert,
)
from yrkesresan_lti.catalog import Catalog, Course
from yrkesresan_lti.clock import Clock
from yrkesresan_lti.completion import CourseDaysState
from yrkesresan_lti.exceptions import UnknownCatalogNode
from yrkesresan_lti.lti.advantage.ags_models import SCOPE_SCORE, AgsEndpoint, Score
from yrkesresan_lti.lti.advantage.ags_outbox import (
    AGS_SCORE_KIND,
    AGS_TARGET,
    GoneHook,
    score_payload,
)
from yrkesresan_lti.lti.advantage.deep_linking import NODE_PARAMETER
from yrkesresan_lti.lti.advantage.node_scores import course_score, node_score, node_task_iris
from yrkesresan_lti.lti.advantage.score_heads import SqlScoreHeads, head_key
from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.outbox.outbox import Outbox, Payload

log = logging.getLogger("yrkesresan.ags")


@dataclass(frozen=True)
class Placement:
    resource_link_id: str
    lineitem_url: str
    node_iri: str


def placement_of(launch: LaunchContext) -> Placement | None:
    """The placement a launch names, or None: only a learner's launch of a deep-linked
    node whose AGS claim has a line item and the score scope is graded."""
    node = launch.custom.get(NODE_PARAMETER)
    endpoint = AgsEndpoint.from_claim(launch.ags)
    if (
        launch.message_type is not MessageType.RESOURCE_LINK
        or launch.role is not ToolRole.LEARNER
        or launch.is_manager  # a mentor is not graded either
        or not node
        or not launch.resource_link_id
        or endpoint is None
        or not endpoint.lineitem
        or not endpoint.can(SCOPE_SCORE)
    ):
        return None
    return Placement(launch.resource_link_id, endpoint.lineitem, node)


def placements_key(scope: Scope, sub: str) -> tuple[object, ...]:
    """The key of a learner's live placements read ahead
    (:mod:`~yrkesresan_adapter.storage.read_ahead`): a list of :class:`Placement`."""
    return ("ags_placements", scope, sub)


class PlacementStore:
    """The rows of ``ags_placements``, always inside the caller's transaction."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._of_learner = select(
            table.c.resource_link_id, table.c.lineitem_url, table.c.node_iri
        ).where(
            scope_params(table),
            table.c.user_sub == bindparam("user_sub"),
            table.c.gone_at.is_(None),
        )

    def record(self, db: Executor, launch: LaunchContext, *, now: datetime) -> bool:
        """Keep the placement of a launch (False when the launch is not graded)."""
        placement = placement_of(launch)
        if placement is None:
            return False
        t = self.table
        values = {
            **Scope.of(launch).values(),
            "user_sub": launch.sub,
            "resource_link_id": placement.resource_link_id,
            "lineitem_url": placement.lineitem_url,
            "node_iri": placement.node_iri,
            "launched_at": now,
        }
        forget(placements_key(Scope.of(launch), launch.sub))
        insert = upsert_insert(db, t).values(values)
        same_item = t.c.lineitem_url == insert.excluded.lineitem_url
        db.execute(
            insert.on_conflict_do_update(
                index_elements=[*SCOPE, "user_sub", "resource_link_id"],
                set_={
                    "lineitem_url": insert.excluded.lineitem_url,
                    "node_iri": insert.excluded.node_iri,
                    "launched_at": insert.excluded.launched_at,
                    # A deleted line item stays gone; a new one (re-placed link) is live.
                    "gone_at": case((same_item, t.c.gone_at), else_=None),
                },
            )
        )
        return True

    def known(self, db: Executor, launch: LaunchContext, placement: Placement) -> bool:
        """Whether ``launch``'s learner already has this placement, live and unchanged."""
        t = self.table
        query = select(t.c.id).where(
            Scope.of(launch).where(t),
            t.c.user_sub == launch.sub,
            t.c.resource_link_id == placement.resource_link_id,
            t.c.lineitem_url == placement.lineitem_url,
            t.c.node_iri == placement.node_iri,
            t.c.gone_at.is_(None),
        )
        return db.execute(query.limit(1)).first() is not None

    def of_learner(self, db: Executor, scope: Scope, sub: str) -> list[Placement]:
        """The live placements ``sub`` launched in the scope (every click asks; a click
        reads them ahead with its other reads, under :func:`placements_key`)."""
        found: list[Placement] | Any = ahead(placements_key(scope, sub))
        if found is not MISSING:
            return list(found)
        params = {**scope.values(), "user_sub": sub}
        return [Placement(*row) for row in db.execute(self._of_learner, params)]

    def mark_gone(
        self, db: Executor, issuer: str, client_id: str, lineitem_url: str, *, now: datetime
    ) -> int:
        """The platform deleted the line item: stop scoring it (every learner)."""
        t = self.table
        result = db.execute(
            update(t)
            .where(
                t.c.issuer == issuer,
                t.c.client_id == client_id,
                t.c.lineitem_url == lineitem_url,
                t.c.gone_at.is_(None),
            )
            .values(gone_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def gone_line_items(self, db: Executor) -> int:
        """How many line items the platforms answered 404 for (deleted in the LMS)."""
        t = self.table
        query = select(func.count(func.distinct(t.c.lineitem_url))).where(t.c.gone_at.is_not(None))
        return int(db.execute(query).scalar_one())


class CompletedTasks(Protocol):
    """The learners' progress (the pages' ``ProgressStore``): tasks ``sub`` has done."""

    def completed(self, db: Executor, scope: Scope, sub: str) -> Mapping[str, str | None]: ...


CourseDaysLookup = Callable[[Executor, Scope, str, Course], CourseDaysState]
"""The course-day state of (``sub``, course) in a scope, read in the caller's transaction."""


class PlacementScores:
    """Enqueues a learner's scores on every placement a click changes."""

    def __init__(
        self,
        placements: PlacementStore,
        progress: CompletedTasks,
        heads: SqlScoreHeads,
        outbox: Outbox,
        catalog: Callable[[], Catalog],
        days: CourseDaysLookup | None = None,
    ) -> None:
        self.placements = placements
        self.progress = progress
        self.heads = heads
        self.outbox = outbox
        self.catalog = catalog
        self.days = days
        """Course days of a course placement; None: tasks alone."""
        self._tasks: dict[str, frozenset[str]] = {}
        self._queued: Any = None
        self._ride: tuple[Any, ...] | None = None
        self._single: tuple[Precompiled, Precompiled] | None = None
        self._of: Catalog | None = None
        self._lock = Lock()

    def tasks_of(self, node_iri: str) -> frozenset[str]:
        """The tasks of a node (empty when the catalog no longer has it), cached per catalog."""
        catalog = self.catalog()
        with self._lock:
            if self._of is not catalog:  # a reloaded catalog: count again
                self._of, self._tasks = catalog, {}
            found = self._tasks.get(node_iri)
        if found is None:
            try:
                found = node_task_iris(catalog.node(node_iri))
            except UnknownCatalogNode:
                found = frozenset()
            with self._lock:
                self._tasks[node_iri] = found
        return found

    def launched(
        self, db: Executor, launch: LaunchContext, platform: PlatformRegistration, at: datetime
    ) -> bool:
        """A launch (in its transaction): keep its placement, and the first time the learner
        launches it (or when it names another line item or node) send the learner's score
        there if some of its tasks are already done, e.g. on other pages or before the link
        was placed; otherwise the gradebook would wait for the next click. False when the
        launch is not graded."""
        placement = placement_of(launch)
        if placement is None:
            return False
        first = not self.placements.known(db, launch, placement)
        self.placements.record(db, launch, now=at)
        if first:
            tasks = self.tasks_of(placement.node_iri)
            completed = set(self.progress.completed(db, Scope.of(launch), launch.sub))
            if tasks & completed:
                scope = Scope.of(launch)
                self._write(db, scope, launch.sub, platform, placement, tasks, completed, at).alone(
                    db
                )
        return True

    def scoring(
        self,
        db: Executor,
        launch: LaunchContext,
        platform: PlatformRegistration,
        task_iri: str,
        *,
        done: bool,
        at: datetime,
        completed: Collection[str] | None = None,
    ) -> list[Along]:
        """The scores of a click, not written yet: one per placement of the learner (in the
        launch's context) whose node contains ``task_iri``, each its outbox entry and score
        head, to ride in another statement (PostgreSQL) or run alone
        (:class:`~yrkesresan_adapter.storage.scope.Along`). ``done`` says whether the click
        marked the task done or undid it (the undo is already stored; the completion may be
        or not yet); ``completed``: the learner's completed tasks if the caller has them
        (else they are read)."""
        scope = Scope.of(launch)
        affected = [
            (p, tasks)
            for p in self.placements.of_learner(db, scope, launch.sub)
            if task_iri in (tasks := self.tasks_of(p.node_iri))
        ]
        if not affected:
            return []
        stored = self.progress.completed(db, scope, launch.sub) if completed is None else completed
        now_done = set(stored)
        if done:
            now_done.add(task_iri)
        else:
            now_done.discard(task_iri)
        return [
            self._write(db, scope, launch.sub, platform, placement, tasks, now_done, at)
            for placement, tasks in affected
        ]

    def course_days_changed(
        self,
        db: Executor,
        launch: LaunchContext,
        sub: str,
        platform: PlatformRegistration,
        course_iri: str,
        *,
        at: datetime,
    ) -> int:
        """A save of attendance changed the days ``sub`` attended (in ``launch``'s scope):
        one score per placement of theirs on the course. Returns how many."""
        if self.days is None:
            return 0
        scope = Scope.of(launch)
        placements = [
            p for p in self.placements.of_learner(db, scope, sub) if p.node_iri == course_iri
        ]
        if not placements:
            return 0
        completed = set(self.progress.completed(db, scope, sub))
        for placement in placements:
            tasks = self.tasks_of(placement.node_iri)
            self._write(db, scope, sub, platform, placement, tasks, completed, at).alone(db)
        return len(placements)

    def _score_of(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        placement: Placement,
        tasks: frozenset[str],
        completed: set[str],
        at: datetime,
    ) -> Score:
        """Tasks done of the node's tasks; a course with course days counts its days too."""
        if self.days is not None:
            try:
                node = self.catalog().node(placement.node_iri)
            except UnknownCatalogNode:
                node = None
            if isinstance(node, Course) and node.occasions:
                days = self.days(db, scope, sub, node)
                return course_score(sub, tasks, completed, days, at)
        return node_score(sub, tasks, completed, at)

    def _write(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        platform: PlatformRegistration,
        placement: Placement,
        tasks: frozenset[str],
        completed: set[str],
        at: datetime,
    ) -> Along:
        """The write that queues the score of ``placement`` and makes it the newest of its
        (line item, user), not run yet (``.alone(db)`` runs it)."""
        score = self._score_of(db, scope, sub, placement, tasks, completed, at)
        payload = Payload.of(score_payload(platform, placement.lineitem_url, score))
        key = head_key(platform.issuer, platform.client_id, placement.lineitem_url, sub)
        (entry,) = self.outbox.rows([payload], [AGS_TARGET], kind=AGS_SCORE_KIND)
        values = {**entry, **self.heads.values(key, payload.dedupe_id)}

        def alone(db: Executor) -> None:
            if dialect_of(db) != "postgresql":
                entry_insert, head_upsert = self._sqlite_statements()
                entry_insert.first(db, entry)
                head_upsert.first(db, self.heads.values(key, payload.dedupe_id))
                self.outbox.announce([AGS_TARGET], AGS_SCORE_KIND, 1)
                return
            # One statement: the entry's INSERT as the WITH of the head's upsert.
            db.execute(self._queued_as_head(), values)
            self.outbox.announce([AGS_TARGET], AGS_SCORE_KIND, 1)

        riding = {f"ags_{name}": value for name, value in values.items()}
        announce = partial(self.outbox.announce, [AGS_TARGET], AGS_SCORE_KIND, 1)
        return Along(self._riding(), riding, alone, announce)

    def _sqlite_statements(self) -> tuple[Precompiled, Precompiled]:
        """SQLite: the entry's ``INSERT`` (the columns of :meth:`Outbox.rows`) and the
        head's upsert (:meth:`SqlScoreHeads.upsert`), run on the driver's cursor (built
        once; two statements, SQLite has no ``INSERT`` in a ``WITH``)."""
        if self._single is None:
            entry = insert(self.outbox.tables.entries)
            self._single = (Precompiled(entry), Precompiled(self.heads.upsert("sqlite")))
        return self._single

    def _riding(self) -> tuple[Any, ...]:
        """PostgreSQL: the entry's ``INSERT`` and the head's upsert as two CTEs, their
        parameters prefixed ``ags_`` (built once; see :meth:`_write`)."""
        if self._ride is None:
            entries = self.outbox.tables.entries
            columns = ("target", "kind", "dedupe_id", "payload", "status", "attempts")
            entry = insert(entries).values(
                {c: bindparam(f"ags_{c}") for c in (*columns, "created_at", "next_attempt_at")}
            )
            heads = self.heads.table
            head = postgresql.insert(heads).values(
                key=bindparam("ags_key"),
                head_id=bindparam("ags_head_id"),
                updated_at=bindparam("ags_updated_at"),
            )
            upsert = head.on_conflict_do_update(
                index_elements=["key"],
                set_={"head_id": head.excluded.head_id, "updated_at": head.excluded.updated_at},
            )
            self._ride = (entry.cte("ags_entry"), upsert.cte("ags_head"))
        return self._ride

    def _queued_as_head(self) -> Any:
        """PostgreSQL: ``WITH entry AS (INSERT INTO outbox_entries …) INSERT INTO
        ags_score_heads … ON CONFLICT …``, built once (bind an entry of
        :meth:`Outbox.rows` and :meth:`SqlScoreHeads.values`)."""
        if self._queued is None:
            entries = self.outbox.tables.entries
            columns = ("target", "kind", "dedupe_id", "payload", "status", "attempts")
            entry = insert(entries).values(
                {c: bindparam(c) for c in (*columns, "created_at", "next_attempt_at")}
            )
            self._queued = self.heads.upsert("postgresql").add_cte(entry.cte("entry"))
        return self._queued


def gone_hook(engine: Engine, store: PlacementStore, clock: Clock) -> GoneHook:
    """The deliverer's ``on_gone``: mark the line item's placements gone (own transaction)."""

    def mark(issuer: str, client_id: str, lineitem_url: str) -> None:
        with engine.begin() as conn:
            count = store.mark_gone(conn, issuer, client_id, lineitem_url, now=clock.now())
        url = urlsplit(lineitem_url)
        log.warning(
            "ags_lineitem_gone",
            extra={
                "event": "ags_lineitem_gone",
                "issuer": issuer,
                "client_id": client_id,
                "lineitem_host": url.netloc,
                "lineitem_path": url.path,
                "placements": count,
            },
        )

    return mark
