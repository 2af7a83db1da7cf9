"""OIDC login initiation (third-party initiated login, LTI 1.3 §5.1.1).

The state and nonce live in a :class:`LaunchStateStore` (database or Redis), not in a
cookie session, so any worker can finish a launch another one started. The state is also
bound to the browser: a random *binding* value goes to the browser as a cookie and only its
hash is stored; the launch must echo it (:class:`StateFromOtherBrowser` otherwise). With a
:class:`~yrkesresan_lti.lti.sealed_state.StateSeal` nothing is stored: the binding is the
sealed record itself (see that module).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

from yrkesresan_lti.exceptions import (
    AmbiguousPlatform,
    ForeignTargetLinkUri,
    InactiveDeployment,
    MalformedRequest,
    UnknownIssuer,
)
from yrkesresan_lti.lti.sealed_state import StateSeal
from yrkesresan_lti.lti.stores import LaunchStateStore, PlatformRegistration, PlatformStore

STATE_TTL_SECONDS = 600
MAX_PARAM_LENGTH = 4096


def binding_hash(binding: str) -> str:
    """The hash of a browser binding kept with the state (the value is only in the cookie)."""
    return hashlib.sha256(binding.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoginRequest:
    """The parameters an LMS sends to the login URL (GET query or POST form)."""

    iss: str
    login_hint: str
    target_link_uri: str
    client_id: str | None = None
    lti_message_hint: str | None = None
    lti_deployment_id: str | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> LoginRequest:
        """The login from its parameters; ``MalformedRequest`` if one is missing or too long."""
        missing = [n for n in ("iss", "login_hint", "target_link_uri") if not params.get(n)]
        if missing:
            raise MalformedRequest(
                f"the login request lacks {', '.join(missing)}: check the tool's login URL",
                missing=", ".join(missing),
            )
        too_long = [n for n, v in params.items() if len(v) > MAX_PARAM_LENGTH]
        if too_long:
            raise MalformedRequest(
                f"login parameter(s) too long: {', '.join(sorted(too_long))}",
                too_long=", ".join(sorted(too_long)),
            )
        return cls(
            iss=params["iss"],
            login_hint=params["login_hint"],
            target_link_uri=params["target_link_uri"],
            client_id=params.get("client_id") or None,
            lti_message_hint=params.get("lti_message_hint") or None,
            lti_deployment_id=params.get("lti_deployment_id") or None,
        )


@dataclass(frozen=True)
class LoginRedirect:
    """Where to send the browser, and the binding value to give it as a cookie."""

    url: str
    state: str
    browser_binding: str


def is_our_uri(uri: str, tool_base_url: str) -> bool:
    """True when ``uri`` is the tool's base URL or lies under it (same scheme/host/port)."""
    base = tool_base_url.rstrip("/")
    return uri.rstrip("/") == base or uri.startswith(base + "/")


def find_platform(
    platforms: PlatformStore, issuer: str, client_id: str | None
) -> PlatformRegistration:
    """The registration for the issuer (and client_id); ``UnknownPlatform`` if there is none."""
    try:
        registration = platforms.find(issuer, client_id)
    except AmbiguousPlatform as err:
        raise UnknownIssuer(str(err), issuer=issuer, client_id=client_id or "-") from err
    if registration is None:
        raise UnknownIssuer(
            f"no platform is registered for issuer {issuer} and client_id {client_id or '-'}:"
            " register it with `yrkesresan platform add`",
            issuer=issuer,
            client_id=client_id or "-",
        )
    return registration


def require_active(registration: PlatformRegistration, deployment_id: str) -> None:
    """Raise ``DeploymentNotActive`` unless the deployment is registered and active."""
    deployment = registration.deployment(deployment_id)
    if deployment is None or not deployment.active:
        raise InactiveDeployment(
            f"deployment {deployment_id} of client {registration.client_id} is "
            f"{'not active' if deployment else 'unknown'}: activate it with "
            f"`yrkesresan platform activate-deployment`",
            issuer=registration.issuer,
            client_id=registration.client_id,
            deployment_id=deployment_id,
            known="yes" if deployment else "no",
        )


class OidcLogin:
    """Answers a login initiation with the redirect to the platform's authorization URL."""

    def __init__(
        self,
        platforms: PlatformStore,
        states: LaunchStateStore,
        *,
        tool_base_url: str,
        redirect_uri: str,
        token_factory: Callable[[], str] = lambda: secrets.token_urlsafe(24),
        state_ttl_seconds: int = STATE_TTL_SECONDS,
        seal: StateSeal | None = None,
    ) -> None:
        self._platforms = platforms
        self._seal = seal
        self._states = states
        self._base = tool_base_url
        self._redirect_uri = redirect_uri
        self._token = token_factory
        self._ttl = state_ttl_seconds

    def check(self, login: LoginRequest) -> PlatformRegistration:
        """The login's checks (platform, deployment, target) without issuing a state."""
        registration = find_platform(self._platforms, login.iss, login.client_id)
        if login.lti_deployment_id is not None:
            require_active(registration, login.lti_deployment_id)
        if not is_our_uri(login.target_link_uri, self._base):
            raise ForeignTargetLinkUri(
                f"target_link_uri {login.target_link_uri} is not under {self._base}: "
                "set the tool URL in the LMS to the tool's base URL",
                target_link_uri=login.target_link_uri,
                base_url=self._base,
            )
        return registration

    def start(self, login: LoginRequest) -> LoginRedirect:
        """Check the login, issue a new state (stored, or sealed into the binding); where to
        send the browser, and its binding."""
        registration = self.check(login)
        state, nonce = self._token(), self._token()
        if self._seal is not None:
            binding = self._seal.seal(state, registration.issuer, registration.client_id, nonce)
        else:
            binding = self._token()
            record: dict[str, Any] = {
                "issuer": registration.issuer,
                "client_id": registration.client_id,
                "nonce": nonce,
                "binding": binding_hash(binding),
            }
            self._states.put(state, record, self._ttl)
        query = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": registration.client_id,
            "redirect_uri": self._redirect_uri,
            "login_hint": login.login_hint,
            "state": state,
            "nonce": nonce,
        }
        if login.lti_message_hint is not None:
            query["lti_message_hint"] = login.lti_message_hint
        return LoginRedirect(
            url=_with_query(registration.auth_login_url, query),
            state=state,
            browser_binding=binding,
        )


def _with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` added to its query: the string of ``urlunsplit`` with the
    ``urlencode`` of its own pairs and ``params``, built with less work (every login)."""
    parts, query = _split_login_url(url)
    added = "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in params.items())
    return urlunsplit(
        parts._replace(query=f"{query}&{added}" if query and added else query or added)
    )


@functools.lru_cache(maxsize=64)
def _split_login_url(url: str) -> tuple[SplitResult, str]:
    """A platform's login URL split, and its own query encoded as ``urlencode`` encodes it
    (once per URL: the registrations are few)."""
    parts = urlsplit(url)
    return parts, urlencode(parse_qsl(parts.query, keep_blank_values=True))


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")
"""The characters ``quote_plus`` leaves as they are."""


def _quoted(text: str) -> str:
    """``quote_plus(text)``, without its three calls for the plain text most values are."""
    return text if _PLAIN.fullmatch(text) else quote_plus(text)
