"""The pages' collaborators, set once per app as ``services.pages``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from yrkesresan_adapter.pages.click_reads import ClickReads
from yrkesresan_adapter.pages.compiled import CompiledCourses
from yrkesresan_adapter.pages.csrf import CsrfTokens
from yrkesresan_adapter.pages.journal import Journal
from yrkesresan_adapter.pages.launch import LaunchResolver
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog, CourseOccasion
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_uuid
from yrkesresan_lti.lti.context import LaunchContext


@dataclass(frozen=True)
class RosterMember:
    sub: str
    name: str | None
    is_learner: bool = True


RosterSource = Callable[[LaunchContext], list[RosterMember] | None]
"""The LMS's member list (NRPS) of the launch's context; None when not offered."""

OccasionLookup = Callable[[LaunchContext, str], CourseOccasion | None]
"""The occasion of a course (IRI) that ``launch.sub`` is registered for, if any (in the
launch's tenant and context; a manager's drill-down passes the launch with the person's
``sub``). Default: the stored registrations (``occasion_service.stored_occasion``)."""

AttendanceLookup = Callable[[LaunchContext, str], set[str]]
"""The course days (IRIs) of an occasion (IRI) that ``launch.sub`` attended, in the launch's
tenant and context. Default: the stored attendance (``attendance_service.stored_attendance``)."""


@dataclass
class PagesService:
    store: ProgressStore
    sessions: Callable[[], AbstractContextManager[Session]]
    """A new session in one transaction (``Database.session``)."""
    catalog: Callable[[], Catalog]
    resolve_launch: LaunchResolver
    csrf: CsrfTokens
    events: Journal = field(default_factory=Journal)
    """The statement journal (the outbox in the full adapter; records nothing by default)."""
    roster: RosterSource | None = None
    occasion: OccasionLookup | None = None
    attendance: AttendanceLookup | None = None
    clock: Clock = SYSTEM_CLOCK
    new_id: IdFactory = new_uuid
    page_size: int = 100
    """Rows per page of the staff table (filter, sort, chart and CSV cover everyone)."""
    stalled_after_weeks: int = 3
    """Someone who has started and shows no activity for this many weeks has stalled."""
    extra: dict[str, object] = field(default_factory=dict)
    compiled: CompiledCourses = field(default_factory=CompiledCourses)
    """Courses as plain tuples for progress, computed once per course (the catalog is frozen)."""
    click_reads: ClickReads | None = None
    """A click's reads in one statement (the full adapter's tables); None: each module
    reads its own (a host whose journal needs none of them)."""
    connections: Callable[[], AbstractContextManager[Connection]] | None = None
    """A Core connection in one transaction (``Database.connection``; inside
    :attr:`one_transaction`, the block's), for statements that need no ORM session (a
    launch's hooks, a click); None: the connection of a :attr:`sessions` session."""
    one_transaction: Callable[[], AbstractContextManager[None]] = nullcontext
    """Makes every :attr:`sessions` of the block share one session and transaction
    (``Database.transaction``): a page's reads, its own and the base template's, then take
    one connection and one commit instead of one per lookup; a learner's action (a click)
    runs in it so the lookups its statements need (the municipality) join the action's own
    transaction instead of opening one of their own."""

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """:attr:`connections`' connection (a launch's hooks, a click), else the connection
        of a :attr:`sessions` session."""
        if self.connections is not None:
            with self.connections() as connection:
                yield connection
            return
        with self.sessions() as session:
            yield session.connection()

    @classmethod
    def of(cls, app: Flask | None = None) -> PagesService:
        service: PagesService = AdapterState.of(app).services.pages
        return service
