"""Attendance on course days: a trainer or manager records who attended (:mod:`.views`,
:mod:`.recorder`; the trainers' own page over every municipality, :mod:`.trainer_views`),
stored per tenant and context (:mod:`.store` on :mod:`.schema`), and texts (:mod:`.texts`);
its statements go through the pages' journal; whether a course is completed by the rule,
course days included, from the stored rows (:mod:`.completion`)."""

from __future__ import annotations

from flask import Flask

from yrkesresan_adapter.pages.attendance import trainer_views, views
from yrkesresan_adapter.pages.attendance.completion import OpenDays, StoredCompletion
from yrkesresan_adapter.pages.attendance.schema import attendance_table
from yrkesresan_adapter.pages.attendance.service import AttendanceService, stored_attendance
from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.attendance.trainer import participant_key
from yrkesresan_adapter.state import AdapterState

__all__ = [
    "AttendanceService",
    "OpenDays",
    "StoredCompletion",
    "init_app",
    "participant_key",
    "stored_attendance",
]


def init_app(app: Flask) -> AttendanceService:
    """``services.attendance``, the attendance page and the trainers' page."""
    service = AttendanceService(AttendanceStore(attendance_table))
    AdapterState.of(app).services.attendance = service
    app.register_blueprint(views.bp)
    app.register_blueprint(trainer_views.bp)
    app.jinja_env.globals["is_trainer"] = trainer_views.is_trainer
    return service
