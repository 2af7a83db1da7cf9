"""The demo platform, mounted at ``/demo`` only when ``settings.demo`` is true.

``/demo`` shows buttons that start the real OIDC flow against the tool's own
``/lti/login`` and ``/lti/launch`` as a simulated LMS; ``/demo/platform/jwks.json`` and
``/demo/platform/auth`` are the simulated platform's key set and authorization endpoint.
The demo platform and its active deployment are registered on the first request. Its key
is kept under ``instance_path`` so every worker signs with the same key. The tool reads
the demo key set in-process (a transport mounted on the JWKS session), so a worker never
waits on an HTTP call to its own server.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Blueprint, Flask, Response, jsonify, render_template, request

from yrkesresan_adapter.errors import error_response
from yrkesresan_adapter.lti_views import LaunchServices
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import PlatformSimulatorError
from yrkesresan_lti.lti.rsa_keys import generate_signing_key, signing_key_from_pem
from yrkesresan_lti.lti.simulator import PlatformSimulator
from yrkesresan_lti.lti.simulator_claims import SimLaunch
from yrkesresan_lti.lti.simulator_transport import SimulatorTransport
from yrkesresan_lti.settings import Settings

KEY_FILE = "demo-platform-key.pem"
DEMO_CLIENT_ID = "yrkesresan-demo"
BUTTONS = (
    ("learner", "resource", "Starta som deltagare", "Start as participant"),
    ("manager", "resource", "Starta som chef", "Start as manager"),
    ("admin", "resource", "Starta som administratör", "Start as administrator"),
    ("mentor", "resource", "Starta som mentor", "Start as mentor"),
    ("manager", "deep", "Välj innehåll (djuplänkning)", "Select content (deep linking)"),
)

bp = Blueprint("demo", __name__, url_prefix="/demo")


def _key_pem(instance_path: Path) -> str:
    path = instance_path.resolve() / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_text(generate_signing_key().private_key_pem)
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # the first worker wins; the others read its key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text()


def demo_simulator(settings: Settings) -> PlatformSimulator:
    base = settings.public_url
    return PlatformSimulator(
        issuer=f"{base}/demo/platform",
        tool_url=base,
        client_id=DEMO_CLIENT_ID,
        key=signing_key_from_pem(_key_pem(settings.instance_path)),
    )


def _simulator() -> PlatformSimulator:
    simulator: PlatformSimulator = AdapterState.of().services["demo_platform"]
    return simulator


@bp.before_request
def _register_demo_platform() -> None:
    state = AdapterState.of()
    if not state.services.get("demo_registered"):
        _simulator().register(state.services["platforms"])
        state.services["demo_registered"] = True


@bp.get("/")
def index() -> str:
    simulator = _simulator()
    language = request.accept_languages.best_match(("sv", "en"), default="sv") or "sv"
    forms = [
        (sv if language == "sv" else en, simulator.login_form("/lti/login", SimLaunch(user, msg)))
        for user, msg, sv, en in BUTTONS
    ]
    return render_template("demo/index.html", forms=forms, language=language)


@bp.get("/platform/jwks.json")
def jwks() -> Response:
    return jsonify(_simulator().jwks())


@bp.route("/platform/auth", methods=["GET", "POST"])
def authorize() -> Response:
    query = request.args if request.method == "GET" else request.form
    try:
        post = _simulator().authorize({k: query.get(k, "") for k in query})
    except PlatformSimulatorError as err:
        return error_response(err)
    return Response(post.html(), mimetype="text/html", headers={"Cache-Control": "no-store"})


def init_app(app: Flask) -> PlatformSimulator | None:
    """Mount the demo platform when ``settings.demo`` is true; otherwise do nothing."""
    state = AdapterState.of(app)
    if not state.settings.demo:
        return None
    simulator = demo_simulator(state.settings)
    launch: LaunchServices = state.services["launch"]
    launch.jwks.session.mount(simulator.issuer + "/", SimulatorTransport(simulator))
    state.register("demo_platform", simulator)
    app.register_blueprint(bp)
    return simulator
