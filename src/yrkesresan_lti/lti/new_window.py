"""Launches from a cross-site frame whose browser blocks third-party cookies.

The login binds its ``state`` to the browser with a cookie (:mod:`~yrkesresan_lti.lti.login`).
Inside an LMS iframe on another site, Safari (by default), Firefox in strict mode and Chrome
with the setting drop that cookie, so the launch would end on
:class:`~yrkesresan_lti.exceptions.StateFromOtherBrowser`. When the platform offers LTI
Platform Storage (``lti_storage_target``) the binding goes there instead
(:mod:`~yrkesresan_lti.lti.advantage.platform_storage`); Moodle 4.5 does not offer it.

For those logins the web layer first checks that a cookie survives a round trip in the
frame: it answers the login with a page that sets :data:`CHECK_COOKIE` and posts the same
login again with :data:`CHECK_PARAM`. When the cookie came back, the login goes on as usual.
When it did not, the page explains and offers to open the same login in a new, top-level
window, where the tool's cookie is first-party. The state is still bound to the browser:
nothing here lets a launch through without its binding.

Fetch Metadata (``Sec-Fetch-Dest``, ``Sec-Fetch-Site``, sent by all current browsers) tells
a login in a cross-site frame from a top-level one, so top-level logins take no extra step.
"""

from __future__ import annotations

from dataclasses import dataclass

from yrkesresan_lti.lti.login import STATE_TTL_SECONDS, LoginRequest
from yrkesresan_lti.lti.stores import LaunchStateStore

CHECK_PARAM = "yr_cookie_check"
"""Marks the login posted back by the check page (a hint for the page flow, not a secret)."""
CHECK_COOKIE = "yr-lti-check"
RESTART_FIELDS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "client_id",
    "lti_message_hint",
    "lti_deployment_id",
)
_RESTART_PREFIX = "new-window-restart:"
_FRAMES = ("iframe", "frame")


@dataclass(frozen=True)
class FetchMetadata:
    """The browser's ``Sec-Fetch-Dest`` and ``Sec-Fetch-Site`` of a request (empty if absent)."""

    dest: str = ""
    site: str = ""

    @property
    def in_frame(self) -> bool:
        return self.dest.lower() in _FRAMES

    @property
    def cross_site_frame(self) -> bool:
        """A frame loaded from another site: the tool's cookies are third-party there."""
        return self.in_frame and self.site.lower() == "cross-site"


def login_fields(login: LoginRequest) -> dict[str, str]:
    """The login initiation's LTI parameters, to post again (in a new window)."""
    values = {
        "iss": login.iss,
        "login_hint": login.login_hint,
        "target_link_uri": login.target_link_uri,
        "client_id": login.client_id,
        "lti_message_hint": login.lti_message_hint,
        "lti_deployment_id": login.lti_deployment_id,
    }
    return {name: value for name, value in values.items() if value is not None}


class RestartStore:
    """The login initiation of a checked frame login, kept per OIDC state, so a launch that
    still arrives without the cookie can offer to restart that login in a new window."""

    def __init__(self, states: LaunchStateStore, *, ttl_seconds: int = STATE_TTL_SECONDS) -> None:
        self._states = states
        self._ttl = ttl_seconds

    def remember(self, state: str, login: LoginRequest) -> None:
        self._states.put(_RESTART_PREFIX + state, login_fields(login), self._ttl)

    def recall(self, state: str) -> LoginRequest | None:
        """The login of ``state`` (once), or None when none was remembered."""
        record = self._states.pop(_RESTART_PREFIX + state) if state else None
        if not record:
            return None
        fields = {k: str(v) for k, v in record.items() if k in RESTART_FIELDS and v}
        return LoginRequest.from_params(fields)
