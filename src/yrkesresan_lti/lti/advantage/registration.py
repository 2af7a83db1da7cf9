"""LTI Dynamic Registration (1EdTech): the tool registers itself with the LMS.

1. The LMS opens ``/lti/register?openid_configuration=…&registration_token=…``.
2. :meth:`DynamicRegistration.fetch_configuration` reads and checks the platform's
   OpenID configuration (the issuer must be the URL's origin; HTTPS in production).
3. :meth:`DynamicRegistration.register` POSTs our client registration with the token as
   bearer, and only when the platform accepted it stores the platform registration and its
   deployment in one ``PlatformStore.save`` call: nothing is half-stored on failure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import requests

from yrkesresan_lti.exceptions import RegistrationError, YrkesresanError
from yrkesresan_lti.lti.advantage.ags import ALL_SCOPES
from yrkesresan_lti.lti.advantage.nrps import SCOPE_MEMBERSHIPS
from yrkesresan_lti.lti.advantage.registration_http import RegistrationHttp, resolve_host
from yrkesresan_lti.lti.advantage.service_token import DEFAULT_TIMEOUT
from yrkesresan_lti.lti.advantage.tool_config import registration_document
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls
from yrkesresan_lti.lti.advantage.urls import origin
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration, PlatformStore
from yrkesresan_lti.untrusted import MAX_IDENTIFIER, MAX_URL, usable_text

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_SCOPES = (*ALL_SCOPES, SCOPE_MEMBERSHIPS)
MAX_PRODUCT = 64
"""The longest ``product_family_code`` (``moodle``, ``canvas`` …)."""


@dataclass(frozen=True)
class PlatformConfiguration:
    """The platform's OpenID configuration, as read during dynamic registration."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    registration_endpoint: str
    product_family_code: str
    raw: Mapping[str, Any]

    @property
    def is_canvas(self) -> bool:
        """True when the platform says it is Canvas (``product_family_code``)."""
        return self.product_family_code == "canvas"

    @property
    def leaves_tool_pending(self) -> bool:
        """Moodle adds dynamically registered tools as 'pending' until an admin activates them."""
        return self.product_family_code == "moodle"


@dataclass(frozen=True)
class RegistrationOutcome:
    """What a dynamic registration stored: the platform, its deployment, and whether an
    admin still has to activate the tool in the LMS (``pending``, as Moodle does)."""

    registration: PlatformRegistration
    deployment_id: str | None
    pending: bool
    product_family_code: str


