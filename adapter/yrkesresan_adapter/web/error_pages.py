"""Our pages for refused requests: 400, 403, 404, 405, 413, 414 and 415, never Werkzeug's.

A refusal of the request boundary (:mod:`.request_boundary`: ``InvalidField``,
``UriTooLong``, ``BodyTooLarge``) and every Werkzeug ``HTTPException`` of those statuses
(``abort(404)``, an unknown path, a wrong method, a broken form body) are answered with the
same kind of page as the launch errors: Swedish first (English by the launch's or the
browser's language), the status from :mod:`.http_errors`, an ``X-Yrkesresan-Error`` header
naming the error's code, ``Cache-Control: no-store`` and one ``request_refused`` log line
(code, status, method, path; never a parameter's value).
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, Response, current_app, request
from flask_babel import force_locale
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from yrkesresan_adapter.storage.conflicts import raise_if_conflict
from yrkesresan_adapter.storage.framing import error_page_policy
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_adapter.web.i18n import select_locale
from yrkesresan_adapter.web.texts import N_, translate
from yrkesresan_lti.exceptions import (
    AccessDenied,
    BadRequest,
    BodyTooLarge,
    CatalogError,
    DatabaseBusy,
    MethodNotAllowed,
    PageNotFound,
    RequestRefused,
    UnsupportedMediaType,
    UriTooLong,
    YrkesresanError,
)

ERROR_HEADER = "X-Yrkesresan-Error"
STATUSES = (400, 403, 404, 405, 413, 414, 415)
LOG = logging.getLogger("yrkesresan.http")

_AGAIN = N_("Starta verktyget igen från kursen i lärplattformen.")
MESSAGES: dict[str, tuple[str, str]] = {
    "InvalidField:unsafe": (
        N_("Fältet {field} innehåller tecken som inte tas emot (NUL eller surrogattecken)."),
        N_("Ta bort tecknen och försök igen."),
    ),
    "InvalidField:too_long": (
        N_("Fältet {field} är för långt (högst {limit} tecken)."),
        N_("Korta texten och försök igen."),
    ),
    "UriTooLong": (N_("Adressen är för lång."), _AGAIN),
    "BodyTooLarge": (N_("Det som skickades är för stort."), _AGAIN),
    "UnsupportedMediaType": (N_("Sidan tar inte emot det här formatet."), _AGAIN),
    "BadRequest": (N_("Begäran kunde inte läsas."), N_("Ladda om sidan och försök igen.")),
    "NotFound": (N_("Sidan finns inte."), _AGAIN),
    "MethodNotAllowed": (N_("Sidan kan inte användas så här ({method})."), _AGAIN),
    "AccessDenied": (N_("Du har inte tillgång till den här sidan."), _AGAIN),
    "RequestRefused": (N_("Begäran godtogs inte."), _AGAIN),
    "CatalogError": (
        N_("Yrkesresans katalog kan inte läsas just nu, så sidan kan inte visas."),
        N_(
            "Försök igen om en stund. Be Yrkesresans administratör köra "
            "'yrkesresan catalog validate' och rätta det som står där."
        ),
    ),
    "DatabaseBusy": (
        N_("Yrkesresan var upptagen med en annan ändring just då, så inget ändrades."),
        N_("Försök igen: ladda om sidan eller klicka en gång till."),
    ),
}
"""``code`` or ``code:reason`` → (what happened, how to fix it), both message ids."""


def typed(error: HTTPException) -> RequestRefused:
    """Werkzeug's exception as one of ours (the message stays English, for the log)."""
    message = f"{error.code} {error.name}"
    match error.code:
        case 403:
            return AccessDenied(message)
        case 404:
            return PageNotFound(message)
        case 405:
            return MethodNotAllowed(message, method=request.method)
        case 413:
            return BodyTooLarge(message)
        case 414:
            return UriTooLong(message)
        case 415:
            return UnsupportedMediaType(message)
        case _:
            return BadRequest(message)


def texts(error: YrkesresanError, language: str) -> tuple[str, str]:
    """(what happened, fix) of ``error`` in ``language``."""
    keys = [f"{error.code}:{error.reason}", error.code, "RequestRefused"]
    what, fix = next(MESSAGES[key] for key in keys if key in MESSAGES)
    details = {"method": request.method, **error.details}
    return translate(language, what, **details), translate(language, fix, **details)


def error_page(error: YrkesresanError, headers: dict[str, str] | None = None) -> Response:
    """The page, header and log line of one refused request."""
    language = select_locale()
    what, fix = texts(error, language)
    status = http_status(error)
    nonce = secrets.token_urlsafe(16)
    # Not render_template: its context processors may read the launch from a form that was
    # just refused (a body too large cannot be read at all).
    with force_locale(language):
        body = current_app.jinja_env.get_template("web/error.html").render(
            language=language,
            status=status,
            what=what,
            fix=fix,
            error_name=error.code,
            csp_nonce=nonce,
        )
    response = Response(body, status=status, mimetype="text/html", headers=headers or {})
    response.headers["Content-Security-Policy"] = error_page_policy(nonce)
    response.headers[ERROR_HEADER] = error.code
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = language
    LOG.log(
        logging.INFO if status in (404, 405) else logging.WARNING,
        "request_refused",
        extra={
            "event": "request_refused",
            "error": error.code,
            "status": status,
            "method": request.method,
            "path": request.path[:300],
            **{k: v[:60] for k, v in error.details.items() if k in ("field", "limit")},
        },
    )
    return response


def _catalog_unreadable(error: CatalogError) -> Response:
    """A page that needs the catalog while it does not validate: 503 with a retry, and the
    problems in the log for the operator (never on the page)."""
    LOG.error(
        "catalog_unreadable",
        extra={"event": "catalog_unreadable", "problems": len(error.problems)},
    )
    return error_page(error, {"Retry-After": "60"})


def _database_error(error: OperationalError) -> Response:
    """A transaction the database rolled back for another one at the same time: 503 with a
    retry (nothing was stored). Any other database error stays an internal error."""
    try:
        raise_if_conflict(error)
    except DatabaseBusy as busy:
        return error_page(busy, {"Retry-After": "1"})
    raise error


def _http_error(error: HTTPException) -> Response:
    allow = dict(item for item in error.get_headers() if item[0] == "Allow")
    return error_page(typed(error), allow)


def init_app(app: Flask) -> None:
    """Answer the request boundary's refusals and Werkzeug's 4xx with :func:`error_page`."""
    app.register_error_handler(RequestRefused, error_page)
    app.register_error_handler(CatalogError, _catalog_unreadable)
    app.register_error_handler(OperationalError, _database_error)
    for status in STATUSES:
        app.register_error_handler(status, _http_error)
