"""A statement journal that keeps every hook call in memory (the pages' test double)."""

from __future__ import annotations

from datetime import datetime

from yrkesresan_adapter.pages.journal import AttendanceEvent, Journal, OccasionEvent, TaskEvent
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.lti.context import LaunchContext

Event = TaskEvent | OccasionEvent | AttendanceEvent


class RecordingJournal(Journal):
    """``events``: (hook name, event) in call order; ``launches``: (launch, node IRI).
    Each hook returns the event's fresh statement id, as the outbox journal would."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Event]] = []
        self.launches: list[tuple[LaunchContext, str]] = []

    def _keep(self, name: str, event: Event) -> str:
        self.events.append((name, event))
        return event.statement_id

    def task_opened(self, db: Executor, event: TaskEvent) -> str | None:
        return self._keep("opened", event)

    def task_completed(self, db: Executor, event: TaskEvent) -> str | None:
        return self._keep("completed", event)

    def task_undone(self, db: Executor, event: TaskEvent) -> str | None:
        return self._keep("undone", event)

    def launched(
        self, db: Executor, launch: LaunchContext, node_iri: str, at: datetime
    ) -> str | None:
        self.launches.append((launch, node_iri))
        return None

    def registered(self, db: Executor, event: OccasionEvent) -> str | None:
        return self._keep("registered", event)

    def unregistered(self, db: Executor, event: OccasionEvent) -> str | None:
        return self._keep("unregistered", event)

    def attended(self, db: Executor, event: AttendanceEvent) -> str | None:
        return self._keep("attended", event)

    def withdrawn(self, db: Executor, event: AttendanceEvent) -> str | None:
        return self._keep("withdrawn", event)
