"""The launch's answer *is* its first page: no 303 and second request for the browser.

A resource-link launch used to answer ``303 See Other`` to its first real page (the journey,
a course, the staff view) with the launch token in the URL, and the browser then asked for
it. :func:`render_in_place` serves that same ``GET`` inside the launch's request instead (a
request context of its own, so the page's hooks, headers, ``request.args`` and
``request.full_path`` are exactly those of the ``GET``) and the launch answers with the page.
The page's links and forms carry the launch token as before; the page names its own ``GET``
URL (:func:`reload_url`, the base template's ``data-reload-url``) and ``static/pages.js``
puts it in the address bar with ``history.replaceState``, so a reload or a bookmark is a
``GET`` of the page, never a second post of the used launch; clients that are not browsers
find the same URL in the answer's ``Content-Location``. Anything but a 200 (an error
page) falls back to the 303, which shows the same answer at its own URL.

What the launch read in its own transaction for its first page (an ``on_launch`` hook calls
:func:`hand_over`) reaches the page rendered in place (:func:`handed`), so the page need not
open a transaction of its own to read it again.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

from flask.globals import _cv_app, _cv_request
from werkzeug.wrappers import Response

RELOAD_URL = "yrkesresan.reload_url"
"""WSGI environ key of the page's own GET URL, set only on a page rendered in place."""

HANDED = "yrkesresan.first_page_handed"
"""WSGI environ key of what the launch handed to its page rendered in place."""
_HANDED_G = "yrkesresan_first_page_handed"

_DROPPED = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"})


def render_in_place(target: str) -> Response | None:
    """The response of ``GET target`` (a path from ``url_for``) served inside the current
    request, or None when that page does not answer 200 (the caller redirects instead)."""
    # the launch's app, request and g from Flask's context variables (not the proxies)
    app_context, launch_request = _cv_app.get(), _cv_request.get().request
    app, launch_g = app_context.app, app_context.g
    parts = urlsplit(target)
    root = launch_request.script_root
    path = parts.path[len(root) :] if root and parts.path.startswith(root) else parts.path
    environ = {
        key: value
        for key, value in launch_request.environ.items()
        if key not in _DROPPED and not key.startswith(("werkzeug.", "flask."))
    }
    environ.update(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": parts.query,
            "wsgi.input": io.BytesIO(b""),
            RELOAD_URL: target,
            HANDED: dict(launch_g.get(_HANDED_G) or {}),
        }
    )
    request_id = launch_g.get("request_id")
    if request_id:  # the page's log line carries the launch's request id
        environ["HTTP_X_REQUEST_ID"] = request_id
    with app.app_context(), app.request_context(environ):
        response: Response = app.full_dispatch_request()
    if response.status_code != 200:
        return None
    # RFC 9110 §8.7: the content is what a GET of this URL answers (no fragment there)
    response.headers["Content-Location"] = target.split("#", 1)[0]
    return response


def hand_over(key: str, value: Any) -> None:
    """Give the first page that this launch's request renders in place ``value`` under
    ``key`` (an ``on_launch`` hook's read, done in the launch's transaction)."""
    handed_here: dict[str, Any] = _cv_app.get().g.setdefault(_HANDED_G, {})
    handed_here[key] = value


def handed(key: str) -> Any:
    """What the launch handed over under ``key`` when this page is rendered in place by the
    launch's request; None in every other request."""
    found = _cv_request.get().request.environ.get(HANDED)
    return found.get(key) if isinstance(found, dict) else None


def reload_url() -> str | None:
    """The page's own GET URL when it is the answer of a launch's POST (else None)."""
    found = _cv_request.get().request.environ.get(RELOAD_URL)
    return found if isinstance(found, str) else None
