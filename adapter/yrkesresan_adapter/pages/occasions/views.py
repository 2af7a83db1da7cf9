"""Manager page: register staff for a course's occasions, and withdraw them.

``/pages/staff/occasions/?course=<course IRI>`` lists the course's occasions (days, place
or meeting link, trainers, deadline, seats left over every municipality), who of the
manager's staff is registered where, and a form to register the people chosen. Who counts
as staff is the same as on the staff page: the LMS roster (NRPS) or the learners who
launched in this context; a mentor exactly their mentees. Forms POST and redirect (303)
back; a refusal (full, closed, started) answers 4xx with the same page and the reason in
the live region.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.wrappers import Response

from yrkesresan_adapter.pages.common import (
    check_csrf,
    launched,
    page_url,
    scope,
    visible_people,
    visible_subs,
)
from yrkesresan_adapter.pages.occasions.service import OccasionService
from yrkesresan_adapter.pages.occasions.store import Registration
from yrkesresan_adapter.pages.occasions.texts import done_message, refusal, seats_text
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.view_models import find_course, place_of
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_adapter.web.i18n import text
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import Course, CourseOccasion
from yrkesresan_lti.exceptions import Forbidden, OccasionRegistrationError, UnknownCatalogNode
from yrkesresan_lti.occasion_plan import OccasionStatus

bp = Blueprint("pages_occasions", __name__, url_prefix="/pages/staff/occasions")


@dataclass(frozen=True)
class StaffMember:
    sub: str
    name: str


@dataclass(frozen=True)
class OccasionView:
    occasion: CourseOccasion
    capacity: int
    seats_left: int
    open: bool
    withdrawable: bool
    mine: list[StaffMember]
    waiting: int = 0
    """People in line for it (over every municipality: only the number)."""

    @property
    def bookable(self) -> bool:
        return self.open and self.seats_left > 0

    @property
    def waitable(self) -> bool:
        """Full but still open: registering offers the waiting list."""
        return self.open and self.seats_left <= 0


@dataclass(frozen=True)
class WaitingRow:
    person: StaffMember
    view: OccasionView
    position: int


def staff_members() -> list[StaffMember]:
    """The people this manager may register, by name: roster or launched learners, a
    mentor's mentees only (the same people as the staff page)."""
    service = PagesService.of()
    with service.sessions() as db:
        stored = {learner.sub: learner.name for learner in service.store.learners(db, scope())}
    people = [StaffMember(sub, name or sub) for sub, name in visible_people(stored)]
    return sorted(people, key=lambda p: (p.name.casefold(), p.sub))


def _course(iri: str) -> Course:
    try:
        return find_course(PagesService.of().catalog(), iri)
    except UnknownCatalogNode:
        abort(404)


def _occasion(course: Course, iri: str) -> CourseOccasion:
    found = next((o for o in course.occasions if o.iri == iri), None)
    if found is None:
        abort(400)
    return found


def _render(
    course: Course,
    message: str | None = None,
    *,
    error: bool = False,
    chosen: tuple[str, list[str]] = ("", []),
) -> str:
    """The page; ``chosen`` (occasion IRI, people) keeps a refused form's choices."""
    pages = PagesService.of()
    service = OccasionService.of()
    store = service.store
    people = staff_members()
    by_sub = {p.sub: p for p in people}
    iris = [o.iri for o in course.occasions]
    with pages.sessions() as db:
        taken = store.taken(db, iris)
        registered = store.of_course(db, scope(), course.iri, list(by_sub))
        in_line = service.waiting.counts(db, iris)
        positions = service.waiting.of_scope(db, scope(), course.iri)
        closed = {iri for iri in iris if not _takes_registrations(db, service, iri)}
    today = rules.swedish_date(pages.clock.now())
    views = [
        OccasionView(
            occasion,
            occasion.capacity,
            rules.seats_left(occasion, taken[occasion.iri]),
            rules.registration_open(occasion, today) and occasion.iri not in closed,
            rules.withdrawal_open(occasion, today),
            [by_sub[r.sub] for r in registered.values() if r.occasion_iri == occasion.iri],
            in_line[occasion.iri],
        )
        for occasion in course.occasions
    ]
    by_iri = {v.occasion.iri: v for v in views}
    waiting_rows = sorted(
        (
            WaitingRow(by_sub[sub], by_iri[iri], position)
            for (sub, iri), position in positions.items()
            if sub in by_sub and iri in by_iri
        ),
        key=lambda row: (row.position, row.person.name.casefold()),
    )
    rows: list[tuple[StaffMember, Registration, OccasionView | None]] = [
        (by_sub[sub], reg, by_iri.get(reg.occasion_iri)) for sub, reg in registered.items()
    ]
    rows.sort(key=lambda row: (row[0].name.casefold(), row[0].sub))
    return render_template(
        "pages/occasions.html",
        course=course,
        journey=place_of(pages.catalog(), course.iri).journey,
        occasions=views,
        people=people,
        registered=registered,
        occasion_of={sub: by_iri.get(reg.occasion_iri) for sub, reg in registered.items()},
        rows=rows,
        waiting_rows=waiting_rows,
        seats_text=seats_text,
        chosen_occasion=chosen[0],
        chosen_people=set(chosen[1]),
        message=message,
        error=error,
        active_nav="staff",
    )


