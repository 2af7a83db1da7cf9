"""Per-address rate limits on the endpoints anyone can reach: ``/lti/login``,
``/lti/launch`` (here) and ``/lti/register`` (the advantage package asks for it with
:func:`limit_endpoint`).

The ``limits`` library's fixed windows count per client address (``request.remote_addr``:
the connecting address, or the one ``X-Forwarded-For`` names when
``YRKESRESAN_PROXY_COUNT`` trusts a proxy) and endpoint, in Redis when one is configured,
so every gunicorn worker shares the counters, else in the process's memory. A request over
the limit is answered 429 with ``Retry-After`` and the launch error page
(``X-Yrkesresan-Error: RateLimited``). A Redis outage never blocks a launch: the counters
fall back to memory until Redis answers again. Only the limited views count (no hook on
every request): Flask-Limiter, used before, cost a login or launch about a fifth of its
CPU time.

Without Redis the counters live in :class:`SweptMemoryStorage`: limits' own memory storage
starts a timer thread for its expiry sweep on almost every hit (one per 10 ms), which cost a
launch more than all its checks; this one sweeps in the request, at most once a second.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from flask import Flask, Response
from flask.globals import _cv_request
from flask.typing import RouteCallable
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from yrkesresan_adapter.lti.errors import error_response
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import ConfigurationError, RateLimited

KEY_PREFIX = "yrkesresan:rate"
EXTENSION = "yrkesresan.rate_limits"
MEMORY = "yrkesresan-memory://"
SWEEP_SECONDS = 1.0
RETRY_SHARED_SECONDS = 30.0
"""After a failure of the shared storage (Redis), count in memory this long before trying it
again."""
LOG = logging.getLogger("yrkesresan.lti")


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


class EndpointLimiter:
    """Fixed-window counters per (client address, endpoint) in the shared storage, or in
    memory while it fails (and when there is none)."""

    def __init__(self, storage_uri: str, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._memory = FixedWindowRateLimiter(SweptMemoryStorage(MEMORY))
        self._shared: FixedWindowRateLimiter | None = None
        if storage_uri != MEMORY:
            options: dict[str, Any] = (
                {"socket_connect_timeout": 5, "socket_timeout": 5}
                if storage_uri.startswith(("redis://", "rediss://"))
                else {}
            )
            storage = storage_from_string(storage_uri, **options)
            self._shared = FixedWindowRateLimiter(cast(Storage, storage))
        self._shared_after = 0.0

    def breached(self, endpoint: str, items: list[RateLimitItem]) -> float | None:
        """Count this request; the seconds until it may retry when a limit is exceeded."""
        address = _cv_request.get().request.remote_addr  # not the proxy: every login, launch
        identifiers = (KEY_PREFIX, address or "-", endpoint)
        for item in items:
            counter = self._counter()
            try:
                allowed = counter.hit(item, *identifiers)
            except Exception as err:  # the shared storage failed: never block a launch on it
                self._shared_after = time.monotonic() + RETRY_SHARED_SECONDS
                LOG.warning("rate_limit_storage_unavailable error=%s", type(err).__name__)
                counter = self._memory
                allowed = counter.hit(item, *identifiers)
            if not allowed:
                reset = counter.get_window_stats(item, *identifiers).reset_time
                return max(1.0, reset - time.time())
        return None

    def _counter(self) -> FixedWindowRateLimiter:
        if self._shared is not None and time.monotonic() >= self._shared_after:
            return self._shared
        return self._memory


def init_app(app: Flask) -> None:
    """Set up the limiter (``app.extensions[EXTENSION]``)."""
    if EXTENSION in app.extensions:
        raise ConfigurationError("the rate limiter is already set up on this app")
    settings = AdapterState.of(app).settings
    config = settings.rate_limits
    storage = config.storage_url or settings.redis_url or MEMORY
    app.extensions[EXTENSION] = EndpointLimiter(storage, enabled=config.enabled)


def limit_endpoint(app: Flask, endpoint: str, limit: str) -> None:
    """Limit the view of ``endpoint`` (registered already) to ``limit`` per address."""
    limiter = app.extensions.get(EXTENSION)
    if not isinstance(limiter, EndpointLimiter):
        raise ConfigurationError("lti.init_app sets up the rate limiter before limits are set")
    if not limiter.enabled:
        return
    items = parse_many(limit)
    view: Callable[..., Any] = app.view_functions[endpoint]

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        wait = limiter.breached(endpoint, items)
        if wait is not None:
            return _too_many(math.ceil(wait))
        return view(*args, **kwargs)

    app.view_functions[endpoint] = cast(RouteCallable, limited)


def _too_many(wait: int) -> Response:
    response = error_response(RateLimited("too many requests", retry_after=str(wait)))
    response.headers["Retry-After"] = str(wait)
    return response
