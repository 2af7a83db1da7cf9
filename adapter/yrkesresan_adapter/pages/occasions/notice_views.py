"""Notices about a cancelled occasion or a moved course day, on every page of the person
they concern until they mark them read.

Every page that extends ``pages/base.html`` calls ``occasion_notices()`` (a template global
set by ``init_app``), which reads the launch's unread notices in its tenant and context. The
form of each notice POSTs to ``/pages/notices/read`` and is redirected (303) back to the page
it came from (a path of the pages only, never another site).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, request
from flask_babel import format_date
from werkzeug.wrappers import Response

from yrkesresan_adapter.lti import hand_over, handed
from yrkesresan_adapter.pages.common import check_csrf, launched, page_url, scope
from yrkesresan_adapter.pages.occasions.notices import Notice
from yrkesresan_adapter.pages.occasions.service import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_adapter.web.i18n import text
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.exceptions import LtiError, UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext, MessageType
from yrkesresan_lti.untrusted import ascii_digits

bp = Blueprint("pages_notices", __name__, url_prefix="/pages/notices")
_FIRST_PAGE = "occasion_notices"


@dataclass(frozen=True)
class ShownNotice:
    id: int
    message: str


def _title(occasion_iri: str) -> str:
    pages = PagesService.of()
    try:
        return text(rules.find_occasion(pages.catalog(), occasion_iri)[1].title)
    except UnknownCatalogNode:
        with pages.sessions() as db:
            plan = OccasionService.of().plans.get(db, occasion_iri)
        return (plan.title or plan.slug) if plan else occasion_iri.rsplit("/", 1)[-1]


def _date(value: str) -> str:
    try:
        return str(format_date(dt.date.fromisoformat(value), "long"))
    except ValueError:
        return value


def notice_text(notice: Notice) -> str:
    title = _title(notice.occasion_iri)
    if notice.kind == "cancelled":
        return _(
            "Kurstillfället %(occasion)s är inställt. Anmälan och väntelista gäller inte längre.",
            occasion=title,
        )
    details = notice.details
    return _(
        "Kursdag %(day)s i %(occasion)s är flyttad från %(before)s till %(after)s kl. %(start)s.",
        day=details.get("day", ""),
        occasion=title,
        before=_date(details.get("before", "")),
        after=_date(details.get("after", "")),
        start=details.get("start", ""),
    )


def occasion_notices() -> list[ShownNotice]:
    """The unread notices of the request's launch (empty without a launch)."""
    try:
        context = launched().context
    except LtiError:
        return []
    from_launch = handed(_FIRST_PAGE)  # read by the launch, for its first page
    if isinstance(from_launch, tuple) and from_launch[0] == context.launch_id:
        found: list[Notice] = from_launch[1]
    else:
        pages = PagesService.of()
        with pages.sessions() as db:
            found = OccasionService.of().notices.unread(db, scope(), context.sub)
    return [ShownNotice(n.id, notice_text(n)) for n in found]


def read_for_first_page(launch: LaunchContext) -> None:
    """The launch flow's hook (in the launch's transaction): the unread notices of a
    resource-link launch, handed to its first page
    (:func:`~yrkesresan_adapter.lti.first_page.hand_over`), which then needs no transaction
    of its own to read them."""
    if launch.message_type is not MessageType.RESOURCE_LINK:
        return
    with PagesService.of().connection() as connection:
        found = OccasionService.of().notices.unread(connection, Scope.of(launch), launch.sub)
    hand_over(_FIRST_PAGE, (launch.launch_id, found))


def _back() -> str:
    back = request.form.get("back", "")
    if back.startswith("/pages/") and "//" not in back and "\\" not in back:
        return back
    return page_url("pages_learner.start")


@bp.post("/read")
def read() -> Response:
    check_csrf()
    raw = request.form.get("notice", "")
    if not ascii_digits(raw) or len(raw) > 18:
        abort(400)
    pages = PagesService.of()
    with pages.sessions() as db:
        OccasionService.of().notices.mark_read(
            db, scope(), launched().context.sub, int(raw), pages.clock.now()
        )
    return redirect(_back(), 303)
