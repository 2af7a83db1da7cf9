"""Attendance on course days as service ``"attendance"`` of the app.

:func:`init_app` (called by the pages' ``init_app``) registers the store and the
attendance page's blueprint; :func:`stored_attendance` is the default
:data:`~yrkesresan_adapter.pages.service.AttendanceLookup` of the learner's course page.
The statements go through the pages' own events, as for occasion registrations: when
those are the outbox a save enqueues its statements there too.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from yrkesresan_adapter.pages.attendance.events import AttendanceEvents, OutboxAttendanceEvents
from yrkesresan_adapter.pages.attendance.recorder import AttendanceRecorder
from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.statements import OutboxEvents
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.context import LaunchContext


@dataclass
class AttendanceService:
    store: AttendanceStore
    events: AttendanceEvents | None = None
    """None: derived from the pages' events (statements when those are the outbox)."""

    @classmethod
    def of(cls, app: Flask | None = None) -> AttendanceService:
        service: AttendanceService = AdapterState.of(app).services.attendance
        return service

    def hooks(self, pages: PagesService) -> AttendanceEvents | None:
        if self.events is not None:
            return self.events
        if isinstance(pages.events, OutboxEvents):
            return OutboxAttendanceEvents(pages.events)
        return None

    def recorder(self, pages: PagesService) -> AttendanceRecorder:
        registrations = OccasionService.of().store
        return AttendanceRecorder(self.store, registrations, self.hooks(pages), pages.new_id)


def stored_attendance(launch: LaunchContext, occasion_iri: str) -> set[str]:
    """The course days of the occasion that ``launch.sub`` attended, as recorded in the
    launch's tenant and context (day IRIs)."""
    pages = PagesService.of()
    with pages.sessions() as db:
        return AttendanceService.of().store.days_of(db, Scope.of(launch), launch.sub, occasion_iri)
