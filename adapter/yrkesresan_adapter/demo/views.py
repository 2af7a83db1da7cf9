"""The demo platform, mounted at ``/demo`` only when ``settings.demo`` is true.

``/demo`` shows buttons that start the real OIDC flow against the tool's own
``/lti/login`` and ``/lti/launch`` as a simulated LMS, and the links placed in the demo
course through deep linking, each with its own launch buttons. Under ``/demo/platform``:
``jwks.json`` and ``auth`` (the platform's key set and authorization endpoint),
``deep-linking/return`` (receives the tool's signed deep-linking response), ``token``,
``lineitems…`` (AGS), ``nrps/kurs-1/memberships`` (NRPS) and ``gradebook`` (the scores the
tool posted). The demo platform and its active deployment are registered on the first
request. Its key is kept under ``instance_path`` so every worker signs with the same key;
its course state is a JSON file there (:mod:`yrkesresan_adapter.demo.lms_state`). The
tool reads the demo key set and calls the demo's services in-process (transports mounted on
its HTTP sessions), so a worker never waits on an HTTP call to its own server.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, render_template, request
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.demo.course import (
    STORAGE_FRAME,
    TOOL_FRAME,
    course_forms,
    csp_page,
    origin_of,
    storage_frame_url,
)
from yrkesresan_adapter.demo.lms import DemoPlatform
from yrkesresan_adapter.demo.lms_state import DemoPlatformStore
from yrkesresan_adapter.demo.services import DemoServices, DemoServicesTransport
from yrkesresan_adapter.demo.texts import N_, demo_text
from yrkesresan_adapter.lti import error_response, page_language
from yrkesresan_adapter.pages import PagesService
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.web.i18n import gettext
from yrkesresan_lti.exceptions import PlatformSimulatorError
from yrkesresan_lti.lti.rsa_keys import generate_signing_key, signing_key_from_pem
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.testing.claims import USERS, SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator
from yrkesresan_lti.testing.transport import SimulatorTransport

KEY_FILE = "demo-platform-key.pem"
DEMO_CLIENT_ID = "yrkesresan-demo"
BUTTONS = (
    ("learner", "resource", N_("Starta som deltagare")),
    ("manager", "resource", N_("Starta som chef")),
    ("trainer", "resource", N_("Starta som utbildare")),
    ("admin", "resource", N_("Starta som administratör (samordnare)")),
    ("mentor", "resource", N_("Starta som mentor")),
    ("assistant", "resource", N_("Starta som lärare utan redigeringsrätt")),
    ("manager", "deep", N_("Välj innehåll (djuplänkning)")),
)
"""(user, message type, button label as a message id) of the demo course's launches"""
PLACED_BUTTONS = (
    ("learner", N_("Starta som deltagare")),
    ("manager", N_("Starta som chef")),
)

LANGUAGES = ("sv", "en")
bp = Blueprint("demo", __name__, url_prefix="/demo")
bp.register_error_handler(PlatformSimulatorError, error_response)


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


def demo_platform(state: AdapterState) -> DemoPlatform:
    """The demo LMS: the simulator's issuer and key, a course stored under ``instance_path``,
    the tool's JWKS read in-process from ``services.tool_keys``."""
    settings = state.settings
    simulator = demo_simulator(settings)
    return DemoPlatform(
        issuer=simulator.issuer,
        tool_url=simulator.tool_url,
        client_id=simulator.client_id,
        key=simulator.key,
        store=DemoPlatformStore.in_instance(settings.instance_path),
        tool_jwks=lambda: _tool_jwks(state),
    )


def _tool_jwks(state: AdapterState) -> dict[str, Any]:
    """The tool's public keys, read in-process; a database outage is a clear 503."""
    try:
        return dict(state.services.tool_keys.public_jwks())
    except SQLAlchemyError as err:
        unavailable = PlatformSimulatorError(
            demo_text(N_("Verktygets nycklar kan inte läsas just nu; försök igen."))
        )
        unavailable.temporary = True
        raise unavailable from err


def _simulator() -> DemoPlatform:
    simulator = AdapterState.of().services.demo_platform
    if simulator is None:
        raise PlatformSimulatorError("the demo platform runs only in demo mode")
    return simulator


def _services() -> DemoServices:
    services = AdapterState.of().services.demo_services
    if services is None:
        raise PlatformSimulatorError("the demo platform runs only in demo mode")
    return services


def _language() -> str:
    """The demo's language: ``?lang=sv|en`` (the language choice on the demo page, also the
    locale its launches send), else the browser's, else ``Settings.default_locale``."""
    chosen = request.args.get("lang")
    return chosen if chosen in LANGUAGES else page_language()


def _page(template: str, **values: object) -> str:
    """``template`` in the page's language (its texts from the catalogs)."""
    language = _language()
    with force_locale(language):
        return render_template(template, language=language, **values)


@bp.before_request
def _register_demo_platform() -> None:
    services = _services()
    if not services.registered:
        registration = services.platform.register(AdapterState.of().services.platforms)
        _coordinate_demo_regions(registration.issuer, registration.client_id)
        services.registered = True


