"""Course occasions: a manager registers staff for an occasion of a course (:mod:`.views`,
:mod:`.registrar`), stored per tenant and context (:mod:`.store` on :mod:`.schema`), and
texts (:mod:`.texts`); its statements go through the pages' journal."""

from __future__ import annotations

import logging

from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.pages.occasions import admin_views, calendar_views, notice_views, views
from yrkesresan_adapter.pages.occasions.calendar_views import trainer_keys, trains
from yrkesresan_adapter.pages.occasions.overlay import PlannedOccasions
from yrkesresan_adapter.pages.occasions.plan_store import AuditActor, Trainer
from yrkesresan_adapter.pages.occasions.planning import Planning
from yrkesresan_adapter.pages.occasions.regions import REGION_LENGTH, RegionRights
from yrkesresan_adapter.pages.occasions.registrar import launch_of
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.occasions.service import OccasionService, stored_occasion
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.occasions.views import (
    StaffMember,
    registered_occasions,
    staff_members,
)
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import CatalogError

LOG = logging.getLogger("yrkesresan.pages")

__all__ = [
    "REGION_LENGTH",
    "AuditActor",
    "OccasionService",
    "OccasionStore",
    "PlannedOccasions",
    "Planning",
    "RegionRights",
    "StaffMember",
    "Trainer",
    "init_app",
    "launch_of",
    "registered_occasions",
    "staff_members",
    "stored_occasion",
    "trainer_keys",
    "trains",
]


def init_app(app: Flask) -> OccasionService:
    """``services.occasions``, the database's occasions over the catalog's (imported from
    the catalog file on the first request), and the registration, trainer, admin, notice
    and calendar pages."""
    state = AdapterState.of(app)
    service = OccasionService(OccasionStore(occasion_tables))
    source = state.services.catalog
    db = state.services.db
    overlay = service.overlay = PlannedOccasions(service.plans, db.session)
    source.overlay = overlay
    seeded: list[bool] = []

    def seed_once() -> None:
        if seeded or request.path.endswith(("/healthz", "/readyz")):
            return
        try:
            overlay.seed(source.file_catalog(), now=PagesService.of().clock.now())
        except (SQLAlchemyError, CatalogError) as err:  # schema behind, catalog unreadable:
            LOG.warning("occasions_not_seeded error=%s", type(err).__name__)  # the page says it
            return
        seeded.append(True)

    app.before_request(seed_once)
    state.services.occasions = service
    app.register_blueprint(views.bp)
    app.register_blueprint(notice_views.bp)
    app.register_blueprint(calendar_views.bp)
    app.register_blueprint(admin_views.bp)
    app.jinja_env.globals["occasion_notices"] = notice_views.occasion_notices
    return service
