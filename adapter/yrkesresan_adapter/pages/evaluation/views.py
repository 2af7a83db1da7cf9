"""The course evaluation pages.

``GET /pages/evaluation?course=<course IRI>``: the learner's evaluation of a course — the
questions as radio groups 1–5 (fieldset and legend, the words of each end beside them),
an optional comment, the saved answer pre-filled, or why it is not open. ``POST`` saves it
(all or nothing, with one *answered* statement per rating) and redirects (303) back; a
refusal answers 4xx with the page and the reason in the live region.

``GET /pages/staff/evaluation?course=<course IRI>``: aggregates of this course's answers
for managers and admins (LMS Instructor/Administrator): people who answered, the
distribution per question, the share rating 4–5, and the comments without names — only
where at least five people answered ("för få svar" below that).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.wrappers import Response

from yrkesresan_adapter.pages.common import check_csrf, launched, page_url, scope, visible_subs
from yrkesresan_adapter.pages.evaluation.service import EvaluationService
from yrkesresan_adapter.pages.evaluation.store import StoredAnswer
from yrkesresan_adapter.pages.evaluation.texts import refusal
from yrkesresan_adapter.pages.journal import EvaluationEvent
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.view_models import find_course
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_lti import evaluations as rules
from yrkesresan_lti.catalog import Course, CourseOccasion, Evaluation
from yrkesresan_lti.catalog.evaluation import SCALE_MAX, SCALE_MIN
from yrkesresan_lti.exceptions import EvaluationError, Forbidden, UnknownCatalogNode
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.occasions import swedish_date
from yrkesresan_lti.xapi.evaluation import EvaluationAnswer

bp = Blueprint("pages_evaluation", __name__, url_prefix="/pages")

COMMENT_FIELD = "comment"
RATING_PREFIX = "q-"


@dataclass(frozen=True)
class Situation:
    """What decides whether the learner may answer now."""

    course: Course
    evaluation: Evaluation
    occasion: CourseOccasion | None
    attended: set[str]
    stored: StoredAnswer | None
    window: rules.Window


def _course(iri: str) -> Course:
    try:
        return find_course(PagesService.of().catalog(), iri)
    except UnknownCatalogNode:
        abort(404)


def situation(course: Course) -> Situation:
    """The learner's occasion, attendance, follow-up, saved answer and window."""
    pages = PagesService.of()
    launch = launched().context
    evaluation = pages.catalog().evaluation_of(course)
    occasion = pages.occasion(launch, course.iri) if pages.occasion else None
    attended = pages.attendance(launch, occasion.iri) if occasion and pages.attendance else set()
    with pages.sessions() as db:
        completed = pages.store.completed(db, scope(), launch.sub)
        stored = EvaluationService.of().store.mine(db, scope(), launch.sub, course.iri)
    follow_up_done = all(task.iri in completed for task in course.follow_up.tasks)
    first = swedish_date(stored.first_answered_at) if stored else None
    today = swedish_date(pages.clock.now())
    win = rules.window(
        evaluation, occasion, follow_up_done=follow_up_done, first_answered=first, today=today
    )
    return Situation(course, evaluation, occasion, attended, stored, win)


def _render(
    found: Situation,
    message: str | None = None,
    *,
    error: bool = False,
    given: dict[str, str] | None = None,
    comment: str | None = None,
) -> str:
    today = swedish_date(PagesService.of().clock.now())
    problem = None
    try:
        rules.check_may_answer(found.course, found.occasion, found.attended, found.window, today)
    except EvaluationError as err:
        problem = refusal(err)
    stored = found.stored
    saved = stored.ratings if stored else {}
    ratings = given if given is not None else {k: str(v) for k, v in saved.items()}
    return render_template(
        "pages/evaluation.html",
        course=found.course,
        evaluation=found.evaluation,
        occasion=found.occasion,
        window=found.window,
        stored=stored,
        ratings=ratings,
        comment=comment if comment is not None else (stored.comment if stored else "") or "",
        scale=range(SCALE_MIN, SCALE_MAX + 1),
        problem=problem,
        message=message,
        error=error,
    )


def _answer(evaluation: Evaluation, slug: str, rating: int) -> EvaluationAnswer:
    question = evaluation.question(slug)
    assert question is not None  # parse_answers keeps only the evaluation's questions
    return EvaluationAnswer(question=slug, text=question.text, response=str(rating), score=rating)


@bp.get("/evaluation")
def evaluation() -> str:
    found = situation(_course(request.args.get("course", "")))
    message = None
    if request.args.get("msg") == "saved":
        message = _("Tack! Ditt svar är sparat. Du kan ändra det tills utvärderingen stänger.")
    return _render(found, message)


@bp.post("/evaluation")
def answer() -> Response | tuple[str, int]:
    check_csrf()
    launch = launched().context
    if launch.is_manager:
        raise Forbidden("the course evaluation is answered by participants")
    course = _course(request.form.get("course", ""))
    found = situation(course)
    given = {
        key[len(RATING_PREFIX) :]: value
        for key, value in request.form.items()
        if key.startswith(RATING_PREFIX)
    }
    comment = request.form.get(COMMENT_FIELD)
    pages = PagesService.of()
    now = pages.clock.now()
    try:
        today = swedish_date(now)
        rules.check_may_answer(course, found.occasion, found.attended, found.window, today)
        answers = rules.parse_answers(found.evaluation, given, comment)
        with pages.sessions() as db:
            conn = db.connection()
            ratings = tuple(
                _answer(found.evaluation, slug, rating) for slug, rating in answers.ratings.items()
            )
            event = EvaluationEvent(launch, course.iri, ratings, now)
            ids = pages.events.evaluation_answered(conn, event)
            statement_ids = {
                slug: (ids[n] if n < len(ids) else pages.new_id())
                for n, slug in enumerate(answers.ratings)
            }
            EvaluationService.of().store.save(
                conn,
                scope(),
                launch.sub,
                course_iri=course.iri,
                occasion_iri=found.occasion.iri if found.occasion else "",
                ratings=answers.ratings,
                statement_ids=statement_ids,
                comment=answers.comment,
                first_answered_at=found.stored.first_answered_at if found.stored else now,
                now=now,
            )
    except EvaluationError as err:
        page = _render(found, refusal(err), error=True, given=given, comment=comment or "")
        return page, http_status(err)
    return redirect(page_url("pages_evaluation.evaluation", course=course.iri, msg="saved"), 303)


@bp.get("/staff/evaluation")
def results() -> str:
    visible_subs()
    if launched().context.role not in (ToolRole.MANAGER, ToolRole.ADMIN):
        raise Forbidden("course evaluation results are for managers and administrators")
    course = _course(request.args.get("course", ""))
    pages = PagesService.of()
    with pages.sessions() as db:
        summary = EvaluationService.of().store.summary(db, scope(), course.iri)
    return render_template(
        "pages/evaluation_results.html",
        course=course,
        evaluation=pages.catalog().evaluation_of(course),
        summary=summary,
        scale=range(SCALE_MIN, SCALE_MAX + 1),
        min_group=rules.MIN_GROUP,
        active_nav="staff",
    )
