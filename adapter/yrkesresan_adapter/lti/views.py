"""The LTI 1.3 endpoints: ``GET,POST /lti/login`` (OIDC initiation), ``POST /lti/launch``,
and the minimal landing page ``/app`` a launch leads to.

The checks live in the framework-free core (one :class:`LaunchValidator`, built from the
stores by :meth:`LaunchValidator.from_stores`); this module
binds them to Flask: form parsing with a content-type check (sizes and characters are the
request boundary's), the browser-binding cookie of the state, the answer (the first real
page itself, :mod:`.first_page`, or a redirect carrying the launch token) and the log lines.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask.globals import _cv_request
from werkzeug.wrappers import Response

from yrkesresan_adapter.lti import (
    errors,
    first_page,
    new_window,
    platform_storage,
    rate_limits,
    session,
)
from yrkesresan_adapter.lti.oidc_stores import SqlNonceStore, SqlRegisteredNonceStore
from yrkesresan_adapter.lti.session import launch_url, require_launch
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.registration_lookup import FreshPlatformLookup
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_adapter.web import request_boundary
from yrkesresan_adapter.web.metrics import metrics
from yrkesresan_lti.exceptions import (
    StateFromOtherBrowser,
    UnsupportedContentType,
    YrkesresanError,
)
from yrkesresan_lti.instance_secret import load_secret
from yrkesresan_lti.lti.context import LaunchContext, MessageType
from yrkesresan_lti.lti.login import LoginRequest
from yrkesresan_lti.lti.pipeline import LaunchValidator
from yrkesresan_lti.lti.sealed_state import StateSeal

LOG = logging.getLogger("yrkesresan.lti")
MAX_LOGIN_BYTES = 16 * 1024
MAX_LAUNCH_BYTES = 96 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
STATE_COOKIE_TTL = 600

bp = Blueprint("lti", __name__)


@dataclass
class LaunchServices:
    """The launch flow of one app (``services.launch``)."""

    validator: LaunchValidator
    secure_cookies: bool
    destinations: dict[MessageType, str] = field(
        default_factory=lambda: dict.fromkeys(MessageType, "lti.landing")
    )
    """Endpoint a launch is redirected to (with ``lt``), per message type. Page areas set
    theirs, e.g. ``destinations[MessageType.DEEP_LINKING] = "deep_linking.picker"``."""
    on_launch: list[Callable[[LaunchContext], None]] = field(default_factory=list)
    """Called with every valid launch inside the launch's transaction (after it is stored;
    use ``Database.connection()``, which joins it), e.g. to enqueue the xAPI *launched*
    statement or keep the AGS placement, so they commit together with the launch."""
    landing: Callable[[LaunchContext, str], str | None] | None = None
    """The URL of the first real page of a launch (given its launch token), so the launch
    redirects the browser there at once; None (or no ``landing``) for the endpoint of
    :attr:`destinations`. Page areas set it, e.g. the learner's journey or the staff view."""
    cookie_paths: dict[str, str] = field(default_factory=dict)
    """``url_for("lti.launch")`` per script root: the path of the state's cookie, which the
    login sets and the launch deletes."""

    def cookie_path(self) -> str:
        root = _cv_request.get().request.script_root
        path = self.cookie_paths.get(root)
        if path is None:
            if len(self.cookie_paths) >= 16:  # one or two in practice; never unbounded
                self.cookie_paths.clear()
            path = self.cookie_paths[root] = url_for("lti.launch")
        return path


def services() -> LaunchServices:
    return AdapterState.of().services.launch


def database() -> Database:
    return AdapterState.of().services.db


def binding_cookie(state: str) -> str:
    return "yr-lti-" + hashlib.sha256(state.encode()).hexdigest()[:24]


def _form(*, allow_query: bool) -> dict[str, str]:
    """The request's parameters; their size and characters were checked by the request
    boundary (:mod:`yrkesresan_adapter.web.request_boundary`, limits set in :func:`init_app`)."""
    found = _cv_request.get().request  # not the proxy: one look-up for every attribute
    if found.method == "GET" and allow_query:
        params = found.args
    else:
        if found.mimetype not in FORM_TYPES:
            raise UnsupportedContentType(
                f"expected a form post, got {found.mimetype or 'no content type'!r}",
                missing="Content-Type",
            )
        params = found.form
        if allow_query and not params:
            params = found.args
    return {key: params.get(key, "") for key in params}


@bp.route("/lti/login", methods=["GET", "POST"])
def login() -> Response:
    launch = services()
    params = _form(allow_query=True)
    login_request = LoginRequest.from_params(params)
    # A cross-site frame without platform storage: first check that the cookie survives
    # there, else offer a new window (new_window).
    page = new_window.login_page(
        params, login_request, check=launch.validator.login.check, secure=launch.secure_cookies
    )
    if page is not None:
        return page
    answer = launch.validator.start(login_request)
    # LTI Platform Storage (advantage area): with lti_storage_target, also store the binding
    # in the LMS page, for browsers that block the cookie in the LMS iframe.
    response = platform_storage.login_response(params, answer) or redirect(answer.url, 302)
    new_window.finish_login(params, answer.state, login_request, response)
    response.set_cookie(
        binding_cookie(answer.state),
        answer.browser_binding,
        max_age=STATE_COOKIE_TTL,
        path=launch.cookie_path(),
        httponly=True,
        secure=launch.secure_cookies,
        samesite="None" if launch.secure_cookies else "Lax",
    )
    response.headers["Cache-Control"] = "no-store"
    LOG.info(
        "lti_login",
        extra={
            "event": "lti_login",
            "issuer": login_request.iss[:200],
            "client_id": (login_request.client_id or "-")[:200],
        },
    )
    return response


