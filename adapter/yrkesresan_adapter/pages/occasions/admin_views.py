"""The admin page of course occasions (Administrator role): what ``yrkesresan occasion``
does, in the tool.

``/pages/admin/occasions/``
    Every occasion: course, days, status, seats taken of capacity, the waiting list's
    length, with links to change and cancel it, and to add one.
``/pages/admin/occasions/new``, ``.../edit?occasion=<IRI>``
    The occasion's form (labels, hints, an error summary linking each field, the typed
    values kept). A POST goes through :class:`~.planning.Planning` like the CLI: every rule
    of the core, an audit entry with the administrator as :class:`~.plan_store.AuditActor`,
    all or nothing; moved days and a raised capacity tell and promote as there. Bad input
    answers 400 (409 for an occasion that exists) with the form and the reasons.
``/pages/admin/occasions/cancel?occasion=<IRI>``
    A confirmation; its POST cancels (the people registered and their managers are told).

Every POST carries the CSRF token; anyone but an Administrator launch gets 403.

**Regions.** An Administrator works for the platform (issuer, client_id) they launched from,
and a platform coordinates the regions the operator gave it (``yrkesresan platform
set-region``, :mod:`.regions`). The list shows only the occasions of those regions; the
form offers only those regions and their trainers; opening, posting or cancelling an
occasion of another region — or moving one there — is 403 (:class:`NotRegionCoordinator`)
and changes nothing. A platform with no region sees what the operator must run.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request
from werkzeug.wrappers import Response

from yrkesresan_adapter.pages.common import check_csrf, launched, page_url
from yrkesresan_adapter.pages.occasions.admin_form import CORE_FIELD, FIELDS, OccasionForm, parse
from yrkesresan_adapter.pages.occasions.plan_store import AuditActor, Trainer
from yrkesresan_adapter.pages.occasions.regions import Coordinator
from yrkesresan_adapter.pages.occasions.service import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_adapter.web.i18n import text
from yrkesresan_lti.exceptions import (
    Forbidden,
    OccasionExists,
    OccasionPlanError,
)
from yrkesresan_lti.i18n import N_
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.occasion_plan import PlannedOccasion, Problem, course_iris

bp = Blueprint("pages_occasion_admin", __name__, url_prefix="/pages/admin/occasions")


@dataclass(frozen=True)
class AdminRow:
    plan: PlannedOccasion
    course_title: str
    registered: int
    waiting: int


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


def _require_admin() -> Coordinator:
    launch = launched().context
    if launch.role != ToolRole.ADMIN:
        raise Forbidden("the occasions are administered by the LMS's administrators")
    with PagesService.of().sessions() as db:
        regions = OccasionService.of().regions.of_platform(db, launch.issuer, launch.client_id)
    actor = AuditActor(launch.issuer, launch.client_id, launch.deployment_id, launch.sub)
    return Coordinator(actor, tuple(regions))


def _trainers(db: Executor, coordinator: Coordinator, named: Collection[str]) -> list[Trainer]:
    """The register's trainers of the coordinator's regions, and those already ``named``."""
    return [
        t
        for t in OccasionService.of().plans.trainers(db)
        if t.region in coordinator.regions or t.key in named
    ]


def _course_titles() -> dict[str, str]:
    catalog = PagesService.of().catalog()
    return {course.iri: text(course.title) for _j, _s, course in catalog.courses()}


@bp.get("/")
def index() -> str:
    coordinator = _require_admin()
    pages = PagesService.of()
    service = OccasionService.of()
    with pages.sessions() as db:
        plans = [p for p in service.plans.find(db) if p.region in coordinator.regions]
        iris = [p.iri for p in plans]
        taken, waiting = service.store.taken(db, iris), service.waiting.counts(db, iris)
    titles = _course_titles()
    rows = [
        AdminRow(p, titles.get(p.course_iri, p.course_iri), taken[p.iri], waiting[p.iri])
        for p in plans
    ]
    launch = launched().context
    return render_template(
        "pages/occasion_admin.html",
        rows=rows,
        regions=coordinator.regions,
        issuer=launch.issuer,
        client_id=launch.client_id,
        message=_done(),
        active_nav="admin",
    )


def _done() -> str | None:
    iri = request.args.get("occasion", "")
    messages = {
        "added": _("Kurstillfället %(iri)s är tillagt.", iri=iri),
        "changed": _("Kurstillfället %(iri)s är ändrat.", iri=iri),
        "cancelled": _(
            "Kurstillfället %(iri)s är inställt. De anmälda och deras chefer får ett meddelande.",
            iri=iri,
        ),
    }
    return messages.get(request.args.get("msg", ""))


def _problem_text(problem: Problem) -> str:
    return _(problem.message, **problem.details)


def _form_page(
    form: OccasionForm,
    coordinator: Coordinator,
    *,
    editing: PlannedOccasion | None,
    problems: list[Problem] = (),  # type: ignore[assignment]
    status: int = 200,
) -> tuple[str, int]:
    pages = PagesService.of()
    with pages.sessions() as db:
        trainers = _trainers(db, coordinator, editing.trainers if editing else ())
    errors = [
        FieldError(p.field if p.field in FIELDS else "slug", _problem_text(p)) for p in problems
    ]
    errors.sort(key=lambda e: FIELDS.index(e.field))
    return (
        render_template(
            "pages/occasion_form.html",
            form=form,
            editing=editing,
            courses=sorted(_course_titles().items(), key=lambda c: c[1].casefold()),
            trainers=trainers,
            regions=coordinator.regions,
            errors=errors,
            error_of={e.field: e.message for e in reversed(errors)},
            active_nav="admin",
        ),
        status,
    )


def _plan(iri: str) -> PlannedOccasion:
    pages = PagesService.of()
    with pages.sessions() as db:
        plan = OccasionService.of().plans.get(db, iri)
    if plan is None:
        abort(404)
    return plan


@bp.get("/new")
def new() -> tuple[str, int]:
    coordinator = _require_admin()
    coordinator.require_any()
    values = {"status": "open", "region": coordinator.regions[0]}
    return _form_page(OccasionForm(values), coordinator, editing=None)


@bp.get("/edit")
def edit() -> tuple[str, int]:
    coordinator = _require_admin()
    plan = _plan(request.args.get("occasion", ""))
    coordinator.require(plan.region)
    return _form_page(OccasionForm.of(plan), coordinator, editing=plan)


def _save(coordinator: Coordinator, editing: PlannedOccasion | None) -> Response | tuple[str, int]:
    form = OccasionForm.posted(request.form, request.form.getlist("trainers"))
    if editing is not None:  # course and slug are the IRI: they never change
        form.values.update(course=editing.course_iri, slug=editing.slug)
        coordinator.require(editing.region)
    if form.get("region"):  # empty: the form's own error; another region's: forged
        coordinator.require(form.get("region"))
    pages = PagesService.of()
    service = OccasionService.of()
    planning = service.planning(pages)
    now = pages.clock.now()
    actor = coordinator.actor
    try:
        with pages.sessions() as db:
            registered = (
                0 if editing is None else service.store.taken(db, [editing.iri])[editing.iri]
            )
            occasion, problems = parse(
                form,
                courses=course_iris(pages.catalog()),
                trainers={
                    t.key for t in _trainers(db, coordinator, editing.trainers if editing else ())
                },
                registered=registered,
                statuses=("planned", "open")
                if editing is None
                else ("planned", "open", "held", "cancelled"),
            )
            if occasion is None:
                return _form_page(form, coordinator, editing=editing, problems=problems, status=400)
            if editing is None:
                planning.add(db, occasion, actor=actor, now=now)
            else:
                current = service.plans.get(db, editing.iri)  # in the transaction
                coordinator.require(current.region if current else editing.region)
                planning.edit(db, occasion, actor=actor, now=now)
    except OccasionExists as err:
        exists = Problem(
            "slug", N_("det finns redan ett kurstillfälle med det kortnamnet i kursen")
        )
        return _form_page(
            form, coordinator, editing=editing, problems=[exists], status=http_status(err)
        )
    except OccasionPlanError as err:  # a rule the transaction found (someone registered)
        details = {k: v for k, v in err.details.items() if k != "message_id"}
        message = err.details.get("message_id") or N_("kurstillfället kunde inte sparas")
        problem = Problem(CORE_FIELD.get(err.reason, err.reason), message, details)
        return _form_page(
            form, coordinator, editing=editing, problems=[problem], status=http_status(err)
        )
    service.changed()
    msg = "added" if editing is None else "changed"
    return redirect(page_url("pages_occasion_admin.index", msg=msg, occasion=occasion.iri), 303)


@bp.post("/new")
def add() -> Response | tuple[str, int]:
    check_csrf()
    return _save(_require_admin(), None)


@bp.post("/edit")
def change() -> Response | tuple[str, int]:
    check_csrf()
    coordinator = _require_admin()
    return _save(coordinator, _plan(request.form.get("occasion", "")))


@bp.get("/cancel")
def confirm_cancel() -> str:
    coordinator = _require_admin()
    plan = _plan(request.args.get("occasion", ""))
    coordinator.require(plan.region)
    pages = PagesService.of()
    with pages.sessions() as db:
        registered = OccasionService.of().store.taken(db, [plan.iri])[plan.iri]
    return render_template(
        "pages/occasion_cancel.html",
        plan=plan,
        course_title=_course_titles().get(plan.course_iri, plan.course_iri),
        registered=registered,
        active_nav="admin",
    )


@bp.post("/cancel")
def cancel() -> Response:
    check_csrf()
    coordinator = _require_admin()
    plan = _plan(request.form.get("occasion", ""))
    coordinator.require(plan.region)
    pages = PagesService.of()
    service = OccasionService.of()
    with pages.sessions() as db:
        current = service.plans.get(db, plan.iri)  # in the transaction
        coordinator.require(current.region if current else plan.region)
        service.planning(pages).cancel(db, plan.iri, actor=coordinator.actor, now=pages.clock.now())
    service.changed()
    return redirect(page_url("pages_occasion_admin.index", msg="cancelled", occasion=plan.iri), 303)
