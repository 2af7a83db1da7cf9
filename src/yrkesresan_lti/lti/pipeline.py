"""The whole launch pipeline of a tool in one object: OIDC login, then state + id_token checks.

A web layer needs three things to take LTI 1.3 launches: :class:`OidcLogin` (answers the
login initiation), :class:`LaunchFlow` (checks the posted state and browser binding, then
the id_token with :class:`IdTokenValidator`), and the :class:`JwksCache` of the platforms'
keys. :meth:`LaunchValidator.from_stores` wires them from the stores::

    validator = LaunchValidator.from_stores(
        platforms=platforms, states=states, nonces=nonces, tool_base_url="https://tool.example"
    )
    redirect = validator.login.start(LoginRequest.from_params(login_params))
    ...  # the browser goes to the platform and posts back to /lti/launch
    context = validator.complete(posted_form, browser_binding)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import requests

from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.jwks_cache import JwksCache
from yrkesresan_lti.lti.launch import LaunchFlow
from yrkesresan_lti.lti.login import LoginRedirect, LoginRequest, OidcLogin
from yrkesresan_lti.lti.platform_cache import CachedPlatformLookup
from yrkesresan_lti.lti.sealed_state import StateSeal
from yrkesresan_lti.lti.stores import LaunchStateStore, NonceStore, PlatformStore
from yrkesresan_lti.lti.validation import IdTokenValidator

LAUNCH_PATH = "/lti/launch"
"""Where the platform posts the launch, under the tool's base URL (the adapter's endpoint)."""


@dataclass(frozen=True)
class LaunchValidator:
    """Login and launch checks of one tool, wired to its stores."""

    login: OidcLogin
    flow: LaunchFlow
    jwks: JwksCache

    @classmethod
    def from_stores(
        cls,
        *,
        platforms: PlatformStore,
        states: LaunchStateStore,
        nonces: NonceStore,
        tool_base_url: str,
        launch_platforms: PlatformStore | None = None,
        http: requests.Session | None = None,
        redirect_uri: str | None = None,
        state_seal: StateSeal | None = None,
    ) -> LaunchValidator:
        """The pipeline over the platform, launch-state and nonce stores.

        The login looks platforms up through a short per-process cache; the launch reads
        ``launch_platforms`` (default: ``platforms`` itself, uncached), so a deactivated
        deployment is refused by the very next launch. ``http`` fetches the platforms' key
        sets; ``redirect_uri`` defaults to the tool's ``/lti/launch``. With ``state_seal``
        the login stores no state: it seals it into the browser binding
        (:mod:`~yrkesresan_lti.lti.sealed_state`), and ``states`` is not used.
        """
        base = tool_base_url
        jwks = JwksCache(http or requests.Session())
        validator = IdTokenValidator(
            launch_platforms or platforms, nonces, jwks, tool_base_url=base
        )
        login = OidcLogin(
            CachedPlatformLookup(platforms),
            states,
            tool_base_url=base,
            redirect_uri=redirect_uri or base + LAUNCH_PATH,
            seal=state_seal,
        )
        flow = LaunchFlow(states, validator, seal=state_seal)
        return cls(login=login, flow=flow, jwks=jwks)

    def start(self, login: LoginRequest) -> LoginRedirect:
        """Answer a login initiation: where to send the browser, and its binding cookie."""
        return self.login.start(login)

    def complete(self, form: Mapping[str, str], browser_binding: str | None) -> LaunchContext:
        """Check a posted launch (state, binding, id_token) and return who launched what."""
        return self.flow.complete(form, browser_binding)
