"""A fake LMS for tests and demos: the platform side of LTI Advantage, framework-free (WSGI).

:class:`FakePlatformServices` answers like Moodle 4.5 (or Canvas with ``product="canvas"``):
OpenID configuration + dynamic registration, the OAuth token endpoint (checks the tool's
signed client assertion against the tool's JWKS), AGS line items / scores / results, NRPS
memberships with ``Link`` paging, and the deep-linking return URL (checks the tool's
signed response). State is kept in plain attributes for tests to inspect; faults are
injected with :meth:`FakePlatformServices.fail`. :func:`serve` runs it on a free loopback
port in a thread.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt

WsgiEnviron = dict[str, Any]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Jwks = Callable[[], dict[str, Any]]

AGS_SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
)
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    415: "Unsupported",
    422: "Unprocessable",
    500: "Server Error",
}


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class FakePlatformServices:
    """One fake platform at ``base_url`` (set by :func:`serve` or given up front)."""

    def __init__(
        self,
        *,
        tool_jwks: Jwks | None = None,
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
        self.members = members if members is not None else _moodle_members(product)
        self.page_size = page_size
        self.registration_token = registration_token
        self.base_url = base_url
        self.line_items: dict[int, dict[str, Any]] = {}
        self.scores: list[tuple[int, dict[str, Any]]] = []
        self.registrations: list[dict[str, Any]] = []
        self.deep_link_responses: list[dict[str, Any]] = []
        self.token_requests: list[dict[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        self._tokens: dict[str, set[str]] = {}
        self._jtis: set[str] = set()
        self._faults: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()

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
            number = len(self.line_items) + 1
            url = f"{self.base_url}/mod/lti/services.php/2/lineitems/{number}/lineitem?type_id=1"
            self.line_items[number] = {
                "id": url,
                "label": label,
                "scoreMaximum": score_maximum,
                **extra,
            }
        return url

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
            f"{reply.status} {_REASONS.get(reply.status, 'Status')}", list(headers.items())
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
            return Reply(200, self.openid_configuration())
        if path == "/mod/lti/openid-registration.php" and method == "POST":
            return self.register(environ, raw)
        if path == "/mod/lti/token.php" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            return self.issue_token(form)
        if path == "/mod/lti/contentitem_return.php" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            return self.receive_deep_link(form)
        if path.endswith("/memberships") and method == "GET":
            if not self.authorised(environ, NRPS_SCOPE):
                return Reply(401, {"status": 401, "reason": "Unauthorized"})
            return self.page_of_members(int(query.get("page", ["1"])[0]))
        if path == services:
            return self.line_item_container(method, query, raw, environ)
        if path.startswith(services + "/"):
            return self.line_item(method, path[len(services) + 1 :], query, raw, environ)
        return Reply(404, {"status": 404, "reason": "Not Found"})

    def openid_configuration(self) -> dict[str, Any]:
        base = self.base_url
        return {
            "issuer": base,
            "token_endpoint": self.token_url,
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "jwks_uri": f"{base}/mod/lti/certs.php",
            "authorization_endpoint": f"{base}/mod/lti/auth.php",
            "registration_endpoint": f"{base}/mod/lti/openid-registration.php",
            "scopes_supported": [*AGS_SCOPES, NRPS_SCOPE, "openid"],
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public", "pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": self.product,
                "version": "4.5.6 (Build: 20250811)" if self.product == "moodle" else "cloud",
                "messages_supported": [
                    {"type": "LtiResourceLinkRequest"},
                    {"type": "LtiDeepLinkingRequest", "placements": ["ContentArea"]},
                ],
            },
        }

    def register(self, environ: WsgiEnviron, raw: bytes) -> Reply:
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.registration_token}":
            return Reply(401, {"error": "invalid_token"})
        try:
            body = json.loads(raw)
        except ValueError:
            return Reply(400, {"error": "invalid_client_metadata"})
        config = body.get("https://purl.imsglobal.org/spec/lti-tool-configuration")
        if not isinstance(config, dict) or not body.get("initiate_login_uri"):
            return Reply(400, {"error": "invalid_client_metadata"})
        self.registrations.append(body)
        answer = dict(body, client_id=self.client_id)
        answer["https://purl.imsglobal.org/spec/lti-tool-configuration"] = dict(
            config, deployment_id=self.deployment_id
        )
        return Reply(200, answer)

    def receive_deep_link(self, form: dict[str, str]) -> Reply:
        try:
            claims = self.verify_tool_jwt(form.get("JWT", ""), audience=self.issuer)
        except jwt.PyJWTError as err:
            return Reply(400, {"error": str(err)})
        self.deep_link_responses.append(claims)
        return Reply(200, b"<p>Content added</p>", {"Content-Type": "text/html"})

    def line_item_container(
        self, method: str, query: dict[str, list[str]], raw: bytes, environ: WsgiEnviron
    ) -> Reply:
        if method == "GET":
            if not self.authorised(environ, AGS_SCOPES[0], AGS_SCOPES[1]):
                return Reply(401, {"status": 401})
            wanted = query.get("resource_id", [None])[0]
            items = [i for i in self.line_items.values() if wanted in (None, i.get("resourceId"))]
            return Reply(200, items)
        if not self.authorised(environ, AGS_SCOPES[0]):
            return Reply(401, {"status": 401})
        if environ.get("CONTENT_TYPE") != "application/vnd.ims.lis.v2.lineitem+json":
            return Reply(415, {"status": 415})
        body = json.loads(raw)
        url = self.add_line_item(body.pop("label"), body.pop("scoreMaximum"), **body)
        return Reply(201, self.line_items[int(url.split("/lineitems/")[1].split("/")[0])])

    def line_item(
        self, method: str, rest: str, query: dict[str, list[str]], raw: bytes, environ: WsgiEnviron
    ) -> Reply:
        number_text, _, tail = rest.partition("/lineitem")
        item = self.line_items.get(int(number_text)) if number_text.isdigit() else None
        if item is None or query.get("type_id") != ["1"]:
            return Reply(404, {"status": 404, "reason": "Not Found"})
        if tail == "" and method == "GET":
            return Reply(200, item)
        if tail == "/scores" and method == "POST":
            if not self.authorised(environ, AGS_SCOPES[3]):
                return Reply(401, {"status": 401})
            if environ.get("CONTENT_TYPE") != "application/vnd.ims.lis.v1.score+json":
                return Reply(415, {"status": 415})
            score = json.loads(raw)
            gradable = {
                m["user_id"] for m in self.members if any("Learner" in r for r in m["roles"])
            }
            if score.get("userId") not in gradable:
                return Reply(400, {"status": 400, "reason": "Incorrect score received"})
            self.scores.append((int(number_text), score))
            return Reply(200, {})
        if tail == "/results" and method == "GET":
            if not self.authorised(environ, AGS_SCOPES[2]):
                return Reply(401, {"status": 401})
            return Reply(200, self.results_of(int(number_text), query.get("user_id", [None])[0]))
        return Reply(404, {"status": 404})

    def results_of(self, number: int, user_id: str | None) -> list[dict[str, Any]]:
        latest: dict[str, dict[str, Any]] = {}
        for item_number, score in self.scores:
            if item_number == number and user_id in (None, score["userId"]):
                latest[score["userId"]] = score
        item = self.line_items[number]
        return [
            {
                "id": f"{item['id']}&user_id={uid}",
                "userId": uid,
                "scoreOf": item["id"],
                "resultScore": 100 * s["scoreGiven"] / s["scoreMaximum"],
                "resultMaximum": 100,
                "timestamp": s["timestamp"],
            }
            for uid, s in latest.items()
        ]

    # --- used by the routes ---------------------------------------------------------------
    def issue_token(self, form: dict[str, str]) -> Reply:
        self.token_requests.append(form)
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_assertion_type")
            != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return Reply(400, {"error": "unsupported_grant_type"})
        try:
            claims = self.verify_tool_jwt(form.get("client_assertion", ""), audience=self.token_url)
        except jwt.PyJWTError as err:
            return Reply(400, {"error": "invalid_client", "error_description": str(err)})
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            return Reply(400, {"error": "invalid_client"})
        with self._lock:
            if not claims.get("jti") or claims["jti"] in self._jtis:
                return Reply(400, {"error": "invalid_grant", "error_description": "jti reused"})
            self._jtis.add(claims["jti"])
        requested = set(form.get("scope", "").split())
        granted = requested & self.enabled_scopes
        if not granted:
            return Reply(400, {"error": "invalid_scope"})
        token = uuid.uuid4().hex
        self._tokens[token] = granted
        return Reply(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": " ".join(sorted(granted)),
            },
        )

    def authorised(self, environ: WsgiEnviron, *scopes: str) -> bool:
        header = environ.get("HTTP_AUTHORIZATION", "")
        granted = self._tokens.get(header.removeprefix("Bearer ").strip(), set())
        return any(scope in granted for scope in scopes)

    def verify_tool_jwt(self, token: str, *, audience: str) -> dict[str, Any]:
        if self.tool_jwks is None:
            raise jwt.InvalidTokenError("the fake platform knows no tool JWKS")
        kid = jwt.get_unverified_header(token).get("kid")
        for key in self.tool_jwks().get("keys", []):
            if key.get("kid") == kid:
                signing_key = jwt.PyJWK(key, algorithm="RS256")
                claims: dict[str, Any] = jwt.decode(
                    token, signing_key, algorithms=["RS256"], audience=audience
                )
                return claims
        raise jwt.InvalidTokenError(f"unknown kid {kid!r}")

    def page_of_members(self, page: int) -> Reply:
        start = (page - 1) * self.page_size
        chunk = self.members[start : start + self.page_size]
        headers = {}
        if start + self.page_size < len(self.members):
            nxt = f"{self.memberships_url()}?{urlencode({'page': page + 1})}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        body = {
            "id": self.memberships_url(),
            "context": {"id": "2", "label": "LTI101", "title": "LTI Test Course"},
            "members": chunk,
        }
        return Reply(200, body, headers)


def _moodle_members(product: str) -> list[dict[str, Any]]:
    short = product == "moodle"
    learner = "Learner" if short else "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
    teacher = (
        "Instructor" if short else "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
    )
    return [
        {
            "status": "Active",
            "roles": [learner],
            "user_id": "3",
            "name": "Sam Student",
            "given_name": "Sam",
            "family_name": "Student",
            "email": "student1@example.org",
        },
        {
            "status": "Active",
            "roles": [teacher],
            "user_id": "4",
            "name": "Tina Teacher",
            "given_name": "Tina",
            "family_name": "Teacher",
            "email": "teacher1@example.org",
        },
    ]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve(app: Callable[[WsgiEnviron, StartResponse], list[bytes]]) -> Iterator[str]:
    """Run ``app`` on a free loopback port in a thread; yields its base URL, stops on exit."""
    server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    base_url = f"http://127.0.0.1:{server.server_port}"
    if isinstance(app, FakePlatformServices):
        app.base_url = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
