"""The launch request (the platform's form_post to the tool): state, browser binding, id_token.

:class:`LaunchFlow` is what a web layer calls with the posted form and the binding value the
browser echoed (a cookie set at login); it returns the validated :class:`LaunchContext`.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from yrkesresan_lti.exceptions import BadState, MalformedRequest, StateFromOtherBrowser
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.login import binding_hash
from yrkesresan_lti.lti.stores import LaunchStateStore
from yrkesresan_lti.lti.validation import IdTokenValidator, IssuedState

MAX_STATE_LENGTH = 200


class LaunchFlow:
    """Checks the posted ``state`` against the store, then the ``id_token``."""

    def __init__(self, states: LaunchStateStore, validator: IdTokenValidator) -> None:
        self._states = states
        self.validator = validator

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
        record = self._states.pop(state)
        if record is None:
            raise BadState(
                "the launch's state is unknown, expired or already used: start again from the LMS"
            )
        expected = str(record.get("binding") or "")
        echoed = binding_hash(browser_binding) if browser_binding else ""
        if not expected or not hmac.compare_digest(expected, echoed):
            raise StateFromOtherBrowser(
                "the launch's state was issued to another browser, or the browser blocked the "
                "tool's cookie: open the tool in a new window",
                issuer=str(record.get("issuer", "-")),
                client_id=str(record.get("client_id", "-")),
                cookie="missing" if browser_binding is None else "different",
            )
        issued = IssuedState(
            issuer=str(record["issuer"]),
            client_id=str(record["client_id"]),
            nonce=str(record["nonce"]),
        )
        return self.validator.validate(form["id_token"], issued)
