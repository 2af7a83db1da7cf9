"""Pages inside the LMS: the learner's journey and checklists, the manager's staff view.

``init_app(app, ...)`` registers service ``"pages"`` (:class:`PagesService`), the
blueprints under ``/pages``, the static assets, security headers and the template helpers.
A launch lands on ``/pages/?lt=<launch token>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_babel import format_date

from yrkesresan_adapter import i18n
from yrkesresan_adapter.pages import (
    assets,
    attendance_service,
    learner,
    manager,
    occasion_service,
    wiring,
)
from yrkesresan_adapter.pages.common import form_fields, launched, page_url, safe_http_url
from yrkesresan_adapter.pages.csrf import CsrfTokens
from yrkesresan_adapter.pages.events import PageEvents
from yrkesresan_adapter.pages.labels import (
    duration,
    kind_label,
    short_datetime,
    state_label,
    years,
)
from yrkesresan_adapter.pages.launch import LaunchResolver
from yrkesresan_adapter.pages.schema import ProgressTables, define_progress_tables
from yrkesresan_adapter.pages.service import (
    AttendanceLookup,
    OccasionLookup,
    PagesService,
    RosterSource,
)
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import LtiError
from yrkesresan_lti.lti.context import MessageType

__all__ = ["PagesService", "ProgressTables", "define_progress_tables", "init_app"]


def init_app(
    app: Flask,
    *,
    catalog: Callable[[], Catalog] | None = None,
    resolve_launch: LaunchResolver | None = None,
    secret: bytes | None = None,
    events: PageEvents | None = None,
    roster: RosterSource | None = None,
    occasion: OccasionLookup | None = None,
    attendance: AttendanceLookup | None = None,
) -> PagesService:
    """Register the pages. Collaborators left out are the full adapter's (see ``wiring``):
    the launch session, the advantage catalog, xAPI + AGS through the outbox, NRPS."""
    state = AdapterState.of(app)
    if "i18n" not in state.services:
        i18n.init_app(app)
    from yrkesresan_adapter.launch_session import load_secret
    from yrkesresan_adapter.models import metadata

    secret = secret or load_secret(state.settings)
    catalog = catalog or wiring.catalog_source(app)
    service = PagesService(
        store=ProgressStore(define_progress_tables(metadata)),
        sessions=state.services["db"].session,
        catalog=catalog,
        resolve_launch=resolve_launch or wiring.resolve_from_launch_session,
        csrf=CsrfTokens(secret),
        events=events or wiring.outbox_events(app, catalog, secret),
        roster=roster or wiring.nrps_roster(app),
        occasion=occasion or occasion_service.stored_occasion,
        attendance=attendance or attendance_service.stored_attendance,
    )
    launch = state.services.get("launch")
    if launch is not None:  # a resource-link launch lands on the learner's journey/node
        launch.destinations[MessageType.RESOURCE_LINK] = "pages_learner.start"
        launch.on_launch.append(learner.record_launch)  # xAPI launched, in its transaction
    state.register("pages", service)
    app.register_blueprint(assets.bp)
    app.register_blueprint(learner.bp)
    app.register_blueprint(manager.bp)
    occasion_service.init_app(app)  # registrations for course occasions
    attendance_service.init_app(app)  # attendance on course days
    assets.add_security_headers(app, state.settings.production)
    app.context_processor(_context)
    app.jinja_env.globals.update(
        asset_url=assets.asset_url,
        page_url=page_url,
        form_fields=form_fields,
        safe_url=safe_http_url,
        duration=duration,
        state_label=state_label,
        kind_label=kind_label,
        years=years,
        long_date=lambda d: format_date(d, "long"),
        short_datetime=short_datetime,
    )
    return service


def _context() -> dict[str, Any]:
    try:
        launch = launched()
    except LtiError:
        return {}
    return {"launch": launch.context, "launch_token": launch.token}
