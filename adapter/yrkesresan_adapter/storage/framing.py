"""Who may frame the tool: the CSP ``frame-ancestors`` of every page, computed in one place.

The sources are the origins of the registered platforms: the issuer (Moodle frames the
tool from its own origin, which is its issuer) and the OIDC login endpoint (Canvas: the
issuer is ``https://canvas.instructure.com``, the auth endpoint and the frame parent are
the school's Canvas or ``sso.canvaslms.com``), ``extra["frame_origins"]`` of a
registration, the origins of ``YRKESRESAN_FRAME_ORIGINS`` (a custom Canvas domain), and
``'self'`` when the demo LMS (same origin) is on. No platform registered: ``'none'``.
When the platforms cannot be read (database away), the last list read stays in force, or
``'none'`` if there is none: a page (often the error page saying so) still renders.

The list is read from the platform store at most every :data:`REFRESH_SECONDS` per process,
so a platform added or removed (CLI, dynamic registration, another worker) takes effect
within that time without a restart; :meth:`FrameAncestors.refresh` applies it at once.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.lti.stores import PlatformRegistration, PlatformStore

LOG = logging.getLogger("yrkesresan.framing")
REFRESH_SECONDS = 10.0
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL in lower case (default port dropped), or
    ``None`` when ``url`` has no such origin (nothing else may enter the CSP header)."""
    try:
        parts = urlsplit(url.strip())
        scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    default = {"http": 80, "https": 443}.get(scheme)
    found = f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"
    return found if _ORIGIN.match(found) else None


def platform_origins(registration: PlatformRegistration) -> set[str]:
    urls: list[str] = [registration.issuer, registration.auth_login_url]
    listed = registration.extra.get("frame_origins")
    if isinstance(listed, list):
        urls += [u for u in listed if isinstance(u, str)]
    return {o for o in map(origin, urls) if o}


class FrameAncestors:
    """The ``frame-ancestors`` sources, refreshed from the platform store."""

    def __init__(
        self,
        platforms: PlatformStore,
        *,
        extra_origins: Iterable[str] = (),
        allow_self: bool = False,
        refresh_seconds: float = REFRESH_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._platforms = platforms
        self._extra = {o for o in map(origin, extra_origins) if o}
        self._allow_self = allow_self
        self._refresh_seconds = refresh_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._sources: tuple[str, ...] | None = None
        self._read_at = 0.0

    def sources(self) -> tuple[str, ...]:
        with self._lock:
            now = self._monotonic()
            if self._sources is None or now - self._read_at >= self._refresh_seconds:
                try:
                    self._sources = self._compute()
                except (SQLAlchemyError, YrkesresanError):  # an error page must still render
                    LOG.warning(
                        "frame_ancestors_unavailable",
                        exc_info=True,
                        extra={"event": "frame_ancestors_unavailable"},
                    )
                    return self._sources or ()  # the last list; none at all: 'none'
                self._read_at = now
            return self._sources

    def refresh(self) -> None:
        """Read the platforms again on the next use."""
        with self._lock:
            self._sources = None

    def directive(self) -> str:
        """``frame-ancestors …`` for a Content-Security-Policy."""
        return "frame-ancestors " + (" ".join(self.sources()) or "'none'")

    def _compute(self) -> tuple[str, ...]:
        found = set(self._extra)
        for registration in self._platforms.list():
            found |= platform_origins(registration)
        own = ("'self'",) if self._allow_self else ()
        return own + tuple(sorted(found))


def frame_ancestors() -> str:
    """The ``frame-ancestors`` directive of the current app (in a request)."""
    return AdapterState.of().services.framing.directive()


def error_page_policy(nonce: str) -> str:
    """The Content-Security-Policy of an error page with one inline style (``nonce``): it
    loads nothing and may be framed only where the tool's pages may ('none' when the
    platforms cannot be read, so an error page never fails for want of them)."""
    try:
        ancestors = frame_ancestors()
    except Exception:  # an error page must render whatever else is broken
        ancestors = "frame-ancestors 'none'"
    return (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
        f"form-action 'self'; base-uri 'none'; {ancestors}"
    )


def init_app(app: Flask, extra_origins: Sequence[str] = ()) -> FrameAncestors:
    """Set ``services.framing`` (needs ``services.platforms``)."""
    state = AdapterState.of(app)
    framing = FrameAncestors(
        state.services.platforms,
        extra_origins=[*state.settings.frame_origins, *extra_origins],
        allow_self=state.settings.demo,
    )
    state.services.framing = framing
    return framing
