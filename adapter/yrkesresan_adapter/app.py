"""Application factory: ``create_app(settings)`` builds a configured Flask app.

Each subsystem has an ``init_app(app)`` that sets its typed services on
``AdapterState.of(app).services`` (see :mod:`yrkesresan_adapter.state`) and refuses to be
registered twice. The order below is the order of dependence.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.wrappers import Response as BaseResponse

from yrkesresan_adapter import advantage, delivery, demo, lti, migrations, pages, storage
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.web import (
    catalog,
    error_pages,
    health,
    i18n,
    metrics,
    proxy,
    request_boundary,
    request_log,
    xapi_profile,
)
from yrkesresan_lti.instance import ensure_instance_path
from yrkesresan_lti.settings import Settings

log = logging.getLogger("yrkesresan.app")


class _App(Flask):
    """Flask, with its sync check made once per plain function: Flask asks
    ``iscoroutinefunction`` of every hook and view on every request (≈ 1 µs each, about 30
    times per launch); a function found synchronous once stays so. Weakly held, so a
    callback made for one request (``after_this_request``) is not kept.

    Its redirects (:meth:`redirect`) have no body."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._synchronous: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            if func in self._synchronous:
                return func
        except TypeError:  # not weakly referenceable: ask Flask every time
            return super().ensure_sync(func)
        synced = super().ensure_sync(func)
        if synced is func:
            self._synchronous.add(func)
        return synced

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """``flask.redirect``'s answer without Werkzeug's HTML note ("Redirecting..."),
        which no browser shows: it follows ``Location``. With an empty body gunicorn sends
        the answer in one write, not two (the headers, then the body), which every click
        and login pays for (the 303 after *Markera som klar*, the login's 302)."""
        response = self.response_class(status=code)
        response.headers["Location"] = location
        return response


def create_app(settings: Settings | None = None) -> Flask:
    """Create the adapter. With no settings, they are read from the environment and ``.env``."""
    settings = settings or Settings()
    app = _App(__name__, instance_path=str(settings.instance_path.resolve()))
    if ensure_instance_path(settings.instance_path):
        path = str(settings.instance_path.resolve())
        log.info("instance_created", extra={"event": "instance_created", "path": path})
    AdapterState.init_app(app, settings)
    proxy.init_app(app)  # X-Forwarded-For only from YRKESRESAN_PROXY_COUNT trusted proxies
    request_log.init_app(app)  # X-Request-ID, one http_request line per request
    request_boundary.init_app(app)  # every parameter checked before any view: NUL, lengths
    health.init_app(app)  # /healthz, /readyz
    metrics.init_app(app)  # /metrics; services.metrics (requests, launches, outbox, AGS)
    i18n.init_app(app)  # services.babel: Swedish and English
    error_pages.init_app(app)  # our 400/403/404/405/413/414/415 pages, never Werkzeug's
    catalog.init_app(app)  # services.catalog: loaded once, on first use
    storage.init_app(app)  # services.db, .platforms, .tool_keys
    migrations.init_app(app)  # schema migrated outside production; /readyz "database"
    storage.ready(app)  # the first signing key, once the schema is there
    lti.init_app(app)  # /.well-known/jwks.json, /lti/login, /lti/launch, /app; services.launch
    demo.init_app(app)  # /demo, only when settings.demo
    advantage.init_app(app)  # /lti/register, /lti/config/canvas.json, /lti/deep-link
    demo.connect_services(app)  # demo: AGS/NRPS to /demo/platform in-process
    xapi_profile.init_app(app)  # GET /xapi/profile.jsonld
    delivery.init_app(app)  # /readyz: outbox lag
    pages.init_app(app)  # /pages: learner journey + checklists, manager view; launches land here
    return app
