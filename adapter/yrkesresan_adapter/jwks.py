"""``GET /.well-known/jwks.json``: the tool's public keys (current, next and overlapping old).

Platforms fetch it to verify what the tool signs (deep-linking responses, service token
requests). The short ``Cache-Control`` lets them see a newly published key soon.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify

from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.stores import ToolKeyStore

JWKS_MAX_AGE_SECONDS = 300

bp = Blueprint("jwks", __name__)


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    store: ToolKeyStore = AdapterState.of().services["tool_keys"]
    response = jsonify(store.public_jwks())
    response.cache_control.public = True
    response.cache_control.max_age = JWKS_MAX_AGE_SECONDS
    return response


def init_app(app: Flask) -> None:
    """Serve the keys of service ``"tool_keys"``."""
    app.register_blueprint(bp)
