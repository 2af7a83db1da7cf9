"""Pages inside the LMS: the learner's journey and checklists, the manager's staff view.

``init_app(app)`` sets ``services.pages`` (:class:`PagesService`), registers the
blueprints under ``/pages`` (:mod:`.progress`, :mod:`.occasions`, :mod:`.attendance`), the
static assets, security headers and the template helpers.
A launch redirects to its first page (:func:`.progress.learner.first_page`), with
``lt=<launch token>``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import format_date

from yrkesresan_adapter.lti import load_secret
from yrkesresan_adapter.pages import assets, attendance, evaluation, occasions, wiring
from yrkesresan_adapter.pages.common import form_fields, launched, page_url, safe_http_url
from yrkesresan_adapter.pages.csrf import CsrfTokens
from yrkesresan_adapter.pages.labels import (
    duration,
    isolated,
    kind_label,
    short_datetime,
    shown_tally_percent,
    state_label,
    years,
)
from yrkesresan_adapter.pages.language_marks import catalog_text, shown_swedish_only
from yrkesresan_adapter.pages.progress import learner, manager
from yrkesresan_adapter.pages.schema import ProgressTables, define_progress_tables, progress_tables
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.pages.wiring import DEFAULT_LRS_TARGET, outbox_journal
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.stats import views as stats_views
from yrkesresan_adapter.web import i18n
from yrkesresan_lti.exceptions import LtiError
from yrkesresan_lti.lti.context import MessageType

__all__ = [
    "DEFAULT_LRS_TARGET",
    "PagesService",
    "ProgressTables",
    "define_progress_tables",
    "init_app",
    "outbox_journal",
]


def init_app(app: Flask) -> PagesService:
    """Register the pages with the full adapter's collaborators (see ``wiring``): the launch
    session, the app's catalog, xAPI + AGS through the outbox, NRPS. Tests and other hosts
    replace them on the returned :class:`PagesService`."""
    state = AdapterState.of(app)
    if state.services.babel is None:
        i18n.init_app(app)
    secret = load_secret(state.settings)
    catalog = state.services.catalog
    service = PagesService(
        store=ProgressStore(progress_tables),
        sessions=state.services.db.session,
        connections=state.services.db.connection,
        one_transaction=state.services.db.transaction,
        click_reads=wiring.click_reads(),
        catalog=catalog,
        resolve_launch=wiring.resolve_from_launch_session,
        csrf=CsrfTokens(secret),
        events=wiring.outbox_journal(app, catalog, secret),
        roster=wiring.nrps_roster(app),
        occasion=occasions.stored_occasion,
        attendance=attendance.stored_attendance,
        stalled_after_weeks=state.settings.stalled_after_weeks,
    )
    launch = state.services.launch  # a resource-link launch lands on the learner's journey/node
    launch.destinations[MessageType.RESOURCE_LINK] = "pages_learner.start"
    launch.landing = learner.first_page  # straight to it, no redirect through /pages/
    launch.on_launch.append(learner.remember_launch)  # the person's name and role
    launch.on_launch.append(learner.record_launch)  # xAPI launched, in its transaction
    launch.on_launch.append(occasions.notice_views.read_for_first_page)  # for its first page
    state.services.pages = service
    app.register_blueprint(assets.bp)
    app.register_blueprint(learner.bp)
    app.register_blueprint(manager.bp)
    occasions.init_app(app)  # registrations for course occasions
    attendance.init_app(app)  # attendance on course days
    evaluation.init_app(app)  # course evaluations
    app.register_blueprint(stats_views.bp)  # the admin's statistics (issue 14)
    assets.add_security_headers(app)
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
        pct=shown_tally_percent,
        catalog_text=catalog_text,
        shown_swedish_only=shown_swedish_only,
        bdi=isolated,
    )
    return service


def _context() -> dict[str, Any]:
    try:
        launch = launched()
    except LtiError:
        return {}
    return {"launch": launch.context, "launch_token": launch.token}
