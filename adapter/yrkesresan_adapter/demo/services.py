"""The demo platform's LTI Advantage endpoints: the token endpoint, AGS (the rules are in
:mod:`yrkesresan_adapter.demo.gradebook`) and NRPS memberships.

:class:`DemoServices` is framework-free: :meth:`DemoServices.handle` takes the method, the
path below the platform's issuer, the query, the headers and the body and returns a
:class:`~yrkesresan_lti.testing.services.Reply`. The Flask routes call it, and
:class:`DemoServicesTransport` calls it for the tool's own HTTP session, so the delivery
worker posts scores to the demo platform without a network round trip. Like Moodle: access
tokens only for a client assertion the tool signed (the fake platform's token endpoint,
:class:`~yrkesresan_lti.testing.services.token.TokenEndpoint`), ``?type_id=1`` on line
item URLs, 400 for a score of a user who is not a learner.
Access tokens are signed by the platform's key, so every worker process accepts them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter

from yrkesresan_adapter.demo.gradebook import LINEITEM_TYPE, SCORE_TYPE, DemoGradebook
from yrkesresan_adapter.demo.lms import DEMO_COURSE, DemoPlatform
from yrkesresan_adapter.demo.lms_state import DemoState
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, new_id
from yrkesresan_lti.exceptions import PlatformSimulatorError
from yrkesresan_lti.testing.claims import USERS
from yrkesresan_lti.testing.services import AGS_SCOPES, NRPS_SCOPE, Reply
from yrkesresan_lti.testing.services.token import TOKEN_LIFETIME, TokenEndpoint


class DemoServices:
    """Answers the requests to ``{issuer}/token``, ``/lineitems…`` and ``/nrps/…``."""

    def __init__(self, platform: DemoPlatform, clock: Clock = SYSTEM_CLOCK) -> None:
        self.platform = platform
        self.store = platform.store
        self.clock = clock
        self.gradebook = DemoGradebook(platform.store, platform.line_item_url)
        self.registered = False
        """Whether the demo platform is registered with the tool (on the first request)."""

    @property
    def token_url(self) -> str:
        return f"{self.platform.issuer}/token"

    def handle(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> Reply:
        parts = path.strip("/").split("/")
        args = parse_qs(query)
        headers = {name.lower(): value for name, value in headers.items()}
        try:
            if parts == ["token"] and method == "POST":
                return self.issue_token(
                    {k: v[0] for k, v in parse_qs(body.decode(errors="replace")).items()}
                )
            bearer = headers.get("authorization", "").removeprefix("Bearer ").strip()
            if parts == ["nrps", DEMO_COURSE, "memberships"] and method == "GET":
                return self._guarded(bearer, (NRPS_SCOPE,), self.memberships)
            if parts[0] == "lineitems":
                if args.get("type_id") != ["1"]:
                    return Reply(404, {"status": 404, "reason": "type_id=1 saknas"})
                media = headers.get("content-type", "").split(";")[0].strip()
                return self._ags(method, parts[1:], args, media, bearer, body)
        except PlatformSimulatorError as err:
            status = 503 if err.temporary else 400
            return Reply(status, {"error": "invalid_request", "error_description": str(err)})
        return Reply(404, {"status": 404, "reason": "Not Found"})

    def _ags(
        self,
        method: str,
        rest: list[str],
        args: dict[str, list[str]],
        media: str,
        bearer: str,
        body: bytes,
    ) -> Reply:
        book = self.gradebook
        manage, readonly, results, score = AGS_SCOPES
        if not rest:
            if method == "GET":
                filters = {k: v[0] for k, v in args.items()}
                return self._guarded(bearer, (manage, readonly), lambda: book.line_items(filters))
            if method == "POST" and media == LINEITEM_TYPE:
                return self._guarded(bearer, (manage,), lambda: book.create_line_item(body))
            return Reply(415, {"status": 415, "reason": f"requires {LINEITEM_TYPE}"})
        number = int(rest[0]) if rest[0].isdigit() else 0
        if rest[1:2] != ["lineitem"] or self.store.line_item(number) is None:
            return Reply(404, {"status": 404, "reason": "unknown line item"})
        tail = rest[2:]
        if tail == [] and method == "GET":
            return self._guarded(bearer, (manage, readonly), lambda: book.line_item(number))
        if tail == ["scores"] and method == "POST":
            if media != SCORE_TYPE:
                return Reply(415, {"status": 415, "reason": f"requires {SCORE_TYPE}"})
            return self._guarded(bearer, (score,), lambda: book.post_score(number, body))
        if tail == ["results"] and method == "GET":
            user = args.get("user_id", [None])[0]
            return self._guarded(bearer, (results,), lambda: book.results(number, user))
        return Reply(404, {"status": 404, "reason": "Not Found"})

    # --- OAuth ---------------------------------------------------------------------------
    def issue_token(self, form: Mapping[str, str]) -> Reply:
        endpoint = TokenEndpoint(
            client_id=self.platform.client_id,
            offered_scopes=lambda: (*AGS_SCOPES, NRPS_SCOPE),
            verify_assertion=lambda token: self.platform.verify_tool_jwt(
                token, audience=self.token_url
            ),
            use_jti=lambda jti, exp: self.store.update(
                lambda state: _use_once(state, jti, exp, self.clock.now().timestamp())
            ),
            access_token=self._access_token,
        )
        return endpoint.issue(form)

    def _access_token(self, granted: list[str]) -> str:
        now = int(self.clock.now().timestamp())
        return self.platform.sign(
            {
                "iss": self.platform.issuer,
                "aud": self.token_url,
                "sub": self.platform.client_id,
                "scope": " ".join(granted),
                "iat": now,
                "exp": now + TOKEN_LIFETIME,
                "jti": new_id(),
            }
        )

    def _guarded(self, bearer: str, scopes: tuple[str, ...], answer: Callable[[], Reply]) -> Reply:
        try:
            claims = self.platform.verify_own_jwt(bearer, audience=self.token_url)
        except PlatformSimulatorError:
            return Reply(401, {"status": 401, "reason": "Unauthorized"})
        if not set(scopes) & set(str(claims.get("scope", "")).split()):
            return Reply(401, {"status": 401, "reason": "scope saknas"})
        return answer()

    # --- NRPS ------------------------------------------------------------------------------
    def memberships(self) -> Reply:
        members = [
            {
                "status": "Active",
                "user_id": user.sub,
                "name": user.name,
                "given_name": user.given_name,
                "family_name": user.family_name,
                "email": user.email,
                "roles": user.nrps_roles,  # Moodle's short names; its non-editing teacher
            }  # is a Learner here though their launch says Instructor
            for user in USERS.values()
        ]
        context = {"id": DEMO_COURSE, "label": "YR101", "title": "Yrkesresan: introduktion"}
        url = f"{self.platform.issuer}/nrps/{DEMO_COURSE}/memberships"
        return Reply(200, {"id": url, "context": context, "members": members})


def _use_once(state: DemoState, jti: str, exp: int, now: float) -> bool:
    used: dict[str, int] = state["used_jtis"]
    for old in [k for k, v in used.items() if v < now]:
        del used[old]
    if jti in used:
        return False
    used[jti] = exp
    return True


class DemoServicesTransport(BaseAdapter):
    """Serves ``{issuer}/…`` requests of a :class:`requests.Session` from :class:`DemoServices`.

    Mount it on the tool's service session: ``session.mount(issuer + "/", transport)``."""

    def __init__(self, services: DemoServices) -> None:
        super().__init__()
        self.services = services

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        prefix = urlsplit(self.services.platform.issuer).path
        body = request.body or b""
        reply = self.services.handle(
            request.method or "GET",
            url.path.removeprefix(prefix),
            url.query,
            dict(request.headers),
            body.encode() if isinstance(body, str) else body,
        )
        response = requests.Response()
        response.status_code = reply.status
        response._content = json.dumps(reply.body).encode() if reply.body is not None else b""
        response.headers.update({"Content-Type": "application/json", **reply.headers})
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release."""
