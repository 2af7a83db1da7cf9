"""Launch errors → a 4xx page in Swedish (English when the browser prefers it; texts from the
gettext catalogs by the error's ``code``, :mod:`.messages`), with the
status from the adapter's one mapping (:mod:`yrkesresan_adapter.web.http_errors`), an
``X-Yrkesresan-Error`` header naming the error's code, and one structured log line.

Never a 500 and never a traceback for bad input. Log lines carry what an operator needs
(error code, status, issuer, client_id, deployment) and never tokens, nonces or secrets.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping

from flask import Flask, Response, render_template, request
from flask_babel import force_locale

from yrkesresan_adapter.lti.messages import texts_for
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.framing import error_page_policy
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti.exceptions import (
    Forbidden,
    InvalidLaunch,
    LaunchExpired,
    LtiError,
)

ERROR_HEADER = "X-Yrkesresan-Error"

LOG = logging.getLogger("yrkesresan.lti")
_LOGGED_DETAILS = ("issuer", "client_id", "deployment_id", "claim", "kid", "alg", "cookie")


def page_language() -> str:
    default = AdapterState.of().settings.default_locale
    return request.accept_languages.best_match(("sv", "en"), default=default) or default


def log_rejection(error: LtiError) -> None:
    details: Mapping[str, str] = getattr(error, "details", {}) or {}
    fields = {k: details[k][:200] for k in _LOGGED_DETAILS if details.get(k)}
    LOG.warning(
        "lti_rejected",
        extra={
            "event": "lti_rejected",
            "error": error.code,
            "status": http_status(error),
            "method": request.method,
            "path": request.path,
            **fields,
        },
    )


def error_response(error: LtiError) -> Response:
    """The page, header and log line of one typed error."""
    language = page_language()
    what, fix = texts_for(error, language)
    status = http_status(error)
    nonce = secrets.token_urlsafe(16)
    with force_locale(language):
        body = render_template(
            "lti/error.html",
            language=language,
            status=status,
            what=what,
            fix=fix,
            error_name=error.code,
            csp_nonce=nonce,
        )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = error_page_policy(nonce)
    response.headers[ERROR_HEADER] = error.code
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = language
    log_rejection(error)
    return response


def init_app(app: Flask) -> None:
    """Answer the launch area's errors with :func:`error_response` anywhere in the app."""
    for error_class in (InvalidLaunch, LaunchExpired, Forbidden):
        app.register_error_handler(error_class, error_response)
