"""LTI Advantage pages and documents of the adapter.

``GET /lti/register`` (Dynamic Registration, Moodle "Tool URL" / Canvas), ``GET
/lti/config/canvas.json`` (Canvas developer key), ``GET /lti/logo.svg``, and the
deep-linking picker ``GET,POST /lti/deep-link`` a deep-linking launch lands on. The logic is
in :mod:`yrkesresan_lti.lti.advantage`; this module binds it to Flask.

Service ``"advantage"`` (:class:`AdvantageServices`) gives other areas the AGS and NRPS
clients and the outbox deliverer for ``ags-score`` entries.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import requests
from flask import Blueprint, Flask, Response, jsonify, render_template, request

from yrkesresan_adapter.errors import kv
from yrkesresan_adapter.launch_session import require_launch
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog, default_catalog_path, load_catalog
from yrkesresan_lti.exceptions import (
    DeepLinkingError,
    DeepLinkingReplayed,
    LtiError,
    RegistrationError,
    UnknownCatalogNode,
)
from yrkesresan_lti.lti.advantage.ags import AgsClient
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET, AgsScoreDeliverer
from yrkesresan_lti.lti.advantage.canvas import canvas_developer_key
from yrkesresan_lti.lti.advantage.deep_linking import DeepLinkingSettings, deep_linking_response
from yrkesresan_lti.lti.advantage.nrps import NrpsClient
from yrkesresan_lti.lti.advantage.picker import filtered, item_for
from yrkesresan_lti.lti.advantage.registration import DynamicRegistration
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.outbox.worker import OutboxWorker

LOG = logging.getLogger("yrkesresan.advantage")
MAX_SELECTED = 200
REPLAY_TTL_SECONDS = 24 * 3600

bp = Blueprint("advantage", __name__)


@dataclass
class AdvantageServices:
    urls: ToolUrls
    registration: DynamicRegistration
    catalog: Callable[[], Catalog]
    tokens: ServiceTokenClient
    ags: AgsClient
    nrps: NrpsClient
    ags_deliverer: AgsScoreDeliverer


def services() -> AdvantageServices:
    found: AdvantageServices = AdapterState.of().services["advantage"]
    return found


def _language(launch: LaunchContext | None = None) -> str:
    locale = (launch.locale if launch else None) or ""
    if locale.lower().startswith("en"):
        return "en"
    if launch is None and request.accept_languages.best_match(("sv", "en")) == "en":
        return "en"
    return "sv"


def _page(template: str, status: int = 200, *, form_action: str = "", **values: object) -> Response:
    nonce = secrets.token_urlsafe(16)
    body = render_template(template, csp_nonce=nonce, **values)
    response = Response(body, status=status, mimetype="text/html")
    actions = " ".join(filter(None, ("'self'", form_action)))
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
        f"img-src 'self' data:; form-action {actions}; base-uri 'none'; frame-ancestors *"
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.errorhandler(RegistrationError)
@bp.errorhandler(DeepLinkingError)
def _error(error: LtiError) -> Response:
    LOG.warning(
        "%s",
        kv(
            event="advantage_rejected",
            error=type(error).__name__,
            status=error.status,
            path=request.path,
        ),
    )
    return _page(
        "advantage/error.html",
        error.status,
        message=str(error),
        error_name=type(error).__name__,
        language=_language(),
    )


# --- Dynamic Registration ---------------------------------------------------------------------


@bp.get("/lti/register")
def register() -> Response:
    config_url = request.args.get("openid_configuration", "").strip()
    if not config_url:
        raise RegistrationError(
            "Adressen saknar openid_configuration. Klistra in registreringsadressen i "
            "lärplattformen (Moodle: 'Verktygets URL', Canvas: 'Dynamic Registration') och "
            "starta registreringen därifrån. (Start the registration from the LMS.)"
        )
    token = request.args.get("registration_token") or None
    outcome = services().registration.run(config_url, token)
    saved = outcome.registration
    LOG.info(
        "%s",
        kv(
            event="platform_registered",
            issuer=saved.issuer,
            client_id=saved.client_id,
            deployment_id=outcome.deployment_id or "-",
            pending=outcome.pending,
        ),
    )
    return _page("advantage/registered.html", outcome=outcome, language=_language())


@bp.get("/lti/config/canvas.json")
def canvas_json() -> Response:
    response = jsonify(canvas_developer_key(services().urls))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/lti/logo.svg")
def logo() -> Response:
    response = Response(render_template("advantage/logo.svg"), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


# --- Deep Linking ---------------------------------------------------------------------------


def _settings_of(launch: LaunchContext) -> DeepLinkingSettings:
    if launch.message_type is not MessageType.DEEP_LINKING:
        raise DeepLinkingError(
            "Den här sidan öppnas bara vid innehållsval (djuplänkning) från lärplattformen. "
            "(Only for deep-linking launches.)"
        )
    return DeepLinkingSettings.from_claim(launch.deep_linking_settings)


@bp.get("/lti/deep-link")
@require_launch(ToolRole.MANAGER, ToolRole.ADMIN)
def picker(launch: LaunchContext) -> Response:
    settings = _settings_of(launch)
    language = _language(launch)
    query = request.args.get("q", "")[:200]
    entries = filtered(services().catalog(), query, language)
    return _page(
        "advantage/picker.html",
        launch=launch,
        settings=settings,
        entries=entries,
        query=query,
        language=language,
    )


@bp.post("/lti/deep-link")
@require_launch(ToolRole.MANAGER, ToolRole.ADMIN)
def respond(launch: LaunchContext) -> Response:
    settings = _settings_of(launch)
    language = _language(launch)
    advantage = services()
    chosen = [] if request.form.get("action") == "cancel" else request.form.getlist("node")
    if len(chosen) > MAX_SELECTED:
        raise DeepLinkingError(f"Välj högst {MAX_SELECTED} delar åt gången. (Too many items.)")
    catalog = advantage.catalog()
    try:
        items = [
            item_for(catalog, iri, launch_url=advantage.urls.launch, lang=language)
            for iri in dict.fromkeys(chosen)
        ]
    except UnknownCatalogNode as err:
        raise DeepLinkingError(
            "Det valda innehållet finns inte i katalogen längre; ladda om sidan och välj igen. "
            "(Unknown catalog node.)"
        ) from err
    state = AdapterState.of()
    key = state.services["tool_keys"].signing_key()
    token = deep_linking_response(
        settings,
        items,
        issuer=launch.issuer,
        client_id=launch.client_id,
        deployment_id=launch.deployment_id,
        signing_key=key,
        with_line_items=launch.ags is not None,
        message=f"{len(items)} del(ar) av Yrkesresan tillagda" if items else None,
    )
    if not state.services["nonces"].consume(
        launch.issuer, f"deep-link-response:{launch.launch_id}", REPLAY_TTL_SECONDS
    ):
        raise DeepLinkingReplayed(
            "Det här innehållsvalet är redan skickat till lärplattformen. Starta ett nytt val "
            "från kursen om du vill lägga till mer. (Already answered.)"
        )
    LOG.info(
        "%s",
        kv(
            event="deep_link_response",
            launch_id=launch.launch_id,
            items=len(items),
            issuer=launch.issuer,
        ),
    )
    parts = urlsplit(settings.return_url)
    return _page(
        "advantage/return.html",
        form_action=f"{parts.scheme}://{parts.netloc}",
        return_url=settings.return_url,
        jwt=token,
        count=len(items),
        language=language,
    )


# --- wiring ---------------------------------------------------------------------------------


def ags_worker(app: Flask) -> OutboxWorker:
    """An outbox worker for the ``ags`` target: posts queued AGS scores to the platforms."""
    from yrkesresan_adapter.models import outbox_tables

    state = AdapterState.of(app)
    deliverers = {AGS_TARGET: state.services["advantage"].ags_deliverer}
    return OutboxWorker(state.services["db"].engine, deliverers, outbox=Outbox(outbox_tables))


def _catalog_source(state: AdapterState) -> Callable[[], Catalog]:
    @cache
    def load() -> Catalog:
        given = state.services.get("catalog")
        if isinstance(given, Catalog):
            return given
        if callable(given):
            loaded = given()
            if isinstance(loaded, Catalog):
                return loaded
        return load_catalog(state.settings.catalog_path or default_catalog_path())

    return load


def init_app(
    app: Flask,
    *,
    http_session: requests.Session | None = None,
    catalog: Callable[[], Catalog] | None = None,
) -> AdvantageServices:
    """Register service ``"advantage"`` and the endpoints (needs storage and the launch flow)."""
    state = AdapterState.of(app)
    settings = state.settings
    session = http_session or requests.Session()
    urls = ToolUrls(settings.public_url)
    tokens = ServiceTokenClient(lambda: state.services["tool_keys"].signing_key(), session=session)
    http = ServiceSession(tokens, session=session)
    ags = AgsClient(http)
    advantage = AdvantageServices(
        urls=urls,
        registration=DynamicRegistration(
            urls, state.services["platforms"], production=settings.production, session=session
        ),
        catalog=catalog or _catalog_source(state),
        tokens=tokens,
        ags=ags,
        nrps=NrpsClient(http),
        ags_deliverer=AgsScoreDeliverer(ags, state.services["platforms"]),
    )
    state.register("advantage", advantage)
    launch = state.services.get("launch")
    if launch is not None:
        launch.destinations[MessageType.DEEP_LINKING] = "advantage.picker"
    app.register_blueprint(bp)
    return advantage
