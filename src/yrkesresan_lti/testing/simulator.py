"""A simulated LTI 1.3 platform (an LMS like Moodle 4.5) for tests and the demo.

It has its own RSA key and JWKS, registers itself in a :class:`PlatformStore`, signs
id_tokens shaped like Moodle's, and drives login → launch the way a browser does: POST the
login form to the tool, follow the redirect to the simulator's authorization endpoint, and
answer with the auto-submitting ``form_post`` of ``id_token`` and ``state``.

The simulator keeps no per-login state: what to launch travels in ``lti_message_hint``
(opaque to the tool, which must pass it back unchanged), so any process holding the same
key can answer the authorization request. Framework-free: a :class:`Browser` is anything
that can POST a form and report status, headers and body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import PlatformSimulatorError
from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration, PlatformStore, SigningKey
from yrkesresan_lti.testing.claims import USERS, SimLaunch, SimUser, build_claims

_AUTH_FIXED = {
    "scope": "openid",
    "response_type": "id_token",
    "response_mode": "form_post",
    "prompt": "none",
}


@dataclass(frozen=True)
class BrowserResponse:
    """What a browser got back: status, headers and body."""

    status: int
    headers: Mapping[str, str]
    text: str = ""

    @property
    def location(self) -> str | None:
        """The ``Location`` header, if any."""
        return self.header("Location")

    @property
    def page_url(self) -> str | None:
        """The URL of the page this answer leads to: the ``Location`` of a redirect, else the
        ``Content-Location`` of a page served in the answer (the tool's first page)."""
        return self.location or self.header("Content-Location")

    def header(self, wanted: str) -> str | None:
        """The header ``wanted`` (any case), if any."""
        for name, value in self.headers.items():
            if name.lower() == wanted.lower():
                return value
        return None


class Browser(Protocol):
    """A browser (or HTTP client with a cookie jar) that does not follow redirects itself."""

    def post_form(self, url: str, fields: Mapping[str, str]) -> BrowserResponse:
        """POST the form fields to the URL; the answer as is (redirects are not followed)."""
        ...


@dataclass(frozen=True)
class FormPost:
    """A form the browser submits (the login initiation, or the id_token form_post)."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)

    def html(self, title: str = "Skickar vidare…") -> str:
        """An auto-submitting HTML form, as a platform answers with ``form_post``."""
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in self.fields.items()
        )
        return (
            f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
            f'</head><body onload="document.forms[0].submit()">'
            f'<form method="post" action="{html.escape(self.action)}">{inputs}'
            f'<noscript><p>JavaScript är avstängt.</p></noscript><button type="submit">'
            f"Fortsätt</button></form></body></html>"
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class PlatformSimulator:
    """One simulated LMS: issuer, client_id and deployment of the tool registration."""

    def __init__(
        self,
        *,
        issuer: str,
        tool_url: str,
        client_id: str = "yrkesresan-simulator",
        deployment_id: str = "1",
        key: SigningKey | None = None,
        services_url: str | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.tool_url = tool_url.rstrip("/")
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.key = key or generate_signing_key()
        self.services_url = (services_url or self.issuer).rstrip("/")
        self.clock = clock
        self._private = serialization.load_pem_private_key(
            self.key.private_key_pem.encode(), password=None
        )

    # --- the platform's registration and keys ------------------------------------------
    @property
    def auth_login_url(self) -> str:
        """The platform's OIDC authorization endpoint."""
        return f"{self.issuer}/auth"

    @property
    def key_set_url(self) -> str:
        """The platform's public key set."""
        return f"{self.issuer}/jwks.json"

    @property
    def redirect_uri(self) -> str:
        """Where the platform posts the launch (the tool's ``/lti/launch``)."""
        return f"{self.tool_url}/lti/launch"

    def jwks(self) -> dict[str, Any]:
        """The platform's public key set."""
        return {"keys": [dict(self.key.public_jwk)]}

    def registration(self, *, active: bool = True) -> PlatformRegistration:
        """The platform as the tool registers it, with its one deployment."""
        return PlatformRegistration(
            issuer=self.issuer,
            client_id=self.client_id,
            name="Simulerad plattform (demo)",
            auth_login_url=self.auth_login_url,
            auth_token_url=f"{self.issuer}/token",
            key_set_url=self.key_set_url,
            deployments=(Deployment(self.deployment_id, active=active),),
        )

    def register(self, store: PlatformStore, *, active: bool = True) -> PlatformRegistration:
        """Register (issuer, client_id, deployment) unless already registered."""
        existing = store.find(self.issuer, self.client_id)
        return existing or store.save(self.registration(active=active))

    # --- users and tokens ------------------------------------------------------------------
    def user(self, name: str) -> SimUser | None:
        """The user ``name`` of a :class:`SimLaunch` (the presets of :data:`USERS`; a
        platform with people of its own, like the seeded demo year's LMSs, knows more)."""
        return USERS.get(name)

    def claims(self, launch: SimLaunch, *, nonce: str) -> dict[str, Any]:
        """The id_token claims of a simulated launch, shaped like Moodle 4.5's."""
        user = self.user(launch.user)
        if user is None:
            raise PlatformSimulatorError(f"unknown simulated user {launch.user!r}: {set(USERS)}")
        return build_claims(
            issuer=self.issuer,
            client_id=self.client_id,
            deployment_id=self.deployment_id,
            services_url=self.services_url,
            target_link_uri=self.tool_url,
            launch=launch,
            user=user,
            nonce=nonce,
            now=int(self.clock.now().timestamp()),
        )

    def sign(
        self,
        claims: Mapping[str, Any],
        *,
        alg: str = "RS256",
        header: Mapping[str, Any] | None = None,
        hmac_key: bytes = b"",
    ) -> str:
        """A compact JWS. ``alg`` may be ``none`` or ``HS256`` (with ``hmac_key``) to forge
        the tokens a tool must refuse."""
        head = {"typ": "JWT", "alg": alg, "kid": self.key.kid, **(header or {})}
        signing_input = (
            _b64(json.dumps(head).encode()) + "." + _b64(json.dumps(dict(claims)).encode())
        )
        if alg == "RS256":
            if not isinstance(self._private, rsa.RSAPrivateKey):
                raise PlatformSimulatorError("the simulator's key is not an RSA key")
            raw = self._private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        elif alg == "HS256":
            raw = hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
        else:
            raw = b""
        return f"{signing_input}.{_b64(raw)}"

    def public_key_pem(self) -> bytes:
        """The platform's public key, PEM."""
        return self._private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    # --- the OIDC flow -----------------------------------------------------------------------
    def login_form(
        self, login_url: str, launch: SimLaunch | None = None, *, storage_target: str | None = None
    ) -> FormPost:
        """The login initiation Moodle POSTs (``target_link_uri`` = the bare tool URL).

        Like Moodle 4.5 it carries no ``lti_storage_target`` unless ``storage_target`` names
        the frame of the platform's storage (LTI Platform Storage, as Canvas offers it)."""
        launch = launch or SimLaunch()
        user = self.user(launch.user)
        fields = {
            "iss": self.issuer,
            "target_link_uri": self.tool_url,
            "login_hint": user.sub if user is not None else launch.user,
            "lti_message_hint": json.dumps(launch.hint(), separators=(",", ":")),
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }
        if storage_target is not None:
            fields["lti_storage_target"] = storage_target
        return FormPost(action=login_url, fields=fields)

    def authorize(
        self,
        query: Mapping[str, str],
        *,
        tamper: Callable[[dict[str, Any]], None] | None = None,
    ) -> FormPost:
        """Answer an authentication request like the LMS's auth endpoint does."""
        for name, value in _AUTH_FIXED.items():
            if query.get(name) != value:
                raise PlatformSimulatorError(f"auth request: {name} must be {value!r}")
        if query.get("client_id") != self.client_id:
            raise PlatformSimulatorError("auth request: wrong client_id")
        if query.get("redirect_uri") != self.redirect_uri:
            raise PlatformSimulatorError(f"auth request: redirect_uri must be {self.redirect_uri}")
        for name in ("login_hint", "state", "nonce", "lti_message_hint"):
            if not query.get(name):
                raise PlatformSimulatorError(f"auth request: {name} is missing")
        try:
            launch = SimLaunch.from_hint(json.loads(query["lti_message_hint"]))
        except (ValueError, KeyError, TypeError) as err:
            raise PlatformSimulatorError("auth request: lti_message_hint was changed") from err
        user = self.user(launch.user)
        if user is None or user.sub != query["login_hint"]:
            raise PlatformSimulatorError("auth request: login_hint does not match the hint")
        claims = self.claims(launch, nonce=query["nonce"])
        if tamper is not None:
            tamper(claims)
        token = self.sign(claims)
        return FormPost(
            action=query["redirect_uri"], fields={"id_token": token, "state": query["state"]}
        )

    def start(
        self, browser: Browser, login_url: str, launch: SimLaunch | None = None
    ) -> dict[str, str]:
        """POST the login form; return the tool's authentication request (query) it redirected
        to. Raises :class:`PlatformSimulatorError` when the tool did not redirect here."""
        response = browser.post_form(login_url, self.login_form(login_url, launch).fields)
        location = response.location or ""
        if response.status not in (302, 303) or not location.startswith(self.auth_login_url):
            raise PlatformSimulatorError(
                f"the tool answered the login with {response.status}, not a redirect to "
                f"{self.auth_login_url}"
            )
        return dict(parse_qsl(urlsplit(location).query, keep_blank_values=True))

    def launch(
        self,
        browser: Browser,
        login_url: str,
        launch: SimLaunch | None = None,
        *,
        tamper: Callable[[dict[str, Any]], None] | None = None,
    ) -> BrowserResponse:
        """The whole flow; returns the tool's answer to the launch (a redirect when valid)."""
        query = self.start(browser, login_url, launch)
        post = self.authorize(query, tamper=tamper)
        return browser.post_form(post.action, post.fields)
