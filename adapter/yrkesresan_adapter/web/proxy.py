"""Trust ``X-Forwarded-For`` from the reverse proxies in front of the service, and only then.

With ``YRKESRESAN_PROXY_COUNT=n`` (nginx in front: 1) Werkzeug's ``ProxyFix`` takes the
client address from the last ``n`` entries of ``X-Forwarded-For``; ``request.remote_addr``
(the rate limits' key) is then the client, not the proxy. With 0 (the default) the header
is ignored: anyone could write it.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from yrkesresan_adapter.state import AdapterState


def init_app(app: Flask) -> None:
    count = AdapterState.of(app).settings.proxy_count
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count)  # type: ignore[method-assign]