def _takes_registrations(db: Executor, service: OccasionService, iri: str) -> bool:
    """False for a stored occasion that is cancelled, not open, or not open to this
    launch's municipality (the registrar refuses those too)."""
    plan = service.plans.get(db, iri)
    if plan is None:
        return True
    return plan.status == OccasionStatus.OPEN and plan.open_to(launched().context.issuer)


@bp.get("/")
def occasions() -> str:
    visible_subs()  # managers, admins and mentors only
    course = _course(request.args.get("course", ""))
    return _render(course, done_message(course, request.args))


def _chosen_people(subs: list[str]) -> list[str]:
    allowed = {p.sub for p in staff_members()}
    if any(sub not in allowed for sub in subs):
        raise Forbidden("you can only register people in your own course")
    return subs


@bp.post("/register")
def register() -> Response | tuple[str, int]:
    check_csrf()
    visible_subs()  # managers, admins and mentors only
    course = _course(request.form.get("course", ""))
    occasion_iri = request.form.get("occasion", "")
    subs = _chosen_people(request.form.getlist("person"))
    if not occasion_iri:
        message = _("Välj ett kurstillfälle.")
        return _render(course, message, error=True, chosen=("", subs)), 400
    occasion = _occasion(course, occasion_iri)
    pages = PagesService.of()
    try:
        registrar = OccasionService.of().registrar(pages)
        with pages.sessions() as db:
            outcome = registrar.register(
                db,
                launched().context,
                course,
                occasion,
                subs,
                now=pages.clock.now(),
                waitlist=request.form.get("waitlist") == "1",
            )
    except OccasionRegistrationError as err:
        kept = (occasion.iri, subs)
        return _render(course, refusal(err, occasion), error=True, chosen=kept), http_status(err)
    changed = len(outcome.registered) + len(outcome.moved)
    target = page_url(
        "pages_occasions.occasions",
        course=course.iri,
        msg="registered",
        occasion=occasion.iri,
        n=str(changed + len(outcome.already)),
        w=str(len(outcome.waiting)),
    )
    return redirect(target, 303)


@bp.post("/leave-waiting")
def leave_waiting() -> Response | tuple[str, int]:
    """Take one of the manager's people off an occasion's waiting list."""
    check_csrf()
    visible_subs()  # managers, admins and mentors only
    course = _course(request.form.get("course", ""))
    sub = request.form.get("person", "")
    if not sub:
        abort(400)
    _chosen_people([sub])
    occasion = _occasion(course, request.form.get("occasion", ""))
    pages = PagesService.of()
    try:
        registrar = OccasionService.of().registrar(pages)
        with pages.sessions() as db:
            registrar.leave_waiting(
                db, launched().context, course, occasion, sub, now=pages.clock.now()
            )
    except OccasionRegistrationError as err:
        return _render(course, refusal(err, occasion), error=True), http_status(err)
    target = page_url(
        "pages_occasions.occasions", course=course.iri, msg="left-waiting", occasion=occasion.iri
    )
    return redirect(target, 303)


@bp.post("/withdraw")
def withdraw() -> Response | tuple[str, int]:
    check_csrf()
    visible_subs()  # managers, admins and mentors only
    course = _course(request.form.get("course", ""))
    sub = request.form.get("person", "")
    if not sub:
        abort(400)
    _chosen_people([sub])
    pages = PagesService.of()
    try:
        registrar = OccasionService.of().registrar(pages)
        with pages.sessions() as db:
            occasion_iri = registrar.withdraw(
                db, launched().context, course, sub, now=pages.clock.now()
            )
    except OccasionRegistrationError as err:
        return _render(course, refusal(err, None), error=True), http_status(err)
    target = page_url(
        "pages_occasions.occasions", course=course.iri, msg="withdrawn", occasion=occasion_iri
    )
    return redirect(target, 303)


def registered_occasions(course: Course | None) -> dict[str, str]:
    """``sub`` → title of the occasion each person of this context is registered for in
    ``course`` (for the staff table and its CSV; empty without a chosen course)."""
    if course is None:
        return {}
    pages = PagesService.of()
    with pages.sessions() as db:
        found = OccasionService.of().store.of_course(db, scope(), course.iri)
    titles = {o.iri: text(o.title) for o in course.occasions}
    return {sub: titles.get(r.occasion_iri, "") for sub, r in found.items()}
