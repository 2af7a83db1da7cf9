"""Attendance on an occasion's course days: who of this course's staff attended which day.

``/pages/staff/occasions/attendance?occasion=<occasion IRI>`` shows a table of the people
registered for the occasion from the launch's platform, deployment and context, one
column per course day. A manager or admin (LMS Instructor/Administrator — the trainer or
the chef) ticks who attended and saves; a mentor sees their mentees' attendance read-only.
Days that have not begun (Swedish date) are shown disabled. The form POSTs the ticks and
the ticks it was rendered with, so a save changes only what this manager changed, and
redirects (303) back; a refusal answers 4xx with the page and the reason in the live region.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.wrappers import Response

from yrkesresan_adapter.pages.attendance.recorder import Mark
from yrkesresan_adapter.pages.attendance.service import AttendanceService
from yrkesresan_adapter.pages.attendance.texts import refusal, saved_message
from yrkesresan_adapter.pages.common import (
    check_csrf,
    launched,
    page_url,
    scope,
    staff_subs,
    visible_subs,
)
from yrkesresan_adapter.pages.occasions import StaffMember, staff_members
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.view_models import place_of
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti import attendance as rules
from yrkesresan_lti.catalog import Course, CourseDay, CourseOccasion
from yrkesresan_lti.exceptions import AttendanceError, Forbidden, UnknownCatalogNode
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.occasions import find_occasion, swedish_date

bp = Blueprint("pages_attendance", __name__, url_prefix="/pages/staff/occasions")


@dataclass(frozen=True)
class DayColumn:
    day: CourseDay
    begun: bool


def _occasion(iri: str) -> tuple[Course, CourseOccasion]:
    try:
        return find_occasion(PagesService.of().catalog(), iri)
    except UnknownCatalogNode:
        abort(404)


def may_record() -> bool:
    """Managers and admins record attendance; a mentor only views their mentees'."""
    return launched().context.role in (ToolRole.MANAGER, ToolRole.ADMIN)


def mark_value(day: CourseDay, sub: str) -> str:
    """A checkbox's value: the day's number, then the person's ``sub`` (which may hold ``|``)."""
    return f"{day.slug}|{sub}"


def _marks(occasion: CourseOccasion, values: list[str]) -> set[Mark]:
    days = {day.slug: day.iri for day in occasion.days}
    marks: set[Mark] = set()
    for value in values:
        slug, _, sub = value.partition("|")
        if slug not in days or not sub:
            abort(400)
        marks.add((sub, days[slug]))
    return marks


def _people(course: Course, occasion: CourseOccasion) -> list[StaffMember]:
    """The people of this scope registered for the occasion (a mentor: their mentees),
    leaving out whoever has launched here as staff (like the staff list)."""
    allowed = visible_subs()
    pages = PagesService.of()
    recorder = AttendanceService.of().recorder(pages)
    with pages.sessions() as db:
        registered = recorder.registered(db, scope(), course, occasion)
    names = {p.sub: p for p in staff_members()}
    staff = staff_subs()
    people = [
        names.get(sub) or StaffMember(sub, sub)
        for sub in registered
        if (allowed is None or sub in allowed) and sub not in staff
    ]
    return sorted(people, key=lambda p: (p.name.casefold(), p.sub))


def _render(
    course: Course,
    occasion: CourseOccasion,
    message: str | None = None,
    *,
    error: bool = False,
    ticked: set[Mark] | None = None,
) -> str:
    """The page; ``ticked`` keeps a refused form's ticks instead of the stored ones."""
    pages = PagesService.of()
    people = _people(course, occasion)
    with pages.sessions() as db:
        stored = AttendanceService.of().store.of_occasion(
            db, scope(), occasion.iri, [p.sub for p in people]
        )
    today = swedish_date(pages.clock.now())
    return render_template(
        "pages/attendance.html",
        course=course,
        occasion=occasion,
        journey=place_of(pages.catalog(), course.iri).journey,
        days=[DayColumn(day, rules.day_begun(day, today)) for day in occasion.days],
        people=people,
        stored=set(stored),
        ticked=set(stored) if ticked is None else ticked,
        mark_value=mark_value,
        editable=may_record(),
        message=message,
        error=error,
        active_nav="staff",
    )


@bp.get("/attendance")
def attendance() -> str:
    visible_subs()  # managers, admins and mentors only
    course, occasion = _occasion(request.args.get("occasion", ""))
    return _render(course, occasion, saved_message(request.args))


@bp.post("/attendance")
def save() -> Response | tuple[str, int]:
    check_csrf()
    visible_subs()
    if not may_record():
        raise Forbidden(
            "attendance is kept by course leaders, instructors and managers; a mentor may view it"
        )
    course, occasion = _occasion(request.form.get("occasion", ""))
    ticked = _marks(occasion, request.form.getlist("attended"))
    shown = _marks(occasion, request.form.getlist("was"))
    pages = PagesService.of()
    try:
        recorder = AttendanceService.of().recorder(pages)
        with pages.sessions() as db:
            change = recorder.apply(
                db,
                launched().context,
                course,
                occasion,
                add=ticked - shown,
                remove=shown - ticked,
                now=pages.clock.now(),
            )
    except AttendanceError as err:
        return _render(course, occasion, refusal(err), error=True, ticked=ticked), http_status(err)
    except UnknownCatalogNode:
        abort(400)
    target = page_url(
        "pages_attendance.attendance",
        occasion=occasion.iri,
        msg="saved",
        added=str(len(change.recorded)),
        removed=str(len(change.withdrawn)),
    )
    return redirect(target, 303)