def _coordinate_demo_regions(issuer: str, client_id: str) -> None:
    """The demo platform coordinates every region of the demo's occasions (its
    administrator, "samordnare", runs them all; ``yrkesresan platform set-region``): on its
    registration and on every view of the demo page, so an occasion imported for a new
    region is the demo coordinator's too."""
    service = OccasionService.of()
    with PagesService.of().sessions() as db:
        regions = {plan.region for plan in service.plans.find(db)}
        regions |= {
            j.responsible_organisation for j, _s, _c in PagesService.of().catalog().courses()
        }
        have = set(service.regions.of_platform(db, issuer, client_id))
        if not regions <= have:
            service.regions.set(db, issuer, client_id, regions | have)


@bp.get("/")
def index() -> str:
    simulator = _simulator()
    _coordinate_demo_regions(simulator.issuer, simulator.client_id)
    language = _language()
    with force_locale(language):
        forms = [
            (
                gettext(label),
                simulator.login_form("/lti/login", SimLaunch(user, msg, locale=language)),
            )
            for user, msg, label in BUTTONS
        ]
        placed = [
            (
                link,
                [
                    (
                        gettext(label),
                        simulator.login_form(
                            "/lti/login", simulator.placed_launch(link, user, language)
                        ),
                    )
                    for user, label in PLACED_BUTTONS
                ],
            )
            for link in simulator.store.links()
        ]
    return _page("demo/index.html", forms=forms, placed=placed)


@bp.get("/course")
def course() -> Response:
    """The course page with the tool in an iframe (``?lagring=nej``: without platform storage,
    to show why a browser blocking third-party cookies needs it)."""
    platform = _simulator()
    storage = request.args.get("lagring") != "nej"
    tool, own = origin_of(platform.tool_url), origin_of(platform.issuer)
    return csp_page(
        "demo/course.html",
        frame_src=" ".join(sorted({tool, own})),
        form_action=tool,
        frame_ancestors="'self'",
        forms=course_forms(platform, _language(), storage=storage),
        storage=storage,
        storage_url=storage_frame_url(platform),
        storage_frame=STORAGE_FRAME,
        tool_frame=TOOL_FRAME,
        tool_origin=tool,
        language=_language(),
    )


@bp.get("/platform/storage-frame")
def storage_frame() -> Response:
    """The platform's storage frame: answers lti.put_data / lti.get_data of the tool."""
    return csp_page(
        "demo/storage_frame.html",
        frame_ancestors="*",
        tool_origin=origin_of(_simulator().tool_url),
        storage_frame=STORAGE_FRAME,
        language=_language(),
    )


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


@bp.post("/platform/deep-linking/return")
def deep_link_return() -> Response | str:
    """The tool's deep-linking response: verified, its resource links placed in the course."""
    try:
        added = _simulator().receive_deep_link(request.form.get("JWT", ""))
    except PlatformSimulatorError as err:
        return error_response(err)
    links = _simulator().store.links()
    return _page("demo/placed.html", added=added, links=links)


@bp.get("/platform/gradebook")
def gradebook() -> str:
    return _page(
        "demo/gradebook.html",
        rows=_services().gradebook.rows(),
        links=_simulator().store.links(),
    )


@bp.route("/platform/<path:rest>", methods=["GET", "POST"])
def services(rest: str) -> Response:
    """Token endpoint, AGS line items and scores, NRPS memberships (see DemoServices)."""
    headers = dict(request.headers.items())
    body = request.get_data(cache=False)
    reply = _services().handle(request.method, rest, request.query_string.decode(), headers, body)
    response = jsonify(reply.body) if reply.body is not None else Response(b"")
    response.status_code = reply.status
    response.headers.update(reply.headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> PlatformSimulator | None:
    """Mount the demo platform when ``settings.demo`` is true; otherwise do nothing."""
    state = AdapterState.of(app)
    if not state.settings.demo:
        return None
    simulator = demo_platform(state)
    launch = state.services.launch
    launch.validator.jwks.session.mount(simulator.issuer + "/", SimulatorTransport(simulator))
    state.services.demo_platform = simulator
    state.services.demo_services = DemoServices(simulator)
    app.register_blueprint(bp)
    app.before_request(_demo_trainer_once(app))
    return simulator


def _demo_trainer_once(app: Flask) -> Callable[[], None]:
    """The demo's trainer (``trainer``, Tove Tränare) trains every occasion: her e-mail is
    put on the register entry of each occasion's first trainer, once the occasions are
    imported from the catalog (the pages' hook, registered after this one)."""
    done: list[bool] = []

    def hook() -> None:
        if done or request.path.endswith(("/healthz", "/readyz")):
            return
        pages, occasions = PagesService.of(app), OccasionService.of(app)
        email = USERS["trainer"].email
        try:
            with pages.sessions() as db:
                firsts = {o.trainers[0] for o in occasions.plans.find(db) if o.trainers}
                for entry in occasions.plans.trainers(db):
                    if entry.key in firsts and entry.email != email:
                        occasions.plans.put_trainer(db, replace(entry, email=email))
        except SQLAlchemyError:
            return  # schema behind: the occasions say so themselves
        if firsts:  # else the occasions are not imported yet (their hook runs after this)
            done.append(True)

    return hook


def connect_services(app: Flask) -> None:
    """Let the tool's AGS/NRPS client reach the demo platform in-process (after the
    advantage services exist); nothing without demo mode."""
    state = AdapterState.of(app)
    advantage = state.services.advantage
    demo = state.services.demo_services
    if demo is None or advantage is None:
        return
    advantage.http_session.mount(demo.platform.issuer + "/", DemoServicesTransport(demo))