@bp.post("/lti/launch")
def launch() -> Response:
    counted = metrics()
    try:
        response, complete = _launch()
    except YrkesresanError as err:
        if counted is not None:
            counted.launch("refused", err.code)
        raise
    if counted is not None:
        counted.launch("ok" if complete else "incomplete")
    return response


def _launch() -> tuple[Response, bool]:
    """The answer, and whether the launch completed (else a page that finishes it: the
    platform storage fetch, the new-window offer)."""
    form = _form(allow_query=False)
    state = form.get("state", "")
    cookie = binding_cookie(state) if state else None
    launch_services = services()
    binding = request.cookies.get(cookie) if cookie else None
    if binding is None:  # cookie blocked: read the binding back from LTI Platform Storage
        fetch = platform_storage.launch_response(form)
        if fetch is not None:
            return fetch, False
        binding = platform_storage.binding_from_form(form)
    # One transaction for the state's single use (its sealed nonce consumed), the stored
    # launch, the person and the outbox (one commit). A refused launch still commits: its
    # state stays used.
    with database().transaction(commit_on=(YrkesresanError,)):
        try:
            context = launch_services.validator.complete(form, binding)
        except StateFromOtherBrowser as err:  # still refused; in a frame, offer a new window
            page = new_window.launch_page(state, err)
            if page is None:
                raise
            return page, False
        token = session.sessions().start(context)
        first_page.hand_over(session.HANDED_LAUNCH, (context, token))
        for hook in launch_services.on_launch:
            hook(context)
    first_url = launch_services.landing(context, token) if launch_services.landing else None
    # the first real page answers the POST itself (history.replaceState puts its GET URL in
    # the address bar); other destinations, and a first page that is not a 200, redirect
    response = first_page.render_in_place(first_url) if first_url else None
    if response is None:
        target = first_url or url_for(launch_services.destinations[context.message_type], lt=token)
        response = redirect(target, 303)
    if cookie:
        response.delete_cookie(cookie, path=launch_services.cookie_path())
    response.headers["Cache-Control"] = "no-store"
    LOG.info(
        "lti_launch",
        extra={
            "event": "lti_launch",
            "launch_id": context.launch_id,
            "issuer": context.issuer,
            "client_id": context.client_id,
            "deployment_id": context.deployment_id,
            "message_type": context.message_type.value,
            "role": context.role.value,
        },
    )
    return response, True


@bp.route("/app", methods=["GET", "POST"])
@require_launch()
def landing(launch: LaunchContext) -> str:
    """Who launched, in which role and course (replaced by the real pages later)."""
    destination = services().destinations[launch.message_type]
    next_url = None if destination == "lti.landing" else launch_url(destination)
    return render_template("lti/app.html", launch=launch, next_url=next_url)


def init_app(app: Flask, *, jwks_session: requests.Session | None = None) -> LaunchServices:
    """Set ``services.launch`` (the launch flow, on top of storage and the OIDC stores)."""
    state = AdapterState.of(app)
    settings = state.settings
    base = settings.public_url
    platforms = state.services.platforms
    checked = (  # the launch re-checks the stored registration, cached while unchanged
        FreshPlatformLookup(platforms, state.services.db)
        if isinstance(platforms, SqlPlatformStore)
        else platforms
    )
    nonces = state.services.nonces
    if isinstance(checked, FreshPlatformLookup) and type(nonces) is SqlNonceStore:
        # the nonce's single use with the platform's look-up (one statement on PostgreSQL)
        nonces = SqlRegisteredNonceStore(state.services.db, checked)
    validator = LaunchValidator.from_stores(
        platforms=platforms,
        states=state.services.launch_state,
        nonces=nonces,
        tool_base_url=base,
        launch_platforms=checked,
        http=jwks_session,
        # the login writes nothing: its state is sealed into the browser binding
        state_seal=StateSeal(load_secret(settings), STATE_COOKIE_TTL),
    )
    launch_services = LaunchServices(
        validator=validator, secure_cookies=base.startswith("https://")
    )
    state.services.launch = launch_services
    session.init_app(app)
    errors.init_app(app)
    app.register_blueprint(bp)
    app.jinja_env.globals["reload_url"] = first_page.reload_url
    request_boundary.limit_body(app, "lti.login", MAX_LOGIN_BYTES)
    request_boundary.limit_body(app, "lti.launch", MAX_LAUNCH_BYTES)
    limits = settings.rate_limits
    rate_limits.limit_endpoint(app, "lti.login", limits.login)
    rate_limits.limit_endpoint(app, "lti.launch", limits.launch)
    return launch_services
