"""``GET /xapi/profile.jsonld``: the Yrkesresan xAPI Profile for LRS consumers."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response

from yrkesresan_adapter.web.catalog import catalog_of
from yrkesresan_lti.xapi.profile import build_profile

bp = Blueprint("xapi", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.get("/xapi/profile.jsonld")
def profile() -> Response:
    document = build_profile(catalog_of().iri_base)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