class DynamicRegistration:
    """LTI Dynamic Registration 1.0, the tool's side: read the platform's configuration,
    post the tool's, and store the registration and deployment the platform answers with."""

    def __init__(
        self,
        urls: ToolUrls,
        store: PlatformStore,
        *,
        production: bool = False,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        resolver: Callable[[str], list[str]] = resolve_host,
    ) -> None:
        self._urls = urls
        self._store = store
        self._http = RegistrationHttp(
            production=production, session=session, timeout=timeout, resolver=resolver
        )

    def run(
        self, openid_configuration_url: str, registration_token: str | None
    ) -> RegistrationOutcome:
        """The whole registration: read the platform's configuration, then register the tool."""
        config = self.fetch_configuration(openid_configuration_url, registration_token)
        return self.register(config, registration_token)

    def fetch_configuration(
        self, url: str, registration_token: str | None = None
    ) -> PlatformConfiguration:
        """Read and check the platform's OpenID configuration (``openid_configuration`` URL)."""
        self._http.check_url("openid_configuration", url)
        headers = {"Accept": "application/json"}
        if registration_token:
            headers["Authorization"] = f"Bearer {registration_token}"
        body = self._http.call("GET", url, headers=headers, what="configuration")
        issuer = _text(body, "issuer")
        self._http.check_url("issuer", issuer)  # before its origin is read
        if origin(issuer) != origin(url) or not url.startswith(issuer.rstrip("/")):
            raise RegistrationError(
                f"The configuration at {origin(url)} claims to come from {issuer}: the issuer "
                "must have the same origin as the URL. Registration cancelled.",
                reason="issuer_mismatch",
                origin=origin(url),
                issuer=issuer,
            )
        platform = body.get(PLATFORM_CONFIGURATION)
        product = platform.get("product_family_code") if isinstance(platform, dict) else None
        config = PlatformConfiguration(
            issuer=issuer,
            authorization_endpoint=_text(body, "authorization_endpoint"),
            token_endpoint=_text(body, "token_endpoint"),
            jwks_uri=_text(body, "jwks_uri"),
            registration_endpoint=_text(body, "registration_endpoint"),
            product_family_code=(
                _usable(product, "product_family_code", MAX_PRODUCT).lower()
                if product not in (None, "")
                else "unknown"
            ),
            raw=body,
        )
        for name in (
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "registration_endpoint",
        ):
            self._http.check_url(name, getattr(config, name))
        return config

    def tool_registration(self, config: PlatformConfiguration) -> dict[str, Any]:
        """The client registration we POST (Canvas gets its extra fields and placements)."""
        supported = config.raw.get("scopes_supported")
        scopes = [s for s in TOOL_SCOPES if not isinstance(supported, list) or s in supported]
        return registration_document(self._urls, scopes=scopes, canvas=config.is_canvas)

    def register(
        self, config: PlatformConfiguration, registration_token: str | None
    ) -> RegistrationOutcome:
        """Post the tool's configuration to the platform and store what it answers."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if registration_token:
            headers["Authorization"] = f"Bearer {registration_token}"
        answer = self._http.call(
            "POST",
            config.registration_endpoint,
            headers=headers,
            json_body=self.tool_registration(config),
            what="registration",
        )
        client_id = answer.get("client_id")
        if isinstance(client_id, bool) or not isinstance(client_id, str | int) or client_id == "":
            raise RegistrationError(
                "The platform's answer has no client_id; nothing was stored.",
                reason="no_client_id",
            )
        tool_config = answer.get(TOOL_CONFIGURATION)
        deployment = tool_config.get("deployment_id") if isinstance(tool_config, dict) else None
        deployment_id = (
            _usable(deployment, "deployment_id", MAX_IDENTIFIER, numbers=True)
            if deployment not in (None, "")
            else None
        )
        registration = self._merged(
            config, _usable(client_id, "client_id", MAX_IDENTIFIER, numbers=True), deployment_id
        )
        try:
            saved = self._store.save(registration)
        except YrkesresanError as err:
            raise RegistrationError(
                f"The registration could not be stored: {err}", reason="not_stored", error=str(err)
            ) from err
        return RegistrationOutcome(
            saved, deployment_id, config.leaves_tool_pending, config.product_family_code
        )

    def _merged(
        self, config: PlatformConfiguration, client_id: str, deployment_id: str | None
    ) -> PlatformRegistration:
        existing = self._store.find(config.issuer, client_id)
        deployments = {d.deployment_id: d for d in (existing.deployments if existing else ())}
        if deployment_id:
            deployments[deployment_id] = Deployment(deployment_id, active=True)
        host = urlsplit(config.issuer).hostname or config.issuer
        audience = config.raw.get("authorization_server")
        if isinstance(audience, str) and audience:
            audience = _usable(audience, "authorization_server", MAX_URL)
        fresh = PlatformRegistration(
            issuer=config.issuer,
            client_id=client_id,
            name=f"{config.product_family_code.capitalize()} {host}",
            auth_login_url=config.authorization_endpoint,
            auth_token_url=config.token_endpoint,
            key_set_url=config.jwks_uri,
            auth_audience=audience if isinstance(audience, str) and audience else None,
            deployments=tuple(deployments.values()),
            extra={
                "registered_by": "dynamic-registration",
                "product_family_code": config.product_family_code,
            },
        )
        if existing is None:
            return fresh
        return replace(
            fresh,
            id=existing.id,
            name=existing.name,
            send_names=existing.send_names,
            extra={**existing.extra, **fresh.extra},
        )


def _text(body: Mapping[str, Any], key: str) -> str:
    """The configuration's URL ``key``: present, a string, usable (:func:`_usable`)."""
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise RegistrationError(
            f"The platform's configuration lacks {key}; nothing was stored.",
            reason="missing_field",
            key=key,
        )
    return _usable(value, key, MAX_URL)


def _usable(value: object, key: str, limit: int, *, numbers: bool = False) -> str:
    """``value`` from the platform (its configuration or its answer) as text we may store:
    a string (or, with ``numbers``, an integer, as some platforms send ids) free of NUL and
    surrogates and at most ``limit`` characters. Anything else refuses the registration,
    naming the field, before anything reaches storage."""
    text = usable_text(value, limit, numbers=numbers)
    if text is None:
        raise RegistrationError(
            f"The platform's {key} cannot be used: not text, NUL or surrogate characters, or "
            f"longer than {limit} characters. Nothing was stored.",
            reason="invalid_field",
            key=key,
            limit=str(limit),
        )
    return text
