"""The platform's OAuth 2.0 client-credentials token endpoint, shared by the fake platform
(:class:`~yrkesresan_lti.testing.services.FakePlatformServices`) and the adapter's demo LMS.

Like Moodle: the tool authenticates with a client assertion it signed (``iss`` and ``sub``
its client id, ``aud`` the token URL, checked against the tool's JWKS), each ``jti`` is
accepted once, and the token grants the requested scopes the platform offers. How the
assertion is verified, where used ``jti`` values are kept and what an access token looks
like are the caller's (:class:`TokenEndpoint`'s fields).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.lti.advantage.service_token import CLIENT_ASSERTION_TYPE
from yrkesresan_lti.testing.services.wire import Reply

TOKEN_LIFETIME = 3600
"""Seconds an access token is valid (``expires_in``)."""


@dataclass(frozen=True)
class TokenEndpoint:
    """Answers a token request: :meth:`issue` takes the posted form, returns the reply."""

    client_id: str
    """The tool's client id: the assertion's ``iss`` and ``sub``."""
    offered_scopes: Callable[[], Iterable[str]]
    """The scopes the platform grants (requested ones outside them are dropped)."""
    verify_assertion: Callable[[str], Mapping[str, Any]]
    """The assertion's claims once signature, audience and expiry hold; raises
    :class:`jwt.PyJWTError` or a :class:`~yrkesresan_lti.exceptions.YrkesresanError`
    (``temporary``: 503) otherwise."""
    use_jti: Callable[[str, int], bool]
    """Record ``jti`` (valid until ``exp``); false if it was used before."""
    access_token: Callable[[list[str]], str]
    """A new access token for the granted scopes."""

    def issue(self, form: Mapping[str, str]) -> Reply:
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE
        ):
            return Reply(400, {"error": "unsupported_grant_type"})
        try:
            claims = self.verify_assertion(form.get("client_assertion", ""))
        except (jwt.PyJWTError, YrkesresanError) as err:
            status = 503 if getattr(err, "temporary", False) else 400
            return Reply(status, {"error": "invalid_client", "error_description": str(err)})
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            return Reply(400, {"error": "invalid_client", "error_description": "iss/sub"})
        if not claims.get("jti"):
            return Reply(400, {"error": "invalid_client", "error_description": "jti"})
        offered = set(self.offered_scopes())
        granted = sorted(set(form.get("scope", "").split()) & offered)
        if not granted:
            return Reply(400, {"error": "invalid_scope"})
        if not self.use_jti(str(claims["jti"]), int(claims.get("exp", 0))):
            return Reply(400, {"error": "invalid_grant", "error_description": "jti reused"})
        scope = " ".join(granted)
        return Reply(
            200,
            {
                "access_token": self.access_token(granted),
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "scope": scope,
            },
        )
