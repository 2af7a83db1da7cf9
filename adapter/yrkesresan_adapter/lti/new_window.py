"""The cookie check of a login from a cross-site LMS frame, and the "open in a new window"
page (see :mod:`yrkesresan_lti.lti.new_window` for why and how).

``lti_views`` calls :func:`login_page` before the login issues a state (a page, or None to go
on), :func:`finish_login` on the login's redirect, and :func:`launch_page` when a launch is
refused for a missing binding.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping

from flask import Response, render_template, request, url_for
from flask.globals import _cv_request
from werkzeug.wrappers import Response as BaseResponse

from yrkesresan_adapter.lti.errors import ERROR_HEADER, log_rejection
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.framing import frame_ancestors
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_adapter.web.i18n import current_language
from yrkesresan_lti.exceptions import StateFromOtherBrowser
from yrkesresan_lti.lti.advantage.platform_storage import requested_target
from yrkesresan_lti.lti.login import LoginRequest
from yrkesresan_lti.lti.new_window import (
    CHECK_COOKIE,
    CHECK_PARAM,
    FetchMetadata,
    RestartStore,
    login_fields,
)

LOG = logging.getLogger("yrkesresan.lti")
CHECK_COOKIE_TTL = 60


def _fetch_metadata() -> FetchMetadata:
    headers = _cv_request.get().request.headers  # not the proxy: every login and launch
    return FetchMetadata(headers.get("Sec-Fetch-Dest", ""), headers.get("Sec-Fetch-Site", ""))


def _restarts() -> RestartStore:
    return RestartStore(AdapterState.of().services.launch_state)


def _log(outcome: str) -> None:
    LOG.info("lti_cookie_check", extra={"event": "lti_cookie_check", "outcome": outcome})


def _page(mode: str, login: LoginRequest, *, status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(16)
    fields = login_fields(login)
    if mode == "checking":
        fields[CHECK_PARAM] = "1"
    body = render_template(
        "lti/new_window.html",
        mode=mode,
        fields=fields,
        action=url_for("lti.login"),
        csp_nonce=nonce,
        language=current_language(),
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        f"form-action 'self'; base-uri 'none'; {frame_ancestors()}"
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = current_language()
    return response


def _posted_by_check_page(params: Mapping[str, str]) -> bool:
    """The check page's own post (same origin, in the frame the check started in)."""
    return bool(params.get(CHECK_PARAM)) and _fetch_metadata().in_frame


def login_page(
    params: Mapping[str, str],
    login: LoginRequest,
    *,
    check: Callable[[LoginRequest], object],
    secure: bool,
) -> Response | None:
    """For a login from a cross-site frame without platform storage: the check page; for the
    check page's post without the check cookie: the new-window page. None when the login goes
    on as usual (top level, platform storage, or the cookie came back). ``check`` runs the
    login's own checks before a page is shown (it raises for a bad login)."""
    if requested_target(params) is not None:
        return None
    if _posted_by_check_page(params):
        if request.cookies.get(CHECK_COOKIE):
            return None
        check(login)
        _log("blocked")
        return _page("blocked", login)
    if not _fetch_metadata().cross_site_frame:
        return None
    check(login)
    _log("checking")
    response = _page("checking", login)
    response.set_cookie(
        CHECK_COOKIE,
        "1",
        max_age=CHECK_COOKIE_TTL,
        path=url_for("lti.login"),
        httponly=True,
        secure=secure,
        samesite="None" if secure else "Lax",
    )
    return response


def finish_login(
    params: Mapping[str, str], state: str, login: LoginRequest, response: BaseResponse
) -> None:
    """After a checked frame login: keep its initiation for :func:`launch_page`, drop the
    check cookie."""
    if not _posted_by_check_page(params):
        return
    _log("passed")
    _restarts().remember(state, login)
    response.delete_cookie(CHECK_COOKIE, path=url_for("lti.login"))


def launch_page(state: str, error: StateFromOtherBrowser) -> Response | None:
    """A launch in a frame that came without any binding although its login passed the
    check: the refusal as a page that offers the same login in a new window."""
    if error.details.get("cookie") != "missing" or not _fetch_metadata().in_frame:
        return None
    login = _restarts().recall(state)
    if login is None:
        return None
    response = _page("launch", login, status=http_status(error))
    response.headers[ERROR_HEADER] = error.code
    log_rejection(error)
    return response
