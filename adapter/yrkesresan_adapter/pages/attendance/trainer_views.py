"""The trainers' page (utbildarens sida): their own occasions over every municipality.

``/pages/trainer/``
    The occasions the launch trains — an Instructor whose e-mail is in the region's trainer
    register under a key named on the occasion — or every occasion for an Administrator:
    course, days, place, status, seats taken and the waiting list's length, each with its
    participants' page and calendar file (``/pages/calendar/trainer.ics``).
``/pages/trainer/occasion?occasion=<occasion IRI>``
    The people registered for it from every municipality, one column per course day, and
    the attendance form (the attendance page's rules: only days that have begun). A save
    POSTs the ticks and those it was rendered with, records each in the person's own tenant
    scope (:mod:`.trainer`) and redirects (303) back; a refusal answers 4xx with the page and
    the reason. Anyone else gets 403; an occasion the trainer does not train, 403 too.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, g, redirect, render_template, request
from werkzeug.wrappers import Response

from yrkesresan_adapter.pages.attendance.service import AttendanceService
from yrkesresan_adapter.pages.attendance.texts import refusal, saved_message
from yrkesresan_adapter.pages.attendance.trainer import Participant, TrainerRoster, record
from yrkesresan_adapter.pages.attendance.views import DayColumn
from yrkesresan_adapter.pages.common import check_csrf, launched, page_url
from yrkesresan_adapter.pages.occasions import AuditActor, OccasionService, trainer_keys, trains
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti import attendance as rules
from yrkesresan_lti.catalog import Course, CourseOccasion
from yrkesresan_lti.exceptions import AttendanceError, Forbidden, LtiError, UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.occasion_plan import PlannedOccasion
from yrkesresan_lti.occasions import find_occasion, swedish_date

bp = Blueprint("pages_trainer", __name__, url_prefix="/pages/trainer")


@dataclass(frozen=True)
class OccasionRow:
    plan: PlannedOccasion
    course: Course | None
    occasion: CourseOccasion | None
    registered: int
    waiting: int


def is_trainer() -> bool:
    """For the navigation: the launch is an administrator or in the trainer register."""
    cached: bool | None = getattr(g, "yrkesresan_is_trainer", None)
    if cached is None:
        try:
            launch = launched().context
        except LtiError:
            return False
        if launch.role == ToolRole.ADMIN:
            cached = True
        else:
            with PagesService.of().sessions() as db:
                cached = bool(trainer_keys(db, launch))
        g.yrkesresan_is_trainer = cached
    return cached


def _require_trainer(db: Executor) -> tuple[LaunchContext, list[str]]:
    launch = launched().context
    keys = trainer_keys(db, launch)
    if launch.role != ToolRole.ADMIN and not keys:
        raise Forbidden("this page is for the occasions' trainers and administrators")
    return launch, keys


def _roster() -> TrainerRoster:
    platforms = AdapterState.of().services.platforms

    def platform_name(issuer: str, client_id: str) -> str:
        found = platforms.find(issuer, client_id)
        return found.name if found is not None else issuer

    return TrainerRoster(
        OccasionService.of().store,
        PagesService.of().store,
        AttendanceService.of().store,
        platform_name,
    )


@bp.get("/")
def mine() -> str:
    pages = PagesService.of()
    service = OccasionService.of()
    catalog = pages.catalog()
    with pages.sessions() as db:
        launch, keys = _require_trainer(db)
        iris = None if launch.role == ToolRole.ADMIN else service.plans.of_trainer(db, keys)
        plans = service.plans.find(db, iris=iris)
        if launch.role == ToolRole.ADMIN:  # the occasions of the platform's regions
            regions = service.regions.of_platform(db, launch.issuer, launch.client_id)
            plans = [p for p in plans if p.region in regions]
        taken = service.store.taken(db, [p.iri for p in plans])
        waiting = service.waiting.counts(db, [p.iri for p in plans])
    rows = []
    for plan in plans:
        try:
            course, occasion = find_occasion(catalog, plan.iri)
        except UnknownCatalogNode:
            course, occasion = None, None
        rows.append(OccasionRow(plan, course, occasion, taken[plan.iri], waiting[plan.iri]))
    return render_template("pages/trainer.html", rows=rows, active_nav="trainer")


def _occasion(iri: str) -> tuple[Course, CourseOccasion]:
    pages = PagesService.of()
    with pages.sessions() as db:
        plan = OccasionService.of().plans.get(db, iri)
        if plan is None:
            abort(404)
        _require_trainer(db)
        if not trains(db, launched().context, plan):
            raise Forbidden("only the occasion's trainers and administrators")
    try:
        return find_occasion(pages.catalog(), iri)
    except UnknownCatalogNode:
        abort(404)


def _render(
    course: Course,
    occasion: CourseOccasion,
    message: str | None = None,
    *,
    error: bool = False,
    ticked: set[tuple[str, str]] | None = None,
) -> str:
    pages = PagesService.of()
    roster = _roster()
    with pages.sessions() as db:
        people = roster.participants(db, occasion.iri)
        stored = roster.attended(db, occasion.iri, people)
    today = swedish_date(pages.clock.now())
    return render_template(
        "pages/trainer_occasion.html",
        course=course,
        occasion=occasion,
        days=[DayColumn(day, rules.day_begun(day, today)) for day in occasion.days],
        people=people,
        stored=stored,
        ticked=stored if ticked is None else ticked,
        message=message,
        error=error,
        active_nav="trainer",
    )


@bp.get("/occasion")
def occasion_page() -> str:
    course, occasion = _occasion(request.args.get("occasion", ""))
    return _render(course, occasion, saved_message(request.args))


def _marks(
    occasion: CourseOccasion, people: dict[str, Participant], values: list[str]
) -> set[tuple[str, str]]:
    """(participant key, day IRI) of the posted ``day|key`` values; 400 for a day or person
    not on the page."""
    days = {day.slug: day.iri for day in occasion.days}
    marks = set()
    for value in values:
        slug, _, key = value.partition("|")
        if slug not in days or key not in people:
            abort(400)
        marks.add((key, days[slug]))
    return marks


@bp.post("/occasion")
def save() -> Response | tuple[str, int]:
    check_csrf()
    course, occasion = _occasion(request.form.get("occasion", ""))
    pages = PagesService.of()
    roster = _roster()
    launch = launched().context
    ticked: set[tuple[str, str]] = set()
    try:
        with pages.sessions() as db:
            keys = trainer_keys(db, launch)
            people = {p.key: p for p in roster.participants(db, occasion.iri)}
            ticked = _marks(occasion, people, request.form.getlist("attended"))
            shown = _marks(occasion, people, request.form.getlist("was"))
            change = record(
                db,
                AttendanceService.of().recorder(pages),
                launch,
                course,
                occasion,
                list(people.values()),
                add=[(people[key], day) for key, day in ticked - shown],
                remove=[(people[key], day) for key, day in shown - ticked],
                recorded_by=f"trainer:{keys[0]}" if keys else "admin",
                now=pages.clock.now(),
            )
            if change.recorded or change.withdrawn:
                actor = AuditActor(
                    launch.issuer, launch.client_id, launch.deployment_id, launch.sub
                )
                OccasionService.of().plans.audit(
                    db,
                    occasion.iri,
                    "attendance",
                    actor=actor,
                    now=pages.clock.now(),
                    details={"recorded": len(change.recorded), "withdrawn": len(change.withdrawn)},
                )
    except AttendanceError as err:
        return _render(course, occasion, refusal(err), error=True, ticked=ticked), http_status(err)
    target = page_url(
        "pages_trainer.occasion_page",
        occasion=occasion.iri,
        msg="saved",
        added=str(len(change.recorded)),
        removed=str(len(change.withdrawn)),
    )
    return redirect(target, 303)
