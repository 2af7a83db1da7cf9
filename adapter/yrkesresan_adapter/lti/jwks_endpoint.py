"""``GET /.well-known/jwks.json``: the tool's public keys (current, next and overlapping old).

Platforms fetch it to verify what the tool signs (deep-linking responses, service token
requests). The short ``Cache-Control`` lets them see a newly published key soon.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.stores import ToolKeyStore

JWKS_MAX_AGE_SECONDS = 300
log = logging.getLogger("yrkesresan.jwks")

bp = Blueprint("jwks", __name__)


@bp.get("/.well-known/jwks.json")
def jwks() -> Response | tuple[Response, int]:
    store: ToolKeyStore = AdapterState.of().services.tool_keys
    try:
        keys = store.public_jwks()
    except SQLAlchemyError as err:
        log.warning(
            "jwks_unavailable", extra={"event": "jwks_unavailable", "error": type(err).__name__}
        )
        unavailable = jsonify(
            error="keys_unavailable", message="the tool's keys cannot be read right now"
        )
        unavailable.headers["Retry-After"] = "30"
        return unavailable, 503
    response = jsonify(keys)
    response.cache_control.public = True
    response.cache_control.max_age = JWKS_MAX_AGE_SECONDS
    return response


def init_app(app: Flask) -> None:
    """Serve the keys of ``services.tool_keys``."""
    app.register_blueprint(bp)
