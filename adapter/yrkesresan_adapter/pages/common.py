"""Helpers shared by the learner and manager pages: the launch, URLs, people, errors."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, ParamSpec, TypeVar, cast

from flask import g, render_template, request, url_for
from flask.globals import _cv_app

from yrkesresan_adapter.pages.csrf import FIELD
from yrkesresan_adapter.pages.launch import TOKEN_PARAM, Launched
from yrkesresan_adapter.pages.service import PagesService, RosterMember
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_lti.exceptions import Forbidden, UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.untrusted import http_url

LOG = logging.getLogger("yrkesresan.pages")
P = ParamSpec("P")
R = TypeVar("R")


def read_in_one_transaction(view: Callable[P, R]) -> Callable[P, R]:
    """Decorate a page that only reads: all its lookups (and the base template's notices)
    share one database session and transaction (:attr:`PagesService.one_transaction`)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with PagesService.of().one_transaction():
            return view(*args, **kwargs)

    return wrapper


def launched() -> Launched:
    """The request's launch (cached on ``g``); also picks the launch's language. ``g`` is
    read from Flask's context variable, not through the proxy (a page asks a dozen times)."""
    found = _cv_app.get().g
    cached: Launched | None = vars(found).get("yrkesresan_launched")  # no AttributeError
    if cached is None:
        cached = PagesService.of().resolve_launch(request)
        found.yrkesresan_launched = cached
        found.yrkesresan_locale = cached.context.locale
    return cached


def page_url(endpoint: str, _anchor: str | None = None, **values: Any) -> str:
    """``url_for`` that carries the launch token, so navigation works without cookies."""
    return token_url(endpoint, launched().token, _anchor, **values)


_TOKEN_MARK = "yrkesresanLaunchTokenMark"  # noqa: S105 - a placeholder, not a secret
"""Stands for the launch token in a remembered URL (letters only: ``url_for`` leaves it as
it is, as it does a launch token)."""
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
_TOKEN_URLS = "yrkesresan.token_urls"  # noqa: S105 - an extensions key
_MAX_TOKEN_URLS = 2048


def token_url(endpoint: str, token: str, _anchor: str | None = None, **values: Any) -> str:
    """``url_for(endpoint, _anchor=_anchor, **values, lt=token)`` without the empty values,
    the same string: built once per app, script root, endpoint and values with a mark for
    the token, which each call puts in (a page builds several, each ≈ 25 µs in Werkzeug)."""
    clean: dict[str, Any] = {k: v for k, v in values.items() if v not in (None, "")}
    app_context = _cv_app.get(None)
    if app_context is None or not _URL_SAFE.fullmatch(token):  # url_for would quote it
        clean[TOKEN_PARAM] = token
        return url_for(endpoint, _anchor=_anchor, **clean)
    try:
        key = (request.script_root, endpoint, _anchor, *clean.items())
        remembered: dict[tuple[Any, ...], str] = app_context.app.extensions.setdefault(
            _TOKEN_URLS, {}
        )
        found = remembered.get(key)
    except TypeError:  # a value that is not hashable
        clean[TOKEN_PARAM] = token
        return url_for(endpoint, _anchor=_anchor, **clean)
    if found is None:
        clean[TOKEN_PARAM] = _TOKEN_MARK
        found = url_for(endpoint, _anchor=_anchor, **clean)
        if found.count(_TOKEN_MARK) != 1:  # the mark is also in a value: build every time
            clean[TOKEN_PARAM] = token
            return url_for(endpoint, _anchor=_anchor, **clean)
        if len(remembered) >= _MAX_TOKEN_URLS:
            remembered.clear()
        remembered[key] = found
    return found.replace(_TOKEN_MARK, token, 1)


def form_fields() -> dict[str, str]:
    """Hidden fields every state-changing form carries: launch token and CSRF token."""
    launch = launched()
    return {
        TOKEN_PARAM: launch.token,
        FIELD: PagesService.of().csrf.token(launch.context.launch_id),
    }


def check_csrf() -> None:
    launch = launched()
    presented = request.form.get(FIELD) or request.headers.get("X-CSRF-Token")
    PagesService.of().csrf.check(launch.context.launch_id, presented)


def scope() -> Scope:
    return Scope.of(launched().context)


def visible_subs() -> set[str] | None:
    """Who the current manager may see: a mentor exactly their mentees; None = the context."""
    context = launched().context
    if not context.is_manager:
        raise Forbidden("this page is for managers, supervisors and mentors")
    if context.role in (ToolRole.MANAGER, ToolRole.ADMIN):
        return None
    return set(context.mentored_user_ids)


def visible_people(stored: Mapping[str, str | None]) -> list[tuple[str, str | None]]:
    """``(sub, name)`` of everyone the current manager may see, in roster order.

    The LMS roster's learners (NRPS) when the launch offers it, else the people who launched
    in this context (``stored``: sub → stored name), leaving out both times everyone who
    has launched here as staff (:func:`staff_subs`: Moodle's roster calls a non-editing
    teacher Learner); a mentor exactly their mentees, also those who never launched. The
    name is the roster's, else the stored one, else None.
    """
    allowed = visible_subs()
    roster = course_roster()
    staff = staff_subs()
    if roster is not None:
        subs = [m.sub for m in roster if m.is_learner and m.sub not in staff]
        names: dict[str, str | None] = {m.sub: m.name for m in roster}
    else:
        subs, names = [s for s in stored if s not in staff], {}
    if allowed is not None:
        subs = [s for s in dict.fromkeys([*subs, *allowed]) if s in allowed]
    return [(s, names.get(s) or stored.get(s)) for s in subs]


_NOT_ASKED = object()


def course_roster(*, ask: bool = True) -> list[RosterMember] | None:
    """The LMS's roster of the launch's context (NRPS), asked for at most once a request;
    None when the launch offers none or the LMS did not answer (with ``ask=False``, also
    when this request has not asked for it).

    It waits for the LMS: a page that reads in one transaction asks for it first, before
    the transaction begins, so that no transaction stays open while the LMS answers (on
    PostgreSQL an idle transaction holding a connection, on SQLite a read that keeps the
    write-ahead log from being checkpointed)."""
    asked = g.get("yrkesresan_roster", _NOT_ASKED)
    if asked is _NOT_ASKED:
        if not ask:
            return None
        service = PagesService.of()
        asked = service.roster(launched().context) if service.roster else None
        g.yrkesresan_roster = asked
    return cast("list[RosterMember] | None", asked)


def staff_subs() -> set[str]:
    """Who has launched in this context as staff (manager, admin, mentor), whatever the
    roster says: left out of the staff, occasion and attendance lists."""
    service = PagesService.of()
    with service.sessions() as db:
        return service.store.staff(db, scope())


def safe_http_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (never render javascript: etc.)."""
    if not url or http_url(url.strip()) is None:  # javascript:, "http://[", a space …
        return None
    return url.strip()


def display_name(launch: LaunchContext) -> str | None:
    """The name the LMS sent (name, else given + family name), if any."""
    if launch.name:
        return launch.name
    parts = [p for p in (launch.given_name, launch.family_name) if p]
    return " ".join(parts) or None


def unknown_node(err: UnknownCatalogNode) -> tuple[str, int]:
    """A catalog IRI in a link that names nothing (any more): 404 with a catalog text (the
    core's English message, which names the IRI, goes to the log)."""
    LOG.info("unknown_catalog_node", extra={"event": "unknown_catalog_node", "reason": str(err)})
    message = _("Det du letar efter finns inte i katalogen (längre). Gå tillbaka och välj igen.")
    return render_template("pages/error.html", message=message, status=404), 404
