"""A short-lived, per-process cache in front of a :class:`PlatformStore`, for the login step.

The login only decides where to redirect the browser; the launch that follows re-reads the
registration from the store and re-checks the deployment, so a registration changed or a
deployment deactivated takes effect at once for launches, and within ``ttl_seconds`` for
the login redirect.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from yrkesresan_lti.lti.stores import PlatformRegistration, PlatformStore

MAX_ENTRIES = 1024


class CachedPlatformLookup:
    """``find`` answered from memory for ``ttl_seconds``; ``save`` and ``list`` go through."""

    def __init__(
        self,
        store: PlatformStore,
        *,
        ttl_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[tuple[str, str | None], tuple[float, PlatformRegistration]] = {}
        self._lock = threading.Lock()

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        key, now = (issuer, client_id), self._clock()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self._ttl:
            return entry[1]
        registration = self._store.find(issuer, client_id)
        with self._lock:
            if registration is None:
                self._entries.pop(key, None)
            else:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (now, registration)
        return registration

    def save(self, registration: PlatformRegistration) -> PlatformRegistration:
        with self._lock:
            self._entries.clear()
        return self._store.save(registration)

    def list(self) -> list[PlatformRegistration]:
        return self._store.list()
