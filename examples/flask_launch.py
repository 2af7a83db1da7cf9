"""Take LTI 1.3 launches in a minimal Flask app of your own with the library's validator.

    python examples/flask_launch.py --simulate      # one launch from a simulated LMS, in-process
    python examples/flask_launch.py --issuer https://moodle.kommun.se --client-id abc \\
        --deployment-id 1 --auth-login-url https://moodle.kommun.se/mod/lti/auth.php \\
        --key-set-url https://moodle.kommun.se/mod/lti/certs.php --tool-url https://tool.kommun.se

Two routes are all a tool needs: ``/lti/login`` answers the platform's OIDC login initiation
(``LaunchValidator.start``: a redirect to the platform plus a cookie binding the browser to
the login), and ``/lti/launch`` takes the posted id_token (``LaunchValidator.complete``:
state, browser binding, signature against the platform's keys, nonce once, ``aud``/``azp``,
deployment, claims) and gives a ``LaunchContext``. A refused launch is a 4xx with the
error's stable ``code``; the in-memory stores suit one process (use database or Redis
stores under several workers, as the adapter does). Needs Flask (``pip install flask``).
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

import requests
from flask import Flask, redirect, request
from werkzeug.wrappers import Response

from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.login import LoginRequest
from yrkesresan_lti.lti.memory import MemoryLaunchStateStore, MemoryNonceStore, MemoryPlatformStore
from yrkesresan_lti.lti.pipeline import LaunchValidator
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration, PlatformStore
from yrkesresan_lti.testing.simulator import BrowserResponse, PlatformSimulator
from yrkesresan_lti.testing.transport import SimulatorTransport

BINDING_COOKIE = "example-lti-binding"
"""The cookie that ties the browser that started a login to the launch that ends it."""


def create_app(
    platforms: PlatformStore, tool_url: str, http: requests.Session | None = None
) -> Flask:
    """A Flask app that validates launches of the platforms in ``platforms``.

    ``http`` fetches the platforms' key sets (pass a session with a test transport in tests).
    """
    validator = LaunchValidator.from_stores(
        platforms=platforms,
        states=MemoryLaunchStateStore(),
        nonces=MemoryNonceStore(),
        tool_base_url=tool_url,
        http=http,
    )
    secure = tool_url.startswith("https://")
    app = Flask(__name__)

    @app.errorhandler(YrkesresanError)
    def refused(err: YrkesresanError) -> tuple[str, int]:
        # Checked once at the edge: a bad login or launch is a 4xx, never a 500.
        return f"LTI refused: {err.code}", 400

    @app.route("/lti/login", methods=["GET", "POST"])
    def login() -> Response:
        answer = validator.start(LoginRequest.from_params(request.values.to_dict()))
        response = redirect(answer.url, 302)
        response.set_cookie(
            BINDING_COOKIE,
            answer.browser_binding,
            httponly=True,
            secure=secure,
            samesite="None" if secure else "Lax",  # the launch comes back cross-site
        )
        return response

    @app.post("/lti/launch")
    def launch() -> str:
        context = validator.complete(request.form.to_dict(), request.cookies.get(BINDING_COOKIE))
        return welcome_page(context)

    return app


def welcome_page(context: LaunchContext) -> str:
    """What the tool shows after a valid launch (escape everything the LMS sent)."""
    who = html.escape(context.name or context.sub)
    where = html.escape(context.context_title or "-")
    return (
        f"<h1>Välkommen, {who}</h1>"
        f"<p>role: {context.role.value}; course: {where}; "
        f"deployment: {html.escape(context.deployment_id)}</p>"
    )


class _TestClientBrowser:
    """A simulator ``Browser`` over Flask's test client (no network, no server)."""

    def __init__(self, app: Flask) -> None:
        self._client = app.test_client()

    def post_form(self, url: str, fields: Mapping[str, str]) -> BrowserResponse:
        parts = urlsplit(url)
        answer = self._client.post(
            parts.path, data=dict(fields), base_url=f"{parts.scheme}://{parts.netloc}"
        )
        return BrowserResponse(answer.status_code, dict(answer.headers), answer.text)


def simulate(tool_url: str = "https://tool.example") -> tuple[int, str]:
    """One launch by a simulated Moodle learner; returns the tool's status and page."""
    platforms = MemoryPlatformStore()
    lms = PlatformSimulator(issuer="https://lms.example", tool_url=tool_url)
    lms.register(platforms)
    keys = requests.Session()
    keys.mount(lms.issuer + "/", SimulatorTransport(lms))  # the LMS's key set, in-process
    app = create_app(platforms, tool_url, http=keys)
    answer = lms.launch(_TestClientBrowser(app), tool_url + "/lti/login")
    return answer.status, answer.text


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tool for one registered platform, or one simulated launch (``--simulate``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulate", action="store_true", help="one launch, in-process")
    parser.add_argument("--tool-url", default="http://127.0.0.1:5050")
    for name in ("issuer", "client-id", "deployment-id", "auth-login-url", "key-set-url"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--auth-token-url", help="only AGS/NRPS use it (default: login URL)")
    args = parser.parse_args(argv)

    if args.simulate:
        status, page = simulate()
        print(status, page)
        return 0 if status == 200 else 1
    needed = (args.issuer, args.client_id, args.deployment_id, args.auth_login_url)
    if not all(needed) or not args.key_set_url:
        parser.error("give --simulate, or the platform's issuer, client id, deployment and URLs")
    platforms = MemoryPlatformStore()
    platforms.save(
        PlatformRegistration(
            issuer=args.issuer,
            client_id=args.client_id,
            name=args.issuer,
            auth_login_url=args.auth_login_url,
            auth_token_url=args.auth_token_url or args.auth_login_url,
            key_set_url=args.key_set_url,
            deployments=(Deployment(args.deployment_id, active=True),),
        )
    )
    host, _, port = args.tool_url.split("//", 1)[1].partition(":")
    create_app(platforms, args.tool_url).run(host=host, port=int(port or 80))
    return 0


if __name__ == "__main__":
    sys.exit(main())
