"""OIDC login state carried by the browser, sealed, instead of stored: a login writes nothing.

With a :class:`StateSeal`, :class:`~yrkesresan_lti.lti.login.OidcLogin` keeps no record of a
state. What the launch must match (issuer, client_id, nonce) is sealed with HMAC-SHA256
under the tool's secret together with a hash of the state and an expiry, and the seal *is*
the browser binding: the cookie the login sets for ``/lti/launch`` (or the value kept in
LTI Platform Storage). The launch opens it (:meth:`StateSeal.open`): the seal must be ours,
made for the posted state and not expired, so a state is still bound to the browser that
started the login. It is used once: the launch consumes the sealed nonce in the shared
:class:`~yrkesresan_lti.lti.stores.NonceStore` (a unique insert, in the launch's own
transaction) *before* it checks the id_token, so any second post of the state, on any
worker, is refused with :class:`BadState`, a refused one included.

A seal is ``s1.<base64url JSON>.<base64url HMAC>``; its JSON holds no personal data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import BadState, StateFromOtherBrowser
from yrkesresan_lti.untrusted import same_secret

VERSION = "s1"
MAX_SEAL_LENGTH = 4096
_KEY_LABEL = b"yrkesresan oidc state seal v1"


@dataclass(frozen=True)
class SealedState:
    """An opened seal: what the login issued for the state, and until when (epoch seconds)."""

    issuer: str
    client_id: str
    nonce: str
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _state_digest(state: str) -> str:
    return _b64(hashlib.sha256(state.encode("utf-8")).digest()[:18])


class StateSeal:
    """Seals a login's state record into its browser binding, and opens it at the launch."""

    def __init__(self, secret: bytes, ttl_seconds: int, *, clock: Clock = SYSTEM_CLOCK) -> None:
        if len(secret) < 16:
            raise ValueError("the state seal secret must have at least 16 bytes")
        if ttl_seconds <= 0:
            raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds}")
        self._key = hmac.new(secret, _KEY_LABEL, hashlib.sha256).digest()
        self._ttl = ttl_seconds
        self._clock = clock

    def seal(self, state: str, issuer: str, client_id: str, nonce: str) -> str:
        """The browser binding of ``state``: the login's record, sealed."""
        expires_at = int(self._clock.now().timestamp()) + self._ttl
        record = [_state_digest(state), issuer, client_id, nonce, expires_at]
        payload = f"{VERSION}.{_b64(json.dumps(record, separators=(',', ':')).encode())}"
        return f"{payload}.{self._sign(payload)}"

    def open(self, state: str, binding: str | None) -> SealedState:
        """The record sealed for ``state``. :class:`StateFromOtherBrowser` when the binding
        is missing, not ours or made for another state; :class:`BadState` when expired."""
        if binding is None:
            raise _other_browser("missing")
        parts = binding.split(".")
        if (
            len(binding) > MAX_SEAL_LENGTH
            or not binding.isascii()  # ours are base64url; "s1.é.x" was a UnicodeEncodeError
            or len(parts) != 3
            or parts[0] != VERSION
        ):
            raise _other_browser("different")
        payload = f"{parts[0]}.{parts[1]}"
        if not same_secret(parts[2], self._sign(payload)):
            raise _other_browser("different")
        try:
            digest, issuer, client_id, nonce, expires_at = json.loads(_unb64(parts[1]))
        except (binascii.Error, ValueError, TypeError) as err:  # signed by us: never expected
            raise _other_browser("different") from err
        if not same_secret(str(digest), _state_digest(state)):
            raise _other_browser("different", issuer=str(issuer), client_id=str(client_id))
        if not isinstance(expires_at, int) or expires_at <= self._clock.now().timestamp():
            raise BadState("the launch's state has expired: start again from the LMS")
        return SealedState(str(issuer), str(client_id), str(nonce), expires_at)

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())


def _other_browser(
    cookie: str, *, issuer: str = "-", client_id: str = "-"
) -> StateFromOtherBrowser:
    return StateFromOtherBrowser(
        "the launch's state was issued to another browser, or the browser blocked the "
        "tool's cookie: open the tool in a new window",
        issuer=issuer,
        client_id=client_id,
        cookie=cookie,
    )
