"""Calendar files (``.ics``, RFC 5545) of an occasion's course days, for the learner
registered for it and for its trainers.

``/pages/calendar/mine.ics?course=<course IRI>``
    The occasion the launch's person is registered for in the course (403 when none).
``/pages/calendar/trainer.ics?occasion=<occasion IRI>``
    For a trainer named on the occasion (an Instructor launch whose e-mail is in the
    region's trainer register) or an administrator; 403 for anyone else.

The file is built from the stored occasion by :func:`yrkesresan_lti.occasion_ical
.occasion_calendar`: the same UID per day, a higher SEQUENCE when a day moved.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from yrkesresan_adapter.pages.common import launched, scope
from yrkesresan_adapter.pages.occasions.service import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.view_models import find_course
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_adapter.web.i18n import text
from yrkesresan_lti.exceptions import Forbidden, UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.occasion_ical import occasion_calendar
from yrkesresan_lti.occasion_plan import PlannedOccasion

bp = Blueprint("pages_calendar", __name__, url_prefix="/pages/calendar")

CONTENT_TYPE = "text/calendar; charset=utf-8"


def trainer_keys(db: Executor, launch: LaunchContext) -> list[str]:
    """The trainer register's keys of an Instructor launch (matched by its e-mail); none
    for any other role or a launch without an e-mail."""
    if launch.role != ToolRole.MANAGER or not launch.email:
        return []
    return OccasionService.of().plans.trainer_keys_of_email(db, launch.email)


def trains(db: Executor, launch: LaunchContext, occasion: PlannedOccasion) -> bool:
    """True for an administrator of a platform coordinating the occasion's region
    (``yrkesresan platform set-region``), or an Instructor whose launch e-mail is in the
    trainer register under a key named on ``occasion``."""
    if launch.role == ToolRole.ADMIN:
        regions = OccasionService.of().regions.of_platform(db, launch.issuer, launch.client_id)
        return occasion.region in regions
    return bool(set(trainer_keys(db, launch)) & set(occasion.trainers))


def _ics(occasion: PlannedOccasion) -> Response:
    pages = PagesService.of()
    try:
        course_title = text(find_course(pages.catalog(), occasion.course_iri).title)
    except UnknownCatalogNode:
        course_title = ""
    body = occasion_calendar(occasion, course_title=course_title, stamp=pages.clock.now())
    response = Response(body, content_type=CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{occasion.slug}.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/mine.ics")
def mine() -> Response:
    """The calendar of the occasion the launch's person is registered for in a course."""
    context = launched().context
    course_iri = request.args.get("course", "")
    pages = PagesService.of()
    service = OccasionService.of()
    try:
        find_course(pages.catalog(), course_iri)
    except UnknownCatalogNode:
        abort(404)
    with pages.sessions() as db:
        registration = service.store.of_person(db, scope(), context.sub, course_iri)
        if registration is None:
            raise Forbidden("not registered for an occasion of this course")
        occasion = service.plans.get(db, registration.occasion_iri)
    if occasion is None:
        abort(404)
    return _ics(occasion)


@bp.get("/trainer.ics")
def trainer() -> Response:
    """The calendar of an occasion, for its trainers and administrators."""
    context = launched().context
    pages = PagesService.of()
    service = OccasionService.of()
    with pages.sessions() as db:
        occasion = service.plans.get(db, request.args.get("occasion", ""))
        if occasion is None:
            abort(404)
        if not trains(db, context, occasion):
            raise Forbidden("only the occasion's trainers and administrators")
    return _ics(occasion)
