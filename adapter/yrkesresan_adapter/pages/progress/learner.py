"""Learner pages: the journey as a road, a course's checklists, and the task actions.

Forms POST and redirect (303) back, so everything works without JavaScript; the small
script in ``static/pages.js`` only swaps the page in place. Each action commits the task
state and its outbox entries (through :class:`PageEvents`) in one transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import replace

from flask import Blueprint, abort, redirect, render_template, request
from sqlalchemy import Connection
from werkzeug.wrappers import Response

from yrkesresan_adapter.pages.common import (
    check_csrf,
    course_roster,
    display_name,
    launched,
    page_url,
    read_in_one_transaction,
    safe_http_url,
    scope,
    token_url,
    unknown_node,
    visible_subs,
)
from yrkesresan_adapter.pages.journal import TaskEvent
from yrkesresan_adapter.pages.labels import missing_text
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.view_models import find_course, find_task, place_of, road
from yrkesresan_adapter.storage.read_ahead import reading_ahead
from yrkesresan_adapter.storage.scope import Executor, Scope
from yrkesresan_lti.catalog import Course, Journey, Task
from yrkesresan_lti.completion import CourseDaysState, course_completion, course_days_state
from yrkesresan_lti.exceptions import Forbidden, UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext, MessageType
from yrkesresan_lti.progress import course_progress

bp = Blueprint("pages_learner", __name__, url_prefix="/pages")
bp.register_error_handler(UnknownCatalogNode, unknown_node)

NODE_PARAM = "yrkesresan_node"


@bp.get("/")
def start() -> Response:
    """Where a launch landed before it redirected to its first page itself (old links):
    records the person like the launch does and redirects to the same first page."""
    launched_now = launched()
    launch = launched_now.context
    service = PagesService.of()
    with service.sessions() as db:
        _remember(db, launch)
    target = _first_page(launch, launched_now.token)
    if target is None:
        abort(404)
    return redirect(target, 303)


def first_page(launch: LaunchContext, token: str) -> str | None:
    """The first real page of a resource-link launch (with its launch token): the
    deep-linked node, else the journey view; the staff view for managers, admins and
    mentors. None when the placed node names nothing in the catalog (404)."""
    if launch.message_type is not MessageType.RESOURCE_LINK:
        return None
    return _first_page(launch, token)


def _first_page(launch: LaunchContext, token: str) -> str | None:
    node = launch.custom.get(NODE_PARAM)

    def url(endpoint: str, _anchor: str | None = None, **values: str | None) -> str:
        return token_url(endpoint, token, _anchor, **values)

    if not node:
        return url("pages_manager.staff" if launch.is_manager else "pages_learner.journey")
    try:
        place = place_of(PagesService.of().catalog(), node)
    except UnknownCatalogNode:
        return None
    if launch.is_manager:  # the staff view of the placed node's journey and course
        course = place.course.slug if place.course is not None else None
        return url("pages_manager.staff", journey=place.journey.slug, course=course)
    if place.course is not None:
        return url("pages_learner.course", course=place.course.iri, _anchor=place.anchor)
    return url("pages_learner.journey", journey=place.journey.slug, _anchor=place.anchor)


def remember_launch(launch: LaunchContext) -> None:
    """The launch flow's hook (in the launch's transaction): a resource-link launch records
    the person here, with the name and role it brings (the staff view lists them)."""
    if launch.message_type is not MessageType.RESOURCE_LINK:
        return
    with PagesService.of().connection() as connection:
        _remember(connection, launch)


def _remember(db: Executor, launch: LaunchContext) -> None:
    PagesService.of().store.touch(
        db,
        Scope.of(launch),
        launch.sub,
        now=PagesService.of().clock.now(),
        name=display_name(launch),
        role="manager" if launch.is_manager else "learner",
    )


def record_launch(launch: LaunchContext) -> None:
    """The launch flow's hook (in the launch's transaction): a learner's resource-link launch
    of a placed node tells the journal (*launched*, and the AGS placement). Staff launches
    (managers, admins, mentors) tell nothing: they look at the course, they do not take it."""
    node = launch.custom.get(NODE_PARAM)
    service = PagesService.of()
    if not node or launch.is_manager:
        return
    if launch.message_type is not MessageType.RESOURCE_LINK:
        return
    with service.connection() as connection:
        service.events.launched(connection, launch, node, service.clock.now())


def _person() -> str:
    """Whose progress is shown: the learner, or (read-only) a person a manager may see."""
    launch = launched().context
    person = request.args.get("person")
    if not person or person == launch.sub:
        return launch.sub
    allowed = visible_subs()
    service = PagesService.of()
    if allowed is not None:
        known = person in allowed
    else:  # someone who launched here, or a member of the LMS roster of this context
        with service.sessions() as db:
            known = person in service.store.learners_by_sub(db, scope(), [person])
        if not known:
            known = any(member.sub == person for member in course_roster() or [])
    if not known:
        raise Forbidden("you can only view people in your own course")
    return person


def _journey(slug: str | None) -> Journey | None:
    catalog = PagesService.of().catalog()
    if slug:
        found = next((j for j in catalog.journeys if j.slug == slug), None)
        if found is None:
            abort(404)
        return found
    node = launched().context.custom.get(NODE_PARAM)
    if node:
        try:
            return place_of(catalog, node).journey
        except UnknownCatalogNode:
            pass
    return catalog.journeys[0] if len(catalog.journeys) == 1 else None


@bp.get("/journey")
def journey() -> str:
    return _journey_page(_person())  # _person may wait for the LMS: before the transaction


@read_in_one_transaction
def _journey_page(person: str) -> str:
    chosen = _journey(request.args.get("journey"))
    service = PagesService.of()
    if chosen is None:  # the list of journeys shows nobody's progress: nothing to read
        return render_template("pages/journeys.html", journeys=service.catalog().journeys)
    with service.sessions() as db:
        completed = service.store.completed(db, scope(), person)
        name = _name(db, person)
    courses = [c for step in chosen.steps for c in step.courses]
    return render_template(
        "pages/journey.html",
        road=road(chosen, completed, {c.iri: _days(person, c) for c in courses if c.occasions}),
        person=person if person != launched().context.sub else None,
        person_name=name,
    )


def _name(db: object, person: str) -> str | None:
    if person == launched().context.sub:
        return None
    service = PagesService.of()
    learner = service.store.learners_by_sub(db, scope(), [person]).get(person)  # type: ignore[arg-type]
    if learner and learner.name:
        return learner.name
    # a roster member who never launched: the name the LMS gave (its user id means nothing)
    member = next((m for m in course_roster(ask=False) or [] if m.sub == person), None)
    return member.name if member and member.name else person


def _days(person: str, course: Course) -> CourseDaysState:
    """The course-day part of the completion rule for ``person``: their occasion of the
    course and the days they attended (the same lookups as the course page)."""
    service = PagesService.of()
    whose = replace(launched().context, sub=person)  # a manager's drill-down: the person's
    occasion = service.occasion(whose, course.iri) if service.occasion else None
    attended = service.attendance(whose, occasion.iri) if occasion and service.attendance else set()
    return course_days_state(course, occasion, attended)


@bp.get("/course")
def course() -> str:
    return _course_page(_person())  # _person may wait for the LMS: before the transaction


@read_in_one_transaction
def _course_page(person: str) -> str:
    service = PagesService.of()
    catalog = service.catalog()
    try:
        chosen = find_course(catalog, request.args.get("course", ""))
    except UnknownCatalogNode:
        abort(404)
    place = place_of(catalog, chosen.iri)
    with service.sessions() as db:
        completed = service.store.completed(db, scope(), person)
        name = _name(db, person)
    whose = replace(launched().context, sub=person)  # a manager's drill-down: the person's
    occasion = service.occasion(whose, chosen.iri) if service.occasion else None
    attended = service.attendance(whose, occasion.iri) if occasion and service.attendance else set()
    progress = course_progress(service.compiled(chosen), completed)
    completion = course_completion(progress, course_days_state(chosen, occasion, attended))
    return render_template(
        "pages/course.html",
        course=chosen,
        place=place,
        progress=progress,
        completion=completion,
        missing=missing_text(completion),
        completed=completed,
        person=person if person != launched().context.sub else None,
        person_name=name,
        readonly=person != launched().context.sub,
        my_occasion=occasion,
        attended_days=attended,
        message=request.args.get("msg"),
        message_task=request.args.get("task"),
    )


class _AlreadyDone(Exception):
    """A concurrent request marked the task first: roll this one back."""


def _task_action(kind: str) -> Response:
    service = PagesService.of()
    try:  # the launch's look-up joins the action's transaction: one connection, one commit
        with service.one_transaction():
            check_csrf()
            try:
                chosen_course, task = find_task(service.catalog(), request.form.get("task", ""))
            except UnknownCatalogNode:
                abort(400)
            if kind == "opened" and safe_http_url(task.url) is None:
                abort(400)
            with service.connection() as db:
                _record(db, kind, chosen_course, task)
    except _AlreadyDone:
        pass
    if kind == "opened":
        return redirect(str(safe_http_url(task.url)), 303)
    target = page_url(
        "pages_learner.course",
        course=chosen_course.iri,
        msg=kind,
        task=task.slug,
        _anchor=f"n-{task.slug}",
    )
    return redirect(target, 303)


def _record(db: Connection, kind: str, course: Course, task: Task) -> None:
    """Task state + outbox entries of one action, in the caller's transaction (Core
    statements: no ORM session)."""
    launch = launched().context
    service = PagesService.of()
    store, where, now = service.store, scope(), service.clock.now()
    # the completion statement's id, stored with the task (on PostgreSQL by the reads)
    statement_id = service.new_id() if kind == "completed" else ""
    marked: bool | None = None
    if service.click_reads is None:
        store.touch(db, where, launch.sub, now=now)
        completed = store.completed(db, where, launch.sub)
        ahead: dict[Hashable, object] = {}
    else:  # the touch and every read of the click in one statement
        marking = (task.iri, statement_id) if kind == "completed" else None
        read = service.click_reads.read(db, launch, where, course.iri, now=now, marking=marking)
        completed, ahead, marked = read.completed, read.ahead, read.marked

    def event(
        completed: Collection[str], voided: str | None = None, statement_id: str = ""
    ) -> TaskEvent:
        progress = course_progress(service.compiled(course), completed)
        done = frozenset(completed)
        fresh = statement_id or service.new_id()
        return TaskEvent(launch, course, task, fresh, now, progress, voided, done)

    with reading_ahead(ahead):
        if kind == "opened":
            store.opened(db, where, launch.sub, task.iri, now=now)
            service.events.task_opened(db, event(completed))
        elif kind == "completed":
            if task.iri in completed:
                return
            if marked is None:
                marked = store.mark_done(
                    db, where, launch.sub, task.iri, statement_id=statement_id, now=now
                )
            if not marked:  # a concurrent click marked it first
                raise _AlreadyDone
            service.events.task_completed(db, event({*completed, task.iri}, None, statement_id))
        else:
            voided = store.undo(db, where, launch.sub, task.iri, now=now)
            if voided is not None:  # the undo took the task out of the tasks read above
                left = [iri for iri in completed if iri != task.iri]
                service.events.task_undone(db, event(left, voided))


@bp.post("/task/open")
def open_task() -> Response:
    return _task_action("opened")


@bp.post("/task/done")
def done() -> Response:
    return _task_action("completed")


@bp.post("/task/undo")
def undo() -> Response:
    return _task_action("undone")
