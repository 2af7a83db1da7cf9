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

from flask import Flask, Response, g, request
from werkzeug.serving import WSGIRequestHandler

from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.logs.context import bind_request_id, request_id_from, unbind_request_id

HEADER = "X-Request-ID"
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
LOG = logging.getLogger("yrkesresan.http")
_EXTENSION = "yrkesresan.request_log"


def _start() -> None:
    g.request_id = request_id_from(request.headers.get(HEADER))
    g.request_id_token = bind_request_id(g.request_id)
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    if "request_id" not in g:  # a hook before ours failed: nothing to report
        return response
    response.headers[HEADER] = g.request_id
    quiet = request.path in HEALTH_PATHS and response.status_code < 400
    LOG.log(
        logging.DEBUG if quiet else logging.INFO,
        "http_request",
        extra={
            "event": "http_request",
            "method": request.method,
            "path": request.path[:300],
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
        },
    )
    return response


def _unbind(_error: BaseException | None) -> None:
    token: Token[str | None] | None = g.pop("request_id_token", None)
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
