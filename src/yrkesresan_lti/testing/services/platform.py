"""The fake platform: state, WSGI dispatch, OpenID configuration and registration, the
token endpoint, NRPS pages and the deep-linking return URL (AGS is in :mod:`.ags`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

import jwt
import requests

from yrkesresan_lti.clock import new_id
from yrkesresan_lti.testing.services import ags, nrps, registration
from yrkesresan_lti.testing.services.token import TokenEndpoint
from yrkesresan_lti.testing.services.wire import (
    AGS_SCOPES,
    NRPS_SCOPE,
    REASONS,
    Jwks,
    Reply,
    StartResponse,
    WsgiEnviron,
)


class FakePlatformServices:
    """One fake platform at ``base_url`` (set by :func:`serve` or given up front)."""

    def __init__(
        self,
        *,
        tool_jwks: Jwks | str | None = None,
        product: str = "moodle",
        client_id: str = "probe-client-id",
        deployment_id: str = "1",
        enabled_scopes: Iterable[str] = (*AGS_SCOPES, NRPS_SCOPE),
        members: list[dict[str, Any]] | None = None,
        page_size: int = 50,
        registration_token: str = "reg-token",  # noqa: S107 - a fake platform's test value
        base_url: str = "http://127.0.0.1:8080",
    ) -> None:
        self.tool_jwks = tool_jwks
        self.product = product
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.enabled_scopes = set(enabled_scopes)
        self.members = members if members is not None else nrps.default_members(product)
        self.page_size = page_size
        self.registration_token = registration_token
        self.base_url = base_url
        self.line_items: dict[int, dict[str, Any]] = {}
        self._line_item_count = 0
        self.scores: list[tuple[int, dict[str, Any]]] = []
        """Every score the platform accepted, in order."""
        self.grades: dict[tuple[int, str], dict[str, Any]] = {}
        """(line item number, user id) → the grade on record (``scoreGiven`` None = empty)."""
        self.registrations: list[dict[str, Any]] = []
        self.deep_link_responses: list[dict[str, Any]] = []
        self.token_requests: list[dict[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        self._tokens: dict[str, set[str]] = {}
        self._jtis: set[str] = set()
        self._faults: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self.lock = threading.Lock()
        """Guards :attr:`grades` (the WSGI server may run requests in threads)."""

    # --- test helpers --------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def openid_configuration_url(self) -> str:
        return f"{self.base_url}/mod/lti/openid-configuration.php"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/mod/lti/token.php"

    def lineitems_url(self) -> str:
        return f"{self.base_url}/mod/lti/services.php/2/lineitems?type_id=1"

    def memberships_url(self) -> str:
        return f"{self.base_url}/mod/lti/services.php/CourseSection/2/bindings/1/memberships"

    def add_line_item(self, label: str, score_maximum: float, **extra: Any) -> str:
        with self._lock:
            self._line_item_count += 1
            number = self._line_item_count
            url = f"{self.base_url}/mod/lti/services.php/2/lineitems/{number}/lineitem?type_id=1"
            self.line_items[number] = {
                "id": url,
                "label": label,
                "scoreMaximum": score_maximum,
                **extra,
            }
        return url

    def grade(self, lineitem_url: str, user_id: str) -> float | None:
        """The grade of ``user_id`` on the line item as the LMS shows it (None: empty)."""
        return ags.grade_of(self, lineitem_url, user_id)

    def delete_line_item(self, lineitem_url: str) -> None:
        """A teacher deletes the activity: the line item answers 404 from now on."""
        number = int(lineitem_url.split("/lineitems/")[1].split("/")[0])
        with self._lock:
            self.line_items.pop(number, None)

    def fail(self, path_part: str, status: int, body: Any = None, times: int = 1) -> None:
        """Answer the next ``times`` requests whose path contains ``path_part`` with ``status``."""
        self._faults.setdefault(path_part, []).extend([Reply(status, body)] * times)

    # --- WSGI ----------------------------------------------------------------------------
    def __call__(self, environ: WsgiEnviron, start_response: StartResponse) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        self.requests.append((method, path + "?" + environ.get("QUERY_STRING", "")))
        reply = self._fault(path) or self._route(method, path, query, raw, environ)
        headers = dict(reply.headers)
        payload = b""
        if reply.body is not None:
            payload = (
                json.dumps(reply.body).encode() if not isinstance(reply.body, bytes) else reply.body
            )
            headers.setdefault("Content-Type", "application/json")
        start_response(
            f"{reply.status} {REASONS.get(reply.status, 'Status')}", list(headers.items())
        )
        return [payload]

    def _fault(self, path: str) -> Reply | None:
        for part, queue in self._faults.items():
            if part in path and queue:
                return queue.pop(0)
        return None

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes, environ: WsgiEnviron
    ) -> Reply:
        services = "/mod/lti/services.php/2/lineitems"
        if path == "/mod/lti/openid-configuration.php" and method == "GET":
            return Reply(200, registration.openid_configuration(self))
        if path == "/mod/lti/openid-registration.php" and method == "POST":
            return registration.register(self, environ, raw)
        if path == "/mod/lti/token.php" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            return self.issue_token(form)
        if path == "/mod/lti/contentitem_return.php" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            return self.receive_deep_link(form)
        if path.endswith("/memberships") and method == "GET":
            if not self.authorised(environ, NRPS_SCOPE):
                return Reply(401, {"status": 401, "reason": "Unauthorized"})
            return nrps.page_of_members(self, int(query.get("page", ["1"])[0]))
        if path == services:
            return ags.line_item_container(self, method, query, raw, environ)
        if path.startswith(services + "/"):
            return ags.line_item(self, method, path[len(services) + 1 :], query, raw, environ)
        return Reply(404, {"status": 404, "reason": "Not Found"})

    def receive_deep_link(self, form: dict[str, str]) -> Reply:
        try:
            claims = self.verify_tool_jwt(form.get("JWT", ""), audience=self.issuer)
        except jwt.PyJWTError as err:
            return Reply(400, {"error": str(err)})
        self.deep_link_responses.append(claims)
        return Reply(200, b"<p>Content added</p>", {"Content-Type": "text/html"})

    def issue_token(self, form: dict[str, str]) -> Reply:
        self.token_requests.append(form)
        endpoint = TokenEndpoint(
            client_id=self.client_id,
            offered_scopes=lambda: self.enabled_scopes,
            verify_assertion=lambda token: self.verify_tool_jwt(token, audience=self.token_url),
            use_jti=self._use_jti,
            access_token=self._access_token,
        )
        return endpoint.issue(form)

    def _use_jti(self, jti: str, exp: int) -> bool:
        with self._lock:
            if jti in self._jtis:
                return False
            self._jtis.add(jti)
            return True

    def _access_token(self, granted: list[str]) -> str:
        token = new_id()
        self._tokens[token] = set(granted)
        return token

    def authorised(self, environ: WsgiEnviron, *scopes: str) -> bool:
        header = environ.get("HTTP_AUTHORIZATION", "")
        granted = self._tokens.get(header.removeprefix("Bearer ").strip(), set())
        return any(scope in granted for scope in scopes)

    def verify_tool_jwt(self, token: str, *, audience: str) -> dict[str, Any]:
        """Verify a client assertion of the tool. With ``tool_jwks`` a URL, the tool's key
        set is fetched from it over HTTP for every token request, as a real Moodle 4.5 does
        (``mod/lti/token.php``): the tool answers it from whichever worker gets it, while
        the worker that asked for the token waits."""
        if self.tool_jwks is None:
            raise jwt.InvalidTokenError("the fake platform knows no tool JWKS")
        kid = jwt.get_unverified_header(token).get("kid")
        jwks = (
            requests.get(self.tool_jwks, timeout=10).json()
            if isinstance(self.tool_jwks, str)
            else self.tool_jwks()
        )
        for key in jwks.get("keys", []):
            if key.get("kid") == kid:
                signing_key = jwt.PyJWK(key, algorithm="RS256")
                claims: dict[str, Any] = jwt.decode(
                    token, signing_key, algorithms=["RS256"], audience=audience
                )
                return claims
        raise jwt.InvalidTokenError(f"unknown kid {kid!r}")
