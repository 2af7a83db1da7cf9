"""Authenticated calls to a platform's Advantage services, with typed errors.

Every failure becomes a :class:`~yrkesresan_lti.exceptions.PlatformServiceError` subclass
whose message tells the LMS administrator what to change (Moodle's menu names included,
since Moodle answers 401/400 when a service is switched off for the tool or the user
cannot be graded).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import requests

from yrkesresan_lti.exceptions import (
    PlatformServiceError,
    ServiceConflict,
    ServiceForbidden,
    ServiceNotEnabled,
    ServiceNotFound,
    ServiceRejected,
    ServiceUnavailable,
)
from yrkesresan_lti.lti.advantage.service_token import DEFAULT_TIMEOUT, ServiceTokenClient
from yrkesresan_lti.lti.stores import PlatformRegistration

Service = Literal["ags", "nrps"]

_MOODLE_TOOL = (
    "Moodle: Site administration → Plugins → Activity modules → External tool → "
    "Manage tools → the gear of Yrkesresan → Services"
)
_ENABLE_HINT: dict[Service, str] = {
    "ags": (
        f"Enable the grade service: {_MOODLE_TOOL} → 'IMS LTI Assignment and Grade Services' = "
        "'Use this service for grade sync and column management'. Check too that the user is "
        "a gradable student in the course. Canvas: enable the AGS scopes on the developer key."
    ),
    "nrps": (
        f"Enable the roster service: {_MOODLE_TOOL} → 'IMS LTI Names and Role Provisioning' = "
        "'Use this service to retrieve members' information as per privacy settings'. "
        "Canvas: enable the NRPS scope on the developer key."
    ),
}
_NAMES: dict[Service, str] = {"ags": "the grade service (AGS)", "nrps": "the roster (NRPS)"}


class ServiceSession:
    """Sends requests with a bearer token for the given scopes; retries once on a stale token."""

    def __init__(
        self,
        tokens: ServiceTokenClient,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.tokens = tokens
        self._session = session or requests.Session()
        self._timeout = timeout

    def request(
        self,
        platform: PlatformRegistration,
        method: str,
        url: str,
        *,
        scopes: Iterable[str],
        service: Service,
        accept: str,
        json_body: Mapping[str, Any] | None = None,
        content_type: str | None = None,
    ) -> requests.Response:
        scope_set = frozenset(scopes)
        response = self._send(
            platform, method, url, scope_set, service, accept, json_body, content_type
        )
        if response.status_code == 401:
            # The cached token may have been revoked early: fetch a fresh one once.
            self.tokens.invalidate(platform, scope_set)
            response = self._send(
                platform, method, url, scope_set, service, accept, json_body, content_type
            )
        raise_for_service_status(response, service, url)
        return response

    def _send(
        self,
        platform: PlatformRegistration,
        method: str,
        url: str,
        scopes: frozenset[str],
        service: Service,
        accept: str,
        json_body: Mapping[str, Any] | None,
        content_type: str | None,
    ) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {self.tokens.token(platform, scopes)}",
            "Accept": accept,
        }
        if content_type:
            headers["Content-Type"] = content_type
        try:
            return self._session.request(
                method,
                url,
                json=dict(json_body) if json_body is not None else None,
                headers=headers,
                timeout=self._timeout,
            )
        except requests.Timeout as err:
            raise ServiceUnavailable(
                f"{_cap(_NAMES[service])} ({url}) did not answer within "
                f"{self._timeout[1]:g} s; retrying later."
            ) from err
        except requests.RequestException as err:
            raise ServiceUnavailable(
                f"{_cap(_NAMES[service])} ({url}) cannot be reached: "
                f"{type(err).__name__}; retrying later."
            ) from err


def json_answer(response: requests.Response, what: str) -> Any:
    """The platform's JSON answer, or :class:`ServiceRejected` naming ``what`` when it is
    not JSON (an empty body, an HTML error page behind a 200)."""
    try:
        return response.json()
    except ValueError as err:  # requests' JSONDecodeError, a body that is not UTF-8
        raise ServiceRejected(f"{what} from the platform are not JSON.") from err


def raise_for_service_status(response: requests.Response, service: Service, url: str) -> None:
    """Map a platform's error status to the typed error an admin can act on."""
    status = response.status_code
    if status < 400:
        return
    name = _NAMES[service]
    detail = _detail(response)
    error: type[PlatformServiceError]
    if status in (400, 401):
        error, text = ServiceNotEnabled, f"The platform refused {name} ({status}{detail}). "
        text += _ENABLE_HINT[service]
    elif status == 403:
        error = ServiceForbidden
        text = f"The platform forbade {name} (403{detail}). " + _ENABLE_HINT[service]
    elif status == 404:
        error = ServiceNotFound
        text = (
            f"{_cap(name)} is no longer at {url} (404). The activity, the course or the line "
            "item may have been deleted; place the activity again."
        )
    elif status == 409:
        error = ServiceConflict
        text = f"The platform already holds a newer record for {name} (409{detail})."
    elif status >= 500 or status == 429:
        error = ServiceUnavailable
        text = f"{_cap(name)} answered {status}; retrying later."
    else:
        error = ServiceRejected
        text = (
            f"The platform rejected the request to {name} ({status}{detail}) for good; it is "
            "not sent again."
        )
    failure = error(text)
    failure.platform_status = status
    raise failure


def _detail(response: requests.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return f": {text[:200]}" if text else ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
