"""Page helpers of the Advantage area: language, strict CSP with a nonce, the error page."""

from __future__ import annotations

import logging
import secrets

from flask import Response, render_template, request
from flask_babel import force_locale

from yrkesresan_adapter.advantage.messages import message_for
from yrkesresan_adapter.storage.framing import frame_ancestors
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti.exceptions import LtiError
from yrkesresan_lti.lti.context import LaunchContext

LOG = logging.getLogger("yrkesresan.advantage")


def language_of(launch: LaunchContext | None = None) -> str:
    locale = (launch.locale if launch else None) or ""
    if locale.lower().startswith("en"):
        return "en"
    if launch is None and request.accept_languages.best_match(("sv", "en")) == "en":
        return "en"
    return "sv"


def page(template: str, status: int = 200, *, form_action: str = "", **values: object) -> Response:
    """``template`` under a strict CSP; its texts in ``values["language"]`` when given."""
    nonce = secrets.token_urlsafe(16)
    language = values.get("language")
    if isinstance(language, str):
        with force_locale(language):
            body = render_template(template, csp_nonce=nonce, **values)
    else:
        body = render_template(template, csp_nonce=nonce, **values)
    response = Response(body, status=status, mimetype="text/html")
    actions = " ".join(filter(None, ("'self'", form_action)))
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
        f"img-src 'self' data:; form-action {actions}; base-uri 'none'; {frame_ancestors()}"
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def error_page(error: LtiError) -> Response:
    """The Swedish (or English) page of a typed Advantage error, with its 4xx status; the
    text comes from the catalogs by the error's code and reason (:mod:`.messages`)."""
    LOG.warning(
        "advantage_rejected",
        extra={
            "event": "advantage_rejected",
            "error": error.code,
            "reason": error.reason or "-",
            "status": http_status(error),
            "method": request.method,
            "path": request.path,
        },
    )
    language = language_of()
    with force_locale(language):
        response = page(
            "advantage/error.html",
            http_status(error),
            message=message_for(error, language),
            error_name=error.code,
            language=language,
        )
    response.headers["X-Yrkesresan-Error"] = error.code
    return response
