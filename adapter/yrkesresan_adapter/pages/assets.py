"""Static assets of the pages: fingerprinted URLs, long cache, ETag; and security headers."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    request,
    send_file,
    url_for,
)
from flask.globals import _cv_request

from yrkesresan_adapter.storage.framing import frame_ancestors

STATIC = Path(__file__).resolve().parent.parent / "static"
YEAR = 365 * 24 * 3600
_URLS = "yrkesresan.asset_urls"

bp = Blueprint("pages_static", __name__)


@cache
def fingerprint(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def asset_url(name: str) -> str:
    """``/pages/static/<name>?v=<hash of content>``: a new URL whenever the file changes.

    In a request the URL is built once per app, script root and file (every page links
    three; the fingerprint is read once per process anyway); the request is Flask's context
    variable's, not the proxies' (two Python calls per attribute)."""
    context = _cv_request.get(None)
    if context is None:
        return url_for("pages_static.asset", name=name, v=fingerprint(name))
    built: dict[tuple[str, str], str] = context.app.extensions.setdefault(_URLS, {})
    key = (context.request.script_root, name)
    found = built.get(key)
    if found is None:
        found = built[key] = url_for("pages_static.asset", name=name, v=fingerprint(name))
    return found


@bp.get("/pages/static/<name>")
def asset(name: str) -> Response:
    path = (STATIC / name).resolve()
    if path.parent != STATIC or not path.is_file():
        abort(404)
    response = send_file(path, etag=True, conditional=True, max_age=0)
    if request.args.get("v") == fingerprint(name):
        response.cache_control.max_age = YEAR
        response.cache_control.public = True
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response


_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self' https:",
        "base-uri 'none'",
    ]
)


def content_security_policy() -> str:
    """The pages' policy; only the registered platforms may frame them (``storage.framing``)."""
    return f"{_POLICY}; {frame_ancestors()}"


def add_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        path = _cv_request.get().request.path  # not the proxy: every request runs this
        if path.startswith("/pages"):
            response.headers["Content-Security-Policy"] = content_security_policy()
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "no-referrer"
            if not path.startswith("/pages/static/"):
                response.headers["Cache-Control"] = "no-store"
        return response
