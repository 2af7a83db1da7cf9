"""CSRF tokens bound to the launch: ``HMAC(secret, "csrf" + launch id)``.

Pages live in an LMS iframe where third-party cookies are blocked, so the usual
cookie-bound token cannot work. The launch token already travels in every URL and form;
the CSRF token is derived from the launch id it names and a server secret, so a form
posted from another launch (or forged elsewhere) fails the check with 403.
"""

from __future__ import annotations

import hashlib
import hmac

from yrkesresan_lti.exceptions import CsrfTokenInvalid
from yrkesresan_lti.untrusted import same_secret

FIELD = "csrf_token"


class CsrfTokens:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the CSRF secret must have at least 16 bytes")
        self._secret = secret

    def token(self, launch_id: str) -> str:
        message = b"yrkesresan-csrf\x00" + launch_id.encode("utf-8")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def check(self, launch_id: str, presented: str | None) -> None:
        """Raise :class:`CsrfTokenInvalid` (403) unless ``presented`` is the launch's token."""
        if not presented or not same_secret(presented, self.token(launch_id)):
            raise CsrfTokenInvalid("the form's CSRF token is missing or wrong: reload the page")
