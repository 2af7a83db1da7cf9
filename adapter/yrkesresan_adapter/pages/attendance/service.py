"""Attendance on course days as ``services.attendance`` of the app.

:func:`stored_attendance` is the default
:data:`~yrkesresan_adapter.pages.service.AttendanceLookup` of the learner's course page.
The statements go through the pages' journal (``PagesService.events``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from yrkesresan_adapter.pages.attendance.recorder import AttendanceRecorder
from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti.context import LaunchContext


@dataclass
class AttendanceService:
    store: AttendanceStore

    @classmethod
    def of(cls, app: Flask | None = None) -> AttendanceService:
        service: AttendanceService = AdapterState.of(app).services.attendance
        return service

    def recorder(self, pages: PagesService) -> AttendanceRecorder:
        registrations = OccasionService.of().store
        return AttendanceRecorder(self.store, registrations, pages.events, pages.new_id)


def stored_attendance(launch: LaunchContext, occasion_iri: str) -> set[str]:
    """The course days of the occasion that ``launch.sub`` attended, as recorded in the
    launch's tenant and context (day IRIs)."""
    pages = PagesService.of()
    with pages.sessions() as db:
        return AttendanceService.of().store.days_of(db, Scope.of(launch), launch.sub, occasion_iri)
