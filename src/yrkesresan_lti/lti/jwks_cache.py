"""Platform key sets (JWKS), fetched once and cached per process.

A launch never fetches the key set when the cached one has the token's ``kid``. An unknown
``kid`` (the platform rotated its key) triggers one refetch, at most once per
``min_refetch_seconds`` per key set URL, so a flood of forged ``kid`` values cannot turn
into a flood of requests to the platform.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from yrkesresan_lti.exceptions import KeySetUnavailable, UnknownKeyId

MAX_JWKS_BYTES = 256 * 1024


@dataclass(frozen=True)
class _Entry:
    keys: dict[str, dict[str, Any]]
    fetched_at: float


class JwksCache:
    """Keys by (key set URL, kid). Thread-safe; one instance per process is enough."""

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        timer: Callable[[], float] = time.monotonic,
        max_age_seconds: float = 24 * 3600,
        min_refetch_seconds: float = 10.0,
        timeout: tuple[float, float] = (3.0, 5.0),
    ) -> None:
        self.session = session or requests.Session()
        """The HTTP session key sets are fetched with (mount transports on it in tests)."""
        self._timer = timer
        self._max_age = max_age_seconds
        self._min_refetch = min_refetch_seconds
        self._timeout = timeout
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self.fetch_count = 0
        """How many times a key set was fetched over the network (for tests and benchmarks)."""

    def key(self, key_set_url: str, kid: str) -> dict[str, Any]:
        """The JWK with this ``kid``; raises :class:`UnknownKeyId` if the platform has none."""
        entry = self._entries.get(key_set_url)
        now = self._timer()
        if entry is not None and now - entry.fetched_at < self._max_age and kid in entry.keys:
            return entry.keys[kid]
        with self._lock:
            entry = self._entries.get(key_set_url)
            stale = entry is None or now - entry.fetched_at >= self._max_age
            may_refetch = entry is None or now - entry.fetched_at >= self._min_refetch
            if entry is None or stale or (kid not in entry.keys and may_refetch):
                entry = self._fetch(key_set_url)
                self._entries[key_set_url] = entry
        if kid not in entry.keys:
            raise UnknownKeyId(
                f"the platform's key set {key_set_url} has no key {kid!r}",
                kid=kid,
                key_set_url=key_set_url,
            )
        return entry.keys[kid]

    def _fetch(self, url: str) -> _Entry:
        self.fetch_count += 1
        try:
            response = self.session.get(url, timeout=self._timeout)
            response.raise_for_status()
            if len(response.content) > MAX_JWKS_BYTES:
                raise ValueError("key set too large")
            document = response.json()
            raw_keys = document["keys"]
            if not isinstance(raw_keys, list):
                raise TypeError("'keys' is not a list")
        except (requests.RequestException, ValueError, KeyError, TypeError) as err:
            raise KeySetUnavailable(
                f"the platform's key set {url} could not be read ({type(err).__name__})",
                key_set_url=url,
            ) from err
        keys = {str(k["kid"]): dict(k) for k in raw_keys if isinstance(k, dict) and k.get("kid")}
        return _Entry(keys=keys, fetched_at=self._timer())
