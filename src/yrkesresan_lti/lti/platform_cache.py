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
from typing import Generic, TypeVar

from yrkesresan_lti.lti.stores import PlatformRegistration, PlatformStore

MAX_ENTRIES = 1024

Stamp = TypeVar("Stamp")
PlatformKey = tuple[str, str | None]


class RegistrationMemo(Generic[Stamp]):
    """Registrations per (issuer, client_id) with the stamp that says when they are fresh
    (a load time, a row version); thread-safe, emptied when it reaches ``MAX_ENTRIES``."""

    def __init__(self) -> None:
        self._entries: dict[PlatformKey, tuple[Stamp, PlatformRegistration]] = {}
        self._lock = threading.Lock()

    def get(self, key: PlatformKey) -> tuple[Stamp, PlatformRegistration] | None:
        with self._lock:
            return self._entries.get(key)

    def put(
        self, key: PlatformKey, stamp: Stamp, registration: PlatformRegistration | None
    ) -> None:
        """Remember ``registration`` (or forget the key when it is None)."""
        if registration is None:
            self.forget(key)
            return
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (stamp, registration)

    def forget(self, key: PlatformKey) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class CachedPlatformLookup:
    """``find`` answered from memory for ``ttl_seconds``; ``save`` and ``list`` go through."""

    def __init__(
        self,
        store: PlatformStore,
        *,
        ttl_seconds: float = 10.0,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._ttl = ttl_seconds
        self._timer = timer
        self._memo: RegistrationMemo[float] = RegistrationMemo()

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        key, now = (issuer, client_id), self._timer()
        entry = self._memo.get(key)
        if entry is not None and now - entry[0] < self._ttl:
            return entry[1]
        registration = self._store.find(issuer, client_id)
        self._memo.put(key, now, registration)
        return registration

    def save(self, registration: PlatformRegistration) -> PlatformRegistration:
        self._memo.clear()
        return self._store.save(registration)

    def list(self) -> list[PlatformRegistration]:
        return self._store.list()
