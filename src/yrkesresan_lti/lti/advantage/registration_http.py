"""HTTP for Dynamic Registration: checked URLs, no redirects, capped answers, typed errors.

The configuration URL comes from an unauthenticated request, so in production only HTTPS
hosts on public addresses are called (no requests into the tool's own network), redirects
are not followed and answers are capped at :data:`MAX_RESPONSE_BYTES`.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from yrkesresan_lti.exceptions import RegistrationError
from yrkesresan_lti.lti.advantage.service_token import DEFAULT_TIMEOUT

MAX_RESPONSE_BYTES = 1024 * 1024


def resolve_host(host: str) -> list[str]:
    """The IP addresses ``host`` resolves to."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


class RegistrationHttp:
    def __init__(
        self,
        *,
        production: bool = False,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        resolver: Callable[[str], list[str]] = resolve_host,
    ) -> None:
        self._production = production
        self._session = session or requests.Session()
        self._timeout = timeout
        self._resolve = resolver

    def check_url(self, name: str, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RegistrationError(
                f"{name} är ingen webbadress: {url!r}. Starta registreringen från "
                "lärplattformen igen. (Not an http(s) URL.)"
            )
        if self._production and parts.scheme != "https":
            raise RegistrationError(
                f"{name} ({url}) använder inte HTTPS. I produktion registreras bara plattformar "
                "som nås över HTTPS. (HTTPS is required in production.)"
            )
        if self._production:
            self._check_public(name, parts.hostname or "")

    def _check_public(self, name: str, host: str) -> None:
        """In production, refuse internal addresses: the URL comes from an unauthenticated
        request, and must not make the tool call into its own network (SSRF)."""
        try:
            addresses = [ipaddress.ip_address(a) for a in self._resolve(host)]
        except (OSError, ValueError) as err:
            raise RegistrationError(
                f"{name}: värden {host} finns inte (DNS). Kontrollera adressen. (Unknown host.)"
            ) from err
        if not addresses or not all(a.is_global for a in addresses):
            raise RegistrationError(
                f"{name}: {host} pekar på en intern adress; i produktion registreras bara "
                "plattformar på internet. (Internal addresses are refused in production.)"
            )

    def call(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        what: str,
        json_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            response = self._session.request(
                method,
                url,
                headers=headers,
                json=json_body,
                timeout=self._timeout,
                allow_redirects=False,
                stream=True,
            )
            raw = _read_capped(response)
        except requests.Timeout as err:
            raise RegistrationError(
                f"Plattformen svarade inte inom {self._timeout[1]:g} s på {what} ({url}). Försök "
                "igen om en stund; inget har sparats. (The platform timed out.)"
            ) from err
        except requests.RequestException as err:
            raise RegistrationError(
                f"Plattformen gick inte att nå för {what} ({url}): {type(err).__name__}. "
                "Inget har sparats. (The platform cannot be reached.)"
            ) from err
        if response.status_code >= 300:
            hint = (
                " Registreringstoken kan ha gått ut: starta om registreringen i lärplattformen."
                if response.status_code in (401, 403)
                else ""
            )
            raise RegistrationError(
                f"Plattformen svarade {response.status_code} på {what} ({url}); inget har "
                f"sparats.{hint} (The platform refused the request.)"
            )
        try:
            body = json.loads(raw)
        except ValueError as err:
            raise RegistrationError(
                f"Plattformens svar på {what} var inte JSON. (Not JSON.)"
            ) from err
        if not isinstance(body, dict):
            raise RegistrationError(f"Plattformens svar på {what} har fel form. (Not an object.)")
        return body


def _read_capped(response: requests.Response) -> bytes:
    body = b""
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            response.close()
            raise RegistrationError(
                "Plattformens svar är för stort för en registrering. (Response too large.)"
            )
    return body
