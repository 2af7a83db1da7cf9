"""Per-address rate limits on the endpoints anyone can reach: ``/lti/login``,
``/lti/launch`` (here) and ``/lti/register`` (the advantage package asks for it with
:func:`limit_endpoint`).

Flask-Limiter counts per client address (``request.remote_addr``: the connecting address,
or the one ``X-Forwarded-For`` names when ``YRKESRESAN_PROXY_COUNT`` trusts a proxy) in
Redis when one is configured, so every gunicorn worker shares the counters, else in the
process's memory. A request over the limit is answered 429 with ``Retry-After`` and the
launch error page (``X-Yrkesresan-Error: RateLimited``). A Redis outage never blocks a
launch: the counters fall back to memory.

Without Redis the counters live in :class:`SweptMemoryStorage`: limits' own memory storage
starts a timer thread for its expiry sweep on almost every hit (one per 10 ms), which cost a
launch more than all its checks; this one sweeps in the request, at most once a second.
"""

from __future__ import annotations

import math
import time
from typing import cast

from flask import Flask, Response
from flask.typing import RouteCallable
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

from yrkesresan_adapter.lti.errors import error_response
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import ConfigurationError, RateLimited

KEY_PREFIX = "yrkesresan:rate"
EXTENSION = "yrkesresan.rate_limits"
MEMORY = "yrkesresan-memory://"
SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """limits' memory storage (``yrkesresan-memory://``) with its expiry sweep run in the
    calling thread at most every :data:`SWEEP_SECONDS` instead of in a new timer thread.
    Counts are unchanged: a read already drops an expired key itself; the sweep only
    frees the memory of keys nobody reads any more."""

    STORAGE_SCHEME = ["yrkesresan-memory"]  # noqa: RUF012 - limits registers the class by it

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one timer the base class starts
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - overrides the private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Set up the limiter (``app.extensions[EXTENSION]``) and its 429 page."""
    if EXTENSION in app.extensions:
        raise ConfigurationError("the rate limiter is already set up on this app")
    settings = AdapterState.of(app).settings
    config = settings.rate_limits
    storage = config.storage_url or settings.redis_url or MEMORY
    limiter = Limiter(
        get_remote_address,
        storage_uri=storage,
        storage_options={"socket_connect_timeout": 5, "socket_timeout": 5}
        if storage.startswith(("redis://", "rediss://"))
        else {},
        key_prefix=KEY_PREFIX,
        headers_enabled=False,
        on_breach=_too_many,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        enabled=config.enabled,
    )
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    app.register_error_handler(RateLimitExceeded, _answer)


def limit_endpoint(app: Flask, endpoint: str, limit: str) -> None:
    """Limit the view of ``endpoint`` (registered already) to ``limit`` per address."""
    limiter = app.extensions.get(EXTENSION)
    if not isinstance(limiter, Limiter):
        raise ConfigurationError("lti.init_app sets up the rate limiter before limits are set")
    limited = limiter.limit(limit)(app.view_functions[endpoint])
    app.view_functions[endpoint] = cast(RouteCallable, limited)


def _too_many(limit: RequestLimit) -> Response:
    wait = max(1, math.ceil(limit.window.reset_time - time.time()))
    response = error_response(RateLimited("too many requests", retry_after=str(wait)))
    response.headers["Retry-After"] = str(wait)
    return response


def _answer(error: RateLimitExceeded) -> Response:
    if isinstance(error.response, Response):
        return error.response
    response = error_response(RateLimited("too many requests", retry_after="60"))
    response.headers["Retry-After"] = "60"
    return response
