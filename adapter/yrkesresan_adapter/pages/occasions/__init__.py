"""Course occasions: a manager registers staff for an occasion of a course (:mod:`.views`,
:mod:`.registrar`), stored per tenant and context (:mod:`.store` on :mod:`.schema`), and
texts (:mod:`.texts`); its statements go through the pages' journal."""

from __future__ import annotations

from flask import Flask

from yrkesresan_adapter.pages.occasions import views
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.occasions.service import OccasionService, stored_occasion
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.occasions.views import (
    StaffMember,
    registered_occasions,
    staff_members,
)
from yrkesresan_adapter.state import AdapterState

__all__ = [
    "OccasionService",
    "OccasionStore",
    "StaffMember",
    "init_app",
    "registered_occasions",
    "staff_members",
    "stored_occasion",
]


def init_app(app: Flask) -> OccasionService:
    """``services.occasions`` and the manager's registration pages."""
    service = OccasionService(OccasionStore(occasion_tables))
    AdapterState.of(app).services.occasions = service
    app.register_blueprint(views.bp)
    return service
