"""OAuth 2 access tokens for LTI Advantage services (client_credentials + signed JWT).

The tool proves who it is with a client assertion (RFC 7523) signed by its own key:
``iss`` = ``sub`` = client_id, ``aud`` = the token URL (or the platform's
``auth_audience``), a fresh ``jti`` and a short ``exp``. Tokens are cached per
(platform, scopes) until shortly before they expire.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
import requests

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_id
from yrkesresan_lti.exceptions import ServiceNotEnabled, ServiceUnavailable
from yrkesresan_lti.lti.stores import PlatformRegistration, SigningKey

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
DEFAULT_TIMEOUT = (5.0, 15.0)
"""(connect, read) seconds: a slow token endpoint fails fast instead of blocking a worker."""


@dataclass(frozen=True)
class AccessToken:
    value: str
    scopes: frozenset[str]
    expires_at: datetime


CacheKey = tuple[str, str, frozenset[str]]


class ServiceTokenClient:
    """Fetches and caches access tokens. ``signing_key`` returns the tool's current key."""

    def __init__(
        self,
        signing_key: Callable[[], SigningKey],
        *,
        session: requests.Session | None = None,
        clock: Clock = SYSTEM_CLOCK,
        id_factory: IdFactory = new_id,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        refresh_margin: timedelta = timedelta(seconds=60),
        assertion_lifetime: timedelta = timedelta(minutes=5),
    ) -> None:
        self._signing_key = signing_key
        self._session = session or requests.Session()
        self._clock = clock
        self._id_factory = id_factory
        self._timeout = timeout
        self._margin = refresh_margin
        self._assertion_lifetime = assertion_lifetime
        self._cache: dict[CacheKey, AccessToken] = {}
        self._lock = threading.Lock()

    def token(self, platform: PlatformRegistration, scopes: Iterable[str]) -> str:
        """A valid bearer token for ``scopes`` (from the cache when still fresh)."""
        key = (platform.issuer, platform.client_id, frozenset(scopes))
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and cached.expires_at - self._margin > self._clock.now():
            return cached.value
        fresh = self._fetch(platform, key[2])
        with self._lock:
            self._cache[key] = fresh
        return fresh.value

    def invalidate(self, platform: PlatformRegistration, scopes: Iterable[str]) -> None:
        """Forget a cached token (after the platform refused it)."""
        with self._lock:
            self._cache.pop((platform.issuer, platform.client_id, frozenset(scopes)), None)

    def client_assertion(self, platform: PlatformRegistration) -> str:
        key = self._signing_key()
        now = self._clock.now()
        claims = {
            "iss": platform.client_id,
            "sub": platform.client_id,
            "aud": platform.auth_audience or platform.auth_token_url,
            "iat": int(now.timestamp()),
            "exp": int((now + self._assertion_lifetime).timestamp()),
            "jti": self._id_factory(),
        }
        return jwt.encode(claims, key.private_key_pem, algorithm="RS256", headers={"kid": key.kid})

    def _fetch(self, platform: PlatformRegistration, scopes: frozenset[str]) -> AccessToken:
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": self.client_assertion(platform),
            "scope": " ".join(sorted(scopes)),
        }
        url = platform.auth_token_url
        try:
            response = self._session.post(
                url, data=form, headers={"Accept": "application/json"}, timeout=self._timeout
            )
        except requests.Timeout as err:
            raise ServiceUnavailable(
                f"The platform's token endpoint ({url}) did not answer within "
                f"{self._timeout[1]:g} s; retrying later."
            ) from err
        except requests.RequestException as err:
            raise ServiceUnavailable(
                f"The platform's token endpoint ({url}) cannot be reached: "
                f"{type(err).__name__}; retrying later."
            ) from err
        if response.status_code >= 500:
            raise ServiceUnavailable(
                f"The platform's token endpoint ({url}) answered {response.status_code}; "
                "retrying later."
            )
        body = _json_or_empty(response)
        token = body.get("access_token")
        if response.status_code != 200 or not isinstance(token, str) or not _TOKEN.match(token):
            error = body.get("error") or f"HTTP {response.status_code}"
            raise ServiceNotEnabled(
                f"The platform gave no access token ({error}) for {' '.join(sorted(scopes))}: "
                "check that the tool's client id and public key set URL (JWKS) are right in "
                "the platform and that its services (grades/AGS, rosters/NRPS) are enabled "
                "for the tool."
            )
        lifetime = body.get("expires_in", 3600)
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float):
            lifetime = 3600
        # a day at most: 1e308 seconds overflowed timedelta (a 401 renews a token anyway)
        seconds = min(lifetime, MAX_TOKEN_SECONDS) if lifetime > 0 else 3600
        granted = body.get("scope")
        granted_scopes = frozenset(granted.split()) if isinstance(granted, str) else scopes
        return AccessToken(
            value=token,
            scopes=granted_scopes,
            expires_at=self._clock.now() + timedelta(seconds=float(seconds)),
        )


_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}\Z")
"""An access token we can send in an ``Authorization`` header: visible ASCII, no spaces or
line breaks (RFC 6750's characters and more), at most 4 kB."""
MAX_TOKEN_SECONDS = 86_400


def _json_or_empty(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
