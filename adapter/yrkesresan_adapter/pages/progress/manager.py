"""Manager pages: the dashboard (who needs help, and where), the staff list with
progress, the group chart per course, CSV export.

Who is listed: the LMS roster (NRPS) of the launch's context when the platform offers it,
else the learners who launched in this context; a mentor sees exactly their mentees.
Everything is read inside the launch's tenant and context (:class:`Scope`).
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote_plus

from flask import Blueprint, Response, abort, render_template, request

from yrkesresan_adapter.pages.attendance import AttendanceService, OpenDays
from yrkesresan_adapter.pages.charts import ChartRow, bar_chart
from yrkesresan_adapter.pages.common import (
    course_roster,
    page_url,
    read_in_one_transaction,
    scope,
    unknown_node,
    visible_people,
    visible_subs,
)
from yrkesresan_adapter.pages.done_bits import DoneTasks
from yrkesresan_adapter.pages.labels import state_label
from yrkesresan_adapter.pages.numbers import shown_percent
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.progress.dashboard import (
    RegistrationSeen,
    Stalled,
    course_glance,
    stalled_first,
    unprepared,
)
from yrkesresan_adapter.pages.progress.group_counts import GroupIndex, cycle_collection_paused
from yrkesresan_adapter.pages.progress.staff import (
    SORT_KEYS,
    Column,
    GoalSummary,
    Person,
    StaffRow,
    columns_for,
    filter_rows,
    goal_summaries,
    sort_rows,
    staff_rows,
)
from yrkesresan_adapter.pages.progress.staff_markup import RowMarkup
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_adapter.web.i18n import ngettext, text
from yrkesresan_lti.catalog import Course, Journey
from yrkesresan_lti.exceptions import UnknownCatalogNode
from yrkesresan_lti.occasions import swedish_date
from yrkesresan_lti.progress import ProgressState
from yrkesresan_lti.spreadsheet import defused

bp = Blueprint("pages_manager", __name__, url_prefix="/pages/staff")

bp.register_error_handler(UnknownCatalogNode, unknown_node)


def _people(
    course_iris: list[str],
) -> tuple[list[Person], DoneTasks, list[RegistrationSeen], dict[str, set[str]]]:
    """The people the manager may see, their done tasks (as bits), their registrations for
    the courses in view and the course days they attended there (5 queries, +1 roster)."""
    service = PagesService.of()
    with service.sessions() as db:
        learners = service.store.learner_activity(db, scope())
        completed = service.store.done_tasks(db, scope())
        registrations = [
            RegistrationSeen(r.sub, r.course_iri, r.occasion_iri)
            for r in OccasionService.of().store.of_courses(db, scope(), course_iris)
        ]
        occasions = {r.occasion_iri for r in registrations}
        attended = AttendanceService.of().store.by_person(db, scope(), occasions)
    names = {sub: name for sub, name, _ in learners}
    activity = {sub: last for sub, _, last in learners}
    people = [Person(sub, name, activity.get(sub)) for sub, name in visible_people(names)]
    return people, completed, registrations, attended


def _scope_courses() -> tuple[Journey, list[Course], Course | None]:
    catalog = PagesService.of().catalog()
    slug = request.args.get("journey")
    journey = next((j for j in catalog.journeys if j.slug == slug), catalog.journeys[0])
    courses = [c for step in journey.steps for c in step.courses]
    wanted = request.args.get("course")
    course = next((c for c in courses if c.slug == wanted), None)
    if wanted and course is None:
        abort(404)
    return journey, courses, course


def _table() -> dict[str, object]:
    journey, courses, course = _scope_courses()
    in_view = [course] if course else courses
    people, completed, registrations, attended = _people([c.iri for c in in_view])
    index = GroupIndex(courses, completed.numbers)
    masks = completed.masks
    counts = {p.sub: index.count_mask(masks.get(p.sub, 0)) for p in people}
    open_days = OpenDays(
        in_view, [(r.sub, r.course_iri, r.occasion_iri) for r in registrations], attended
    )
    rows = staff_rows(people, index, counts, course, open_days.of, open_days.tallies)
    shown = filter_rows(rows, request.args.get("q", ""), request.args.get("state", ""))
    sort = request.args.get("sort", "name")
    sort = sort if sort in SORT_KEYS else "name"
    descending = request.args.get("dir") == "desc"
    return {
        "journey": journey,
        "courses": courses,
        "course": course,
        "columns": columns_for(courses, course),
        "rows": sort_rows(shown, sort, descending),
        "all_rows": rows,
        "in_view": in_view,
        "completed": completed,
        "registrations": registrations,
        "open_days": open_days,
        "total_people": len(rows),
        "people": people,
        "index": index,
        "counts": counts,
        "sort": sort,
        "descending": descending,
    }


@bp.get("/")
def staff() -> str:
    visible_subs()  # managers, admins and mentors only: nobody else makes us ask the LMS
    course_roster()  # waits for the LMS: before the page's transaction, not inside it
    return _staff_in_one_transaction()


@read_in_one_transaction
def _staff_in_one_transaction() -> str:
    with cycle_collection_paused():
        return _staff()


def _staff() -> str:
    data = _table()
    in_view: list[Course] = data.pop("in_view")  # type: ignore[assignment]
    people: list[Person] = data["people"]  # type: ignore[assignment]
    index: GroupIndex = data["index"]  # type: ignore[assignment]
    counts = data["counts"]
    summaries = goal_summaries(people, in_view, index, counts)  # type: ignore[arg-type]
    labels = {state.value: state_label(state) for state in ProgressState}
    rows: list[object] = data.pop("rows")  # type: ignore[assignment]
    service = PagesService.of()
    size = service.page_size
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, _int(request.args.get("page"), 1)), pages)
    first = (page - 1) * size
    now = service.clock.now()
    all_rows: list[StaffRow] = data.pop("all_rows")  # type: ignore[assignment]
    registrations: list[RegistrationSeen] = data.pop("registrations")  # type: ignore[assignment]
    open_days: OpenDays = data.pop("open_days")  # type: ignore[assignment]
    completed: DoneTasks = data.pop("completed")  # type: ignore[assignment]
    columns: list[Column] = data["columns"]  # type: ignore[assignment]
    states = {r.person.sub: r.state for r in all_rows}
    found, stalled_count = stalled_first(
        people, states, now, service.stalled_after_weeks, STALLED_SHOWN
    )
    return render_template(
        "pages/staff.html",
        rows=rows[first : first + size],
        shown_count=len(rows),
        first_shown=first + 1,
        page=page,
        pages=pages,
        pager_links=_pager_links(data, pages) if pages > 1 else [],
        chart_groups=_chart_groups(in_view, summaries, len(people)),
        summaries=summaries,
        glance=course_glance(people, in_view, index, counts, open_days.of),  # type: ignore[arg-type]
        stalled=_stalled_links(found, data["journey"]),  # type: ignore[arg-type]
        stalled_more=stalled_count - len(found),
        stalled_weeks=service.stalled_after_weeks,
        unprepared=unprepared(people, in_view, registrations, completed, swedish_date(now)),
        active_nav="staff",
        state_labels=labels,
        staff_row_markup=RowMarkup,
        column_labels=[text(c.title) for c in columns],
        registered_occasion=_occasion_titles(data["course"], registrations),  # type: ignore[arg-type]
        **data,
    )


STALLED_SHOWN = 20
"""The stalled people named on the dashboard (longest quiet first); the rest are counted,
with a link to the staff list of everyone in progress, least recently active first: a
region can have thousands, more than anyone reads in a list."""


def _stalled_links(found: list[Stalled], journey: Journey) -> list[tuple[Stalled, str, str]]:
    """Each stalled person shown with the link to their journey and the note: the URL is
    built once and each ``sub`` quoted into it (as ``url_for`` would), and the note once per
    number of weeks."""
    before, _, after = page_url(
        "pages_learner.journey", journey=journey.slug, person=_PLACEHOLDER
    ).partition(_PLACEHOLDER)
    notes: dict[int, str] = {}
    links = []
    for s in found:
        if s.weeks not in notes:
            notes[s.weeks] = ngettext(
                "har påbörjat men inte gjort något på %(num)s vecka",
                "har påbörjat men inte gjort något på %(num)s veckor",
                s.weeks,
            )
        links.append(
            (s, before + quote_plus(s.person.sub, safe=_QUERY_SAFE) + after, notes[s.weeks])
        )
    return links


def _pager_links(data: dict[str, object], pages: int) -> list[tuple[int, str]]:
    """Each page of the staff list with its link: the URL built once (a region has ~50
    pages) and each page number put into it."""
    course: Course | None = data["course"]  # type: ignore[assignment]
    journey: Journey = data["journey"]  # type: ignore[assignment]
    before, _, after = page_url(
        "pages_manager.staff",
        journey=journey.slug,
        course=course.slug if course else None,
        q=request.args.get("q"),
        state=request.args.get("state"),
        sort=data["sort"],
        dir="desc" if data["descending"] else None,
        page=_PLACEHOLDER,
    ).partition(_PLACEHOLDER)
    return [(number, f"{before}{number}{after}") for number in range(1, pages + 1)]


_PLACEHOLDER = "yrkesresan-person-placeholder"
_QUERY_SAFE = "!$'()*,/:;?@"
"""What ``url_for`` (werkzeug's ``urlencode``) leaves unquoted in a query value."""


def _chart_groups(
    courses: list[Course], summaries: list[GoalSummary], people: int
) -> list[tuple[Course, str]]:
    """One chart per course (its knowledge goals), for the courses with goals."""
    groups = []
    by_course: dict[str, list[GoalSummary]] = {}
    for summary in summaries:  # grouped once (an IRI is a property: ~600 reads per page)
        by_course.setdefault(summary.course.iri, []).append(summary)
    for course in courses:
        mine = by_course.get(course.iri, [])
        if not mine:
            continue
        chart = bar_chart(
            [ChartRow(text(s.goal.title), s.average_percent) for s in mine],
            title=_("Gruppens framsteg per kunskapsmål: %(course)s", course=text(course.title)),
            desc=ngettext(
                "Genomsnittlig andel klara uppgifter per kunskapsmål för %(num)s person.",
                "Genomsnittlig andel klara uppgifter per kunskapsmål för %(num)s personer.",
                people,
            ),
            chart_id=f"goal-chart-{course.slug}",
        )
        groups.append((course, chart))
    return groups


def _occasion_titles(
    course: Course | None, registrations: list[RegistrationSeen]
) -> dict[str, str]:
    """``sub`` → the title of the occasion each person is registered for in ``course``."""
    if course is None:
        return {}
    titles = {o.iri: text(o.title) for o in course.occasions}
    return {
        r.sub: titles.get(r.occasion_iri, "") for r in registrations if r.course_iri == course.iri
    }


@bp.get("/export.csv")
def export() -> Response:
    """CSV for Excel: UTF-8 with BOM and ``;`` as separator (what Swedish Excel expects)."""
    with cycle_collection_paused():
        return _export()


def _export() -> Response:
    data = _table()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = data["columns"]
    occasions = _occasion_titles(data["course"], data["registrations"])  # type: ignore[arg-type]
    writer.writerow(
        defused(
            [_("Namn"), _("Status"), _("Klart (%)"), _("Senaste aktivitet")]
            + [text(c.title) + " (%)" for c in columns]  # type: ignore[attr-defined]
            + ([_("Kurstillfälle")] if data["course"] else [])
        )
    )
    for row in data["rows"]:  # type: ignore[attr-defined]
        writer.writerow(  # names come from the LMS: defused, as every text cell
            defused(
                [
                    row.person.name or row.person.sub,
                    row.state.value,
                    shown_percent(row.done, row.total),
                    row.person.last_activity_at.isoformat() if row.person.last_activity_at else "",
                    *row.percents(),
                    *([occasions.get(row.person.sub, "")] if data["course"] else []),
                ]
            )
        )
    body = "\ufeff" + out.getvalue()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="yrkesresan-framsteg.csv"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default
