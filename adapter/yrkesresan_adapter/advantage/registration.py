"""Registering the tool in an LMS: ``GET /lti/register`` (Dynamic Registration, Moodle
"Tool URL" / Canvas), ``GET /lti/config/canvas.json`` (Canvas developer key) and
``GET /lti/logo.svg``. The logic is in :mod:`yrkesresan_lti.lti.advantage`; this module binds
it to Flask.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.advantage.rendering import error_page, language_of, page
from yrkesresan_adapter.advantage.services import advantage_services
from yrkesresan_lti.exceptions import (
    RegistrationError,
)
from yrkesresan_lti.lti.advantage.canvas import canvas_developer_key

LOG = logging.getLogger("yrkesresan.advantage")

bp = Blueprint("advantage", __name__)
bp.register_error_handler(RegistrationError, error_page)


# --- Dynamic Registration ---------------------------------------------------------------------


@bp.get("/lti/register")
def register() -> Response:
    config_url = request.args.get("openid_configuration", "").strip()
    if not config_url:
        raise RegistrationError(
            "The request has no openid_configuration: start the registration from the platform.",
            reason="no_openid_configuration",
        )
    token = request.args.get("registration_token") or None
    try:
        outcome = advantage_services().registration.run(config_url, token)
    except SQLAlchemyError as err:
        unavailable = RegistrationError(
            "The tool's database is unavailable; nothing was stored. Try again in a while.",
            reason="database_unavailable",
        )
        unavailable.temporary = True
        raise unavailable from err
    saved = outcome.registration
    LOG.info(
        "platform_registered",
        extra={
            "event": "platform_registered",
            "issuer": saved.issuer,
            "client_id": saved.client_id,
            "deployment_id": outcome.deployment_id or "-",
            "pending": outcome.pending,
        },
    )
    return page("advantage/registered.html", outcome=outcome, language=language_of())


@bp.get("/lti/config/canvas.json")
def canvas_json() -> Response:
    response = jsonify(canvas_developer_key(advantage_services().urls))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/lti/logo.svg")
def logo() -> Response:
    response = Response(render_template("advantage/logo.svg"), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
