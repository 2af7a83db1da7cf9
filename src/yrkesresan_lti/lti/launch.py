"""The launch request (the platform's form_post to the tool): state, browser binding, id_token.

:class:`LaunchFlow` is what a web layer calls with the posted form and the binding value the
browser echoed (a cookie set at login); it returns the validated :class:`LaunchContext`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TypeGuard

from yrkesresan_lti.exceptions import BadState, MalformedRequest, StateFromOtherBrowser
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.login import binding_hash, find_platform
from yrkesresan_lti.lti.sealed_state import SealedState, StateSeal
from yrkesresan_lti.lti.stores import LaunchStateStore, NonceStore, RegisteredNonceStore
from yrkesresan_lti.lti.validation import IdTokenValidator, IssuedState
from yrkesresan_lti.untrusted import same_secret

MAX_STATE_LENGTH = 200


class LaunchFlow:
    """Checks the posted ``state`` against the store (or, with a :class:`StateSeal`, against
    the sealed binding), then the ``id_token``."""

    def __init__(
        self,
        states: LaunchStateStore,
        validator: IdTokenValidator,
        *,
        seal: StateSeal | None = None,
    ) -> None:
        self._states = states
        self.validator = validator
        self._seal = seal

    def complete(self, form: Mapping[str, str], browser_binding: str | None) -> LaunchContext:
        if form.get("error"):
            raise MalformedRequest(
                f"the platform answered with error {form['error'][:60]!r} instead of a launch",
                platform_error=form["error"][:60],
            )
        missing = [name for name in ("state", "id_token") if not form.get(name)]
        if missing:
            raise MalformedRequest(
                f"the launch lacks {', '.join(missing)}", missing=", ".join(missing)
            )
        state = form["state"]
        if len(state) > MAX_STATE_LENGTH:
            raise BadState("the launch's state is too long to be ours")
        issued = (
            self._stored(state, browser_binding)
            if self._seal is None
            else self._sealed(self._seal.open(state, browser_binding))
        )
        return self.validator.validate(form["id_token"], issued)

    def _sealed(self, sealed: SealedState) -> IssuedState:
        """The opened seal, used once: its nonce is consumed now, before the id_token's
        checks, so a second post of the state is refused even when the first one was."""
        # The nonce need only be remembered while its seal can be opened: a replayed
        # id_token needs an unexpired seal of its nonce, and every login seals a new one.
        ttl = max(sealed.expires_at - int(self.validator.seconds()), 0) + self.validator.leeway
        nonces = self.validator.nonces
        won: bool | None = None
        if _looks_up_platforms(nonces):  # with the platform's look-up
            won = nonces.consume_if_registered(sealed.issuer, sealed.client_id, sealed.nonce, ttl)
            if won is None:  # not registered: refused as the look-up refuses it, unconsumed
                find_platform(self.validator.platforms, sealed.issuer, sealed.client_id)
        if won is None:
            won = nonces.consume(sealed.issuer, sealed.nonce, ttl)
        if not won:
            raise BadState(
                "the launch's state was already used: start again from the LMS",
                issuer=sealed.issuer,
                client_id=sealed.client_id,
            )
        return IssuedState(sealed.issuer, sealed.client_id, sealed.nonce, nonce_consumed=True)

    def _stored(self, state: str, browser_binding: str | None) -> IssuedState:
        record = self._states.pop(state)
        if record is None:
            raise BadState(
                "the launch's state is unknown, expired or already used: start again from the LMS"
            )
        expected = str(record.get("binding") or "")
        echoed = binding_hash(browser_binding) if browser_binding else ""
        if not expected or not same_secret(echoed, expected):
            raise StateFromOtherBrowser(
                "the launch's state was issued to another browser, or the browser blocked the "
                "tool's cookie: open the tool in a new window",
                issuer=str(record.get("issuer", "-")),
                client_id=str(record.get("client_id", "-")),
                cookie="missing" if browser_binding is None else "different",
            )
        return IssuedState(
            issuer=str(record["issuer"]),
            client_id=str(record["client_id"]),
            nonce=str(record["nonce"]),
        )


def _looks_up_platforms(nonces: NonceStore) -> TypeGuard[RegisteredNonceStore]:
    """``isinstance(nonces, RegisteredNonceStore)``, answered once per class: the protocol's
    ``isinstance`` inspects its members anew on every call (≈ 10 µs a launch)."""
    return _registered_class(type(nonces))


@functools.cache
def _registered_class(store: type) -> bool:
    return issubclass(store, RegisteredNonceStore)
