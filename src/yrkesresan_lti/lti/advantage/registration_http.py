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

import requests

from yrkesresan_lti.exceptions import RegistrationError
from yrkesresan_lti.lti.advantage.service_token import DEFAULT_TIMEOUT
from yrkesresan_lti.untrusted import http_url

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
        parts = http_url(url)
        if parts is None:  # not http(s), no host, "http://[", a port out of range …
            raise RegistrationError(
                f"{name} is not an http(s) URL: {url[:200]!r}. Start the registration from the "
                "platform again.",
                reason="not_url",
                name=name,
                url=repr(url[:200]),
            )
        if self._production and parts.scheme != "https":
            raise RegistrationError(
                f"{name} ({url}) does not use HTTPS; in production only platforms reached over "
                "HTTPS are registered.",
                reason="not_https",
                name=name,
                url=url,
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
                f"{name}: the host {host} does not exist (DNS); check the URL.",
                reason="unknown_host",
                name=name,
                host=host,
            ) from err
        if not addresses or not all(a.is_global for a in addresses):
            raise RegistrationError(
                f"{name}: {host} points at an internal address; in production only platforms "
                "on the internet are registered.",
                reason="internal_address",
                name=name,
                host=host,
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
            seconds = f"{self._timeout[1]:g}"
            raise RegistrationError(
                f"The platform did not answer the {what} request ({url}) within {seconds} s; "
                "nothing was stored. Try again in a while.",
                reason="timeout",
                what=what,
                url=url,
                seconds=seconds,
            ) from err
        except requests.RequestException as err:
            raise RegistrationError(
                f"The platform cannot be reached for the {what} request ({url}): "
                f"{type(err).__name__}. Nothing was stored.",
                reason="unreachable",
                what=what,
                url=url,
                error=type(err).__name__,
            ) from err
        if response.status_code >= 300:
            expired = response.status_code in (401, 403)
            hint = (
                " The registration token may have expired: restart the registration in the "
                "platform."
                if expired
                else ""
            )
            raise RegistrationError(
                f"The platform answered {response.status_code} to the {what} request ({url}); "
                f"nothing was stored.{hint}",
                reason="token_expired" if expired else "refused",
                status=str(response.status_code),
                what=what,
                url=url,
            )
        try:
            body = json.loads(raw)
        except ValueError as err:
            raise RegistrationError(
                f"The platform's answer to the {what} request is not JSON.",
                reason="not_json",
                what=what,
            ) from err
        if not isinstance(body, dict):
            raise RegistrationError(
                f"The platform's answer to the {what} request is not a JSON object.",
                reason="not_object",
                what=what,
            )
        return body


def _read_capped(response: requests.Response) -> bytes:
    body = b""
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            response.close()
            raise RegistrationError(
                "The platform's answer is too large for a registration.", reason="too_large"
            )
    return body
