"""In-memory implementations of the LTI storage protocols, for tests and single-process use.

They are thread-safe but live in one process: a multi-worker deployment needs the database
or Redis implementations of the adapter, or a nonce could be used once per worker.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import AmbiguousPlatform
from yrkesresan_lti.lti.stores import PlatformRegistration, SigningKey


class MemoryPlatformStore:
    """Platform registrations keyed on (issuer, client_id)."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], PlatformRegistration] = {}
        self._lock = threading.Lock()

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        """The registration for (issuer, client_id); with no client_id only if unambiguous."""
        with self._lock:
            if client_id is not None:
                return self._items.get((issuer, client_id))
            matches = [r for (iss, _), r in self._items.items() if iss == issuer]
        if len(matches) > 1:
            raise AmbiguousPlatform(
                f"issuer {issuer} has {len(matches)} registrations: the LMS must send client_id"
            )
        return matches[0] if matches else None

    def save(self, registration: PlatformRegistration) -> PlatformRegistration:
        """Store a new or changed registration (a new one gets an ``id``)."""
        with self._lock:
            key = (registration.issuer, registration.client_id)
            saved = replace(registration, id=registration.id or len(self._items) + 1)
            self._items[key] = saved
            return saved

    def list(self) -> list[PlatformRegistration]:
        """Every registration."""
        with self._lock:
            return list(self._items.values())


class _Expiring:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._items: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def _seconds(self) -> float:
        return self._clock.now().timestamp()

    def _put(self, key: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        with self._lock:
            self._items[key] = (self._seconds() + ttl_seconds, copy.deepcopy(dict(value)))

    def _get(self, key: str, *, delete: bool) -> dict[str, Any] | None:
        with self._lock:
            entry = self._items.pop(key, None) if delete else self._items.get(key)
        if entry is None or entry[0] <= self._seconds():
            return None
        return copy.deepcopy(entry[1])


class MemoryLaunchStateStore(_Expiring):
    """OIDC state between login and launch; ``pop`` hands a value out once."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(clock)

    def put(self, key: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        """Keep ``value`` under ``key`` for ``ttl_seconds``."""
        self._put(key, value, ttl_seconds)

    def pop(self, key: str) -> dict[str, Any] | None:
        """Return and delete the value (once), or ``None`` when missing or expired."""
        return self._get(key, delete=True)


class MemoryLaunchContextStore(_Expiring):
    """Validated launches by launch id; reading does not delete."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(clock)

    def put(self, launch_id: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        """Keep a validated launch for ``ttl_seconds``."""
        self._put(launch_id, value, ttl_seconds)

    def get(self, launch_id: str) -> dict[str, Any] | None:
        """The launch, or ``None`` when missing or expired."""
        return self._get(launch_id, delete=False)


class MemoryNonceStore:
    """Nonces per issuer; the first ``consume`` wins, expired entries are forgotten."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def consume(self, issuer: str, nonce: str, ttl_seconds: int) -> bool:
        """Record the nonce; True the first time, False for every later use."""
        now = self._clock.now().timestamp()
        with self._lock:
            expires = self._seen.get((issuer, nonce))
            if expires is not None and expires > now:
                return False
            self._seen[(issuer, nonce)] = now + ttl_seconds
            return True


class MemoryToolKeyStore:
    """One RSA key generated on first use (tests only: nothing is persisted)."""

    def __init__(self) -> None:
        self._key: SigningKey | None = None
        self._lock = threading.Lock()

    def signing_key(self) -> SigningKey:
        """The tool's current signing key (made on first use)."""
        with self._lock:
            if self._key is None:
                from yrkesresan_lti.lti.rsa_keys import generate_signing_key

                self._key = generate_signing_key()
            return self._key

    def public_jwks(self) -> dict[str, Any]:
        """The public key set the tool publishes."""
        return {"keys": [dict(self.signing_key().public_jwk)]}
