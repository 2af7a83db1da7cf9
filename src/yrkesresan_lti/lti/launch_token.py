"""Short-lived signed launch tokens: navigation after a launch without third-party cookies.

A token is ``v1.<launch id>.<expiry>.<HMAC-SHA256>``; it carries no personal data, only
the id of a launch stored server-side. Pages carry it in URLs and forms (like ltijs's
``ltik``); anyone holding it acts as that launch until it expires, so it is short-lived.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import LaunchExpired, LaunchTokenTampered
from yrkesresan_lti.untrusted import same_secret

MAX_TOKEN_LENGTH = 256
_LAUNCH_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class LaunchTokens:
    """Issues and resolves launch tokens with a server secret."""

    def __init__(self, secret: bytes, ttl_seconds: int, *, clock: Clock = SYSTEM_CLOCK) -> None:
        if len(secret) < 16:
            raise ValueError("the launch token secret must have at least 16 bytes")
        self._secret = secret
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def issue(self, launch_id: str) -> str:
        if not _LAUNCH_ID.match(launch_id):
            raise ValueError("launch ids are 8-64 URL-safe characters")
        payload = f"v1.{launch_id}.{int(self._clock.now().timestamp()) + self.ttl_seconds}"
        return f"{payload}.{self._sign(payload)}"

    def resolve(self, token: str | None) -> str:
        """The launch id of a valid token; :class:`LaunchExpired` or a subclass otherwise."""
        if not token:
            raise LaunchExpired("no launch token: start the tool again from the course in the LMS")
        parts = token.split(".")
        if len(token) > MAX_TOKEN_LENGTH or len(parts) != 4 or parts[0] != "v1":
            raise LaunchTokenTampered("the launch token is malformed: start the tool again")
        payload, signature = ".".join(parts[:3]), parts[3]
        if not same_secret(signature, self._sign(payload)):
            raise LaunchTokenTampered("the launch token's signature is wrong: start again")
        launch_id, expiry = parts[1], parts[2]
        if not expiry.isdigit() or int(expiry) <= self._clock.now().timestamp():
            raise LaunchExpired("the launch has expired: start the tool again from the LMS")
        return launch_id

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self._secret, payload.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
