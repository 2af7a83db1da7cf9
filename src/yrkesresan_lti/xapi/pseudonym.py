"""Pseudonymous learner identifiers: a keyed HMAC of (platform issuer, LTI ``sub``).

The same key gives the same pseudonym for the same learner on every run, so statements of
one learner line up in the LRS; without the key nobody can tell which LMS user it is, even
for LMSs whose ``sub`` values are small integers. A new key gives every learner a new
pseudonym (see docs/privacy.md about rotation).

From profile version 1.2 the pseudonym is the first 128 bits of the HMAC (32 hex
characters): ADL's reference LRS, for one, stores ``account.name`` in 50 characters and
refuses the full 64. The full HMAC (:meth:`Pseudonymizer.digest`, the actor name until
profile version 1.1) still derives ``context.registration``, so registrations did not change.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import SecretStr

from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.instance_secret import load_secret
from yrkesresan_lti.settings import Settings

PSEUDONYM_LENGTH = 32
"""Hex characters of the actor name: 128 bits, within every LRS's limit (ADL: 50)."""


class Pseudonymizer:
    """Turns (issuer, sub) into a stable 32-character hex pseudonym under one secret key."""

    def __init__(self, key: bytes | str | SecretStr) -> None:
        if isinstance(key, SecretStr):
            key = key.get_secret_value()
        if isinstance(key, str):
            key = key.encode("utf-8")
        if len(key) < 16:
            raise ConfigurationError(
                f"the pseudonym key must be at least 16 bytes (got {len(key)}): set "
                "YRKESRESAN_PSEUDONYM_KEY (or pass a key) of a "
                "long random value (e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)
        """The key schedule, computed once; each pseudonym continues a copy of it."""

    @classmethod
    def from_settings(cls, settings: Settings, *, create: bool = False) -> Pseudonymizer:
        """The pseudonymizer the adapter uses: ``settings.pseudonym_key``, else a key derived
        from the adapter's own secret (``YRKESRESAN_SECRET_KEY`` or the one kept under
        ``instance_path``; created there only when ``create``, as the adapter does on start)."""
        if settings.pseudonym_key is not None:
            return cls(settings.pseudonym_key)
        try:
            secret = load_secret(settings, create=create)
        except ConfigurationError as err:
            raise ConfigurationError(
                "no pseudonym key: set YRKESRESAN_PSEUDONYM_KEY to the key the adapter uses, or "
                f"run this where the adapter keeps its instance directory ({err.details['path']}"
                " is missing); set the key explicitly in production, see docs/privacy.md",
                reason="no_pseudonym_key",
                path=err.details["path"],
            ) from err
        return cls.from_secret(secret)

    @classmethod
    def from_secret(cls, secret: bytes) -> Pseudonymizer:
        """The pseudonymizer of a key derived from the adapter's secret (no pseudonym key set)."""
        return cls(hmac.new(secret, b"yrkesresan-pseudonym", hashlib.sha256).digest())

    def pseudonym(self, issuer: str, sub: str) -> str:
        """The actor's ``account.name``: the first 32 hex characters of :meth:`digest`."""
        return self.digest(issuer, sub)[:PSEUDONYM_LENGTH]

    def digest(self, issuer: str, sub: str) -> str:
        """HMAC-SHA256 over issuer and sub (64 hex), length-prefixed so no two pairs collide.

        The actor name until profile version 1.1; registrations are derived from it.
        """
        message = b"".join(
            len(part).to_bytes(4, "big") + part
            for part in (issuer.encode("utf-8"), sub.encode("utf-8"))
        )
        mac = self._keyed.copy()
        mac.update(message)
        return mac.hexdigest()

    def __repr__(self) -> str:
        return "Pseudonymizer(key=**********)"
