"""The statement journal: what the pages tell the rest of the tool when someone acts.

One :class:`Journal` with a hook per action: a learner opens, marks done or undoes a task or
launches a placed link; a manager registers or withdraws someone for a course occasion, or
puts them on (or takes them off) its waiting list; a region cancels an occasion or moves a
course day; a trainer records or withdraws attendance on a course day, which may complete
(or undo the completion of) the person's course. The base does nothing, so a service always
has a journal; :class:`~yrkesresan_adapter.pages.statements.OutboxJournal` turns the hooks
into xAPI statements and AGS scores in the outbox.

Each hook runs inside the request's database transaction, *before* it commits, so the outbox
entries a hook enqueues commit together with the row that caused them — or not at all. Hooks
must not do network I/O: delivery is the outbox worker's job, so a page never waits on the
LRS or the LMS. Each hook returns the id of the main statement it produced (None if it made
none); the ids of *completed*, *registered* and *attended* are stored so that an undo, a
withdrawal or a correction can void exactly that statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti.catalog import Course, Task
from yrkesresan_lti.completion import CourseCompletion, CourseDaysState
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.progress import CourseProgress
from yrkesresan_lti.xapi.evaluation import EvaluationAnswer


@dataclass(frozen=True)
class TaskEvent:
    """One learner action on one task, with the course progress *after* it."""

    launch: LaunchContext
    course: Course
    task: Task
    statement_id: str
    """A fresh id the hook may use for the statement it produces; a *completed* statement
    must use it (the click stores it with the task, on PostgreSQL before the hook runs)."""
    timestamp: datetime
    progress: CourseProgress
    voided_statement_id: str | None = None
    """For undo: the id of the *completed* statement to void."""
    completed: frozenset[str] | None = None
    """The learner's completed tasks *after* the action, when the caller has them (the AGS
    scores then need not read them again)."""


@dataclass(frozen=True)
class OccasionEvent:
    """One person registered for (or withdrawn from) one occasion by a manager."""

    launch: LaunchContext
    """The manager's launch: the tenant and context the person belongs to."""
    sub: str
    """The registered person's LTI ``sub``."""
    occasion_iri: str
    statement_id: str
    """A fresh id the hook may use for the statement it produces."""
    timestamp: datetime
    waiting_since: datetime | None = None
    """Registered: when the person joined the waiting list this seat came from (None: a
    registration by the manager)."""
    reason: str | None = None
    """Unregistered: ``occasion-cancelled`` when the occasion was cancelled. Left the waiting
    list: why (:data:`yrkesresan_lti.xapi.vocabulary.REASONS`)."""
    position: int | None = None
    """Put on the waiting list: the place in line (1 = first)."""


@dataclass(frozen=True)
class DayMovedEvent:
    """A course day of the person's occasion moved (start and end, aware, before and after)."""

    launch: LaunchContext
    """A stand-in launch of the manager who registered the person (their tenant and context)."""
    sub: str
    day_iri: str
    before: tuple[datetime, datetime]
    after: tuple[datetime, datetime]


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
    recorder: LaunchContext | None = None
    """The recording trainer's own launch when the person belongs to another tenant or
    context (the trainers' page): the statement's instructor; None: ``launch`` recorded."""


@dataclass(frozen=True)
class CourseDaysEvent:
    """A save of attendance changed the course days ``sub`` attended in ``course`` (after
    the rows are stored): the course may be completed now, or no longer."""

    launch: LaunchContext
    """The recording manager's launch, or the stand-in launch of the person's scope."""
    sub: str
    course: Course
    timestamp: datetime
    withdrawn: bool
    """Some of the person's attendance was withdrawn (only a withdrawal voids a completion:
    recording attendance never makes a course unfinished)."""


class CompletionReader(Protocol):
    """A learner's standing against the completion rule (:mod:`yrkesresan_lti.completion`),
    read inside the caller's transaction."""

    def days(
        self,
        db: Executor,
        scope: Scope,
        sub: str,
        course: Course,
        *,
        lock_at: datetime | None = None,
    ) -> CourseDaysState:
        """The course-day part: the occasion ``sub`` is registered for, the days attended.
        With ``lock_at``, first take that occasion's lock row (as a save of attendance does),
        so a click that finishes the checklists and a save that records the last day at the
        same moment run one after the other and one of them sends the completion."""
        ...

    def completion(self, db: Executor, scope: Scope, sub: str, course: Course) -> CourseCompletion:
        """Checklists (the stored task states) and course days together."""
        ...


@dataclass(frozen=True)
class EvaluationEvent:
    """A learner answered (or changed) the evaluation of a course: one rating per question."""

    launch: LaunchContext
    course_iri: str
    ratings: tuple[EvaluationAnswer, ...]
    timestamp: datetime


class Journal:
    """Every hook of the pages; this base records nothing (a tool without an LRS, a test)."""

    def task_opened(self, db: Executor, event: TaskEvent) -> str | None:
        return None

    def task_completed(self, db: Executor, event: TaskEvent) -> str | None:
        return None

    def task_undone(self, db: Executor, event: TaskEvent) -> str | None:
        return None

    def launched(
        self, db: Executor, launch: LaunchContext, node_iri: str, at: datetime
    ) -> str | None:
        """A learner launched the placed catalog node ``node_iri`` (custom
        ``yrkesresan_node``) at ``at``; runs in the launch's transaction."""
        return None

    def registered(self, db: Executor, event: OccasionEvent) -> str | None:
        return None

    def unregistered(self, db: Executor, event: OccasionEvent) -> str | None:
        return None

    def waiting_joined(self, db: Executor, event: OccasionEvent) -> str | None:
        """Someone was put on an occasion's waiting list (``event.position``)."""
        return None

    def waiting_left(self, db: Executor, event: OccasionEvent) -> str | None:
        """Someone left a waiting list without a seat from it (``event.reason``)."""
        return None

    def day_moved(self, db: Executor, event: DayMovedEvent) -> str | None:
        """A course day of someone's occasion moved."""
        return None

    def attended(self, db: Executor, event: AttendanceEvent) -> str | None:
        return None

    def withdrawn(self, db: Executor, event: AttendanceEvent) -> str | None:
        return None

    def course_days_changed(self, db: Executor, event: CourseDaysEvent) -> str | None:
        """Returns the id of the course *completed* (or its *voided*) statement, if any."""
        return None

    def evaluation_answered(self, db: Executor, event: EvaluationEvent) -> list[str]:
        """Returns the ids of the *answered* statements, one per rating (none here)."""
        return []
