"""A request id for every request, and one ``http_request`` line per request.

The id is the proxy's ``X-Request-ID`` when it is well-formed, else a new one; it is echoed
in the response header and carried by every line logged while serving the request. The
``http_request`` line names method, path (never the query string: the launch token and
``person`` travel there), status and duration; health checks log it at DEBUG only.
"""

from __future__ import annotations

import logging
import time
from contextvars import Token

from flask import Flask, Response
from flask.globals import _cv_app, _cv_request
from werkzeug.serving import WSGIRequestHandler

from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.logs.context import bind_request_id, request_id_from, unbind_request_id

HEADER = "X-Request-ID"
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
LOG = logging.getLogger("yrkesresan.http")
_EXTENSION = "yrkesresan.request_log"
STARTED = "request_started"
"""The name on ``flask.g`` of the request's start (``time.perf_counter``), set before any
other hook; the metrics' latency is measured from it too."""


# The hooks run on every request (and again for a launch's first page, rendered in place):
# they read the request and ``g`` from Flask's context variables themselves, not through a
# context-local proxy (``request``, ``g``, ``app_ctx``: two Python calls per attribute).


def _start() -> None:
    found, started = _cv_app.get().g, time.perf_counter()
    found.request_id = request_id_from(_cv_request.get().request.headers.get(HEADER))
    found.request_id_token = bind_request_id(found.request_id)
    found.request_started = started  # STARTED


def _finish(response: Response) -> Response:
    found = _cv_app.get().g
    if "request_id" not in found:  # a hook before ours failed: nothing to report
        return response
    response.headers[HEADER] = found.request_id
    request = _cv_request.get().request
    path, status = request.path, response.status_code
    quiet = path in HEALTH_PATHS and status < 400
    LOG.log(
        logging.DEBUG if quiet else logging.INFO,
        "http_request",
        extra={
            "event": "http_request",
            "method": request.method,
            "path": path[:300],
            "status": status,
            "duration_ms": round((time.perf_counter() - found.request_started) * 1000, 1),
        },
    )
    return response


def _unbind(_error: BaseException | None) -> None:
    token: Token[str | None] | None = _cv_app.get().g.pop("request_id_token", None)
    if token is not None:
        unbind_request_id(token)


def init_app(app: Flask) -> None:
    """Bind the id before any other ``before_request`` hook and log after all others."""
    if _EXTENSION in app.extensions:
        raise ConfigurationError("request logging is already registered on this app")
    app.extensions[_EXTENSION] = True
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
    app.teardown_request_funcs.setdefault(None, []).insert(0, _unbind)


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's development server without its own request lines: they carry the query
    string (the launch token); the app writes ``http_request`` instead."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None
