"""What the pages tell the rest of the tool when a learner acts: the xAPI/AGS seam.

Each hook runs inside the request's database transaction, *before* it commits, so the
outbox entries (xAPI statements, AGS scores) a hook enqueues commit together with the
task state — or not at all. Hooks must not do network I/O: delivery is the outbox
worker's job, so the page never waits on the LRS or the LMS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from yrkesresan_lti.catalog import Course, Task
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.progress import CourseProgress


@dataclass(frozen=True)
class TaskEvent:
    """One learner action on one task, with the course progress *after* it."""

    launch: LaunchContext
    course: Course
    task: Task
    statement_id: str
    """A fresh id the hook may use for the statement it produces."""
    timestamp: datetime
    progress: CourseProgress
    voided_statement_id: str | None = None
    """For undo: the id of the *completed* statement to void."""


Executor = Session | Connection
"""The request's transaction: the session, or (on a click) its connection."""


class PageEvents(Protocol):
    """Each hook returns the id of the main statement it produced (None if it made none);
    for ``task_completed`` that id is stored so that undo can void it."""

    def task_opened(self, db: Executor, event: TaskEvent) -> str | None: ...
    def task_completed(self, db: Executor, event: TaskEvent) -> str | None: ...
    def task_undone(self, db: Executor, event: TaskEvent) -> str | None: ...
    def launched(
        self, db: Executor, launch: LaunchContext, node_iri: str, at: datetime
    ) -> str | None:
        """A learner launched the placed catalog node ``node_iri`` (custom
        ``yrkesresan_node``) at ``at``; runs in the launch's transaction."""
        ...


class RecordingEvents:
    """Keeps events in memory (for tests)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, TaskEvent]] = []
        self.launches: list[tuple[LaunchContext, str]] = []

    def task_opened(self, db: Executor, event: TaskEvent) -> str | None:
        self.events.append(("opened", event))
        return event.statement_id

    def task_completed(self, db: Executor, event: TaskEvent) -> str | None:
        self.events.append(("completed", event))
        return event.statement_id

    def task_undone(self, db: Executor, event: TaskEvent) -> str | None:
        self.events.append(("undone", event))
        return event.statement_id

    def launched(
        self, db: Executor, launch: LaunchContext, node_iri: str, at: datetime
    ) -> str | None:
        self.launches.append((launch, node_iri))
        return None
