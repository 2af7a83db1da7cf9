"""Attendance → xAPI *attended* / *voided* statements in the outbox.

Like :mod:`~yrkesresan_adapter.pages.occasions.events`, each hook runs inside the request's
transaction before it commits, so an attendance row and its statement commit together or
not at all, and nothing here touches the network. The actor is the person who attended
(pseudonymous account of the recording manager's platform); the manager who recorded it
is the statement's ``context.instructor``, pseudonymous too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from yrkesresan_adapter.pages.occasions import enqueue_statement, pseudonymous_person
from yrkesresan_adapter.pages.statements import OutboxEvents
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.lti.context import LaunchContext


@dataclass(frozen=True)
class AttendanceEvent:
    """One person's attendance on one course day, recorded or withdrawn by a manager."""

    launch: LaunchContext
    """The recording manager's launch: the tenant and context the person belongs to."""
    sub: str
    """The attending person's LTI ``sub``."""
    day_iri: str
    statement_id: str
    """A fresh id the hook may use for the statement it produces."""
    timestamp: datetime
    voided_statement_id: str | None = None
    """For a withdrawal: the id of the *attended* statement to void."""


class AttendanceEvents(Protocol):
    """Each hook returns the id of the statement it produced (None if it made none); the
    id ``attended`` returns is stored so that a correction can void it."""

    def attended(self, db: Executor, event: AttendanceEvent) -> str | None: ...
    def withdrawn(self, db: Executor, event: AttendanceEvent) -> str | None: ...


class RecordingAttendanceEvents:
    """Keeps events in memory (for tests)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, AttendanceEvent]] = []

    def attended(self, db: Executor, event: AttendanceEvent) -> str | None:
        self.events.append(("attended", event))
        return event.statement_id

    def withdrawn(self, db: Executor, event: AttendanceEvent) -> str | None:
        self.events.append(("withdrawn", event))
        return event.statement_id


class OutboxAttendanceEvents:
    """:class:`AttendanceEvents` on the same factory, outbox and LRS targets as the pages'
    :class:`~yrkesresan_adapter.pages.statements.OutboxEvents`."""

    def __init__(self, events: OutboxEvents) -> None:
        self.events = events

    def attended(self, db: Executor, event: AttendanceEvent) -> str | None:
        person = pseudonymous_person(self.events, event.launch, event.sub)
        instructor = pseudonymous_person(self.events, event.launch, event.launch.sub)
        statement = self.events.factory.course_day_attended(
            person, event.day_iri, instructor=instructor
        )
        return enqueue_statement(self.events, db, statement)

    def withdrawn(self, db: Executor, event: AttendanceEvent) -> str | None:
        if not event.voided_statement_id:
            return None
        person = pseudonymous_person(self.events, event.launch, event.sub)
        statement = self.events.factory.attendance_withdrawn(
            person, event.day_iri, event.voided_statement_id
        )
        return enqueue_statement(self.events, db, statement)
