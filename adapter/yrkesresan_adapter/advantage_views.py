"""LTI Advantage pages and documents of the adapter.

``GET /lti/register`` (Dynamic Registration, Moodle "Tool URL" / Canvas), ``GET
/lti/config/canvas.json`` (Canvas developer key) and ``GET /lti/logo.svg``; :func:`init_app`
also registers the deep-linking picker (:mod:`yrkesresan_adapter.deep_link_views`). The
logic is in :mod:`yrkesresan_lti.lti.advantage`; this module binds it to Flask.

Service ``"advantage"`` (:class:`AdvantageServices`) gives other areas the AGS and NRPS
clients and the outbox deliverer for ``ags-score`` entries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import requests
from flask import Blueprint, Flask, Response, jsonify, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.advantage_pages import error_page, language_of, page
from yrkesresan_adapter.ags_scores import PlacementStore, gone_hook
from yrkesresan_adapter.models import outbox_tables, placements_table, score_heads_table
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog, default_catalog_path, load_catalog
from yrkesresan_lti.clock import SYSTEM_CLOCK, utcnow
from yrkesresan_lti.exceptions import (
    RegistrationError,
)
from yrkesresan_lti.lti.advantage.ags import AgsClient
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET, AgsScoreDeliverer
from yrkesresan_lti.lti.advantage.canvas import canvas_developer_key
from yrkesresan_lti.lti.advantage.nrps import NrpsClient
from yrkesresan_lti.lti.advantage.registration import DynamicRegistration
from yrkesresan_lti.lti.advantage.score_heads import SqlScoreHeads
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.context import LaunchContext, MessageType
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.outbox.worker import OutboxWorker

LOG = logging.getLogger("yrkesresan.advantage")
MAX_SELECTED = 200
REPLAY_TTL_SECONDS = 24 * 3600

bp = Blueprint("advantage", __name__)
bp.register_error_handler(RegistrationError, error_page)


@dataclass
class AdvantageServices:
    urls: ToolUrls
    registration: DynamicRegistration
    catalog: Callable[[], Catalog]
    tokens: ServiceTokenClient
    ags: AgsClient
    nrps: NrpsClient
    ags_deliverer: AgsScoreDeliverer
    http_session: requests.Session = field(default_factory=requests.Session)
    """The session of the token, AGS and NRPS calls (the demo mounts a transport on it)."""
    placements: PlacementStore | None = None
    """Placed links learners launched (``ags_placements``): what each line item scores."""
    score_heads: SqlScoreHeads | None = None
    """The newest queued score per (line item, learner): only that one is posted."""


def services() -> AdvantageServices:
    found: AdvantageServices = AdapterState.of().services["advantage"]
    return found


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
    try:
        outcome = services().registration.run(config_url, token)
    except SQLAlchemyError as err:
        unavailable = RegistrationError(
            "Yrkesresans databas svarar inte, så registreringen kunde inte sparas. Försök igen "
            "om en stund. (The tool's database is unavailable; nothing was stored.)"
        )
        unavailable.temporary = True
        raise unavailable from err
    saved = outcome.registration
    LOG.info(
        "platform_registered",
        extra={
            "event": "platform_registered",
            "issuer": saved.issuer,
            "client_id": saved.client_id,
            "deployment_id": outcome.deployment_id or "-",
            "pending": outcome.pending,
        },
    )
    return page("advantage/registered.html", outcome=outcome, language=language_of())


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


# --- wiring ---------------------------------------------------------------------------------


def ags_worker(app: Flask) -> OutboxWorker:
    """An outbox worker for the ``ags`` target: posts queued AGS scores to the platforms."""

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
    db = state.services["db"]
    placements = PlacementStore(placements_table)
    heads = SqlScoreHeads(db.engine, score_heads_table)
    deliverer = AgsScoreDeliverer(
        ags,
        state.services["platforms"],
        heads=heads,
        on_gone=gone_hook(db.engine, placements, SYSTEM_CLOCK),
    )
    advantage = AdvantageServices(
        urls=urls,
        registration=DynamicRegistration(
            urls, state.services["platforms"], production=settings.production, session=session
        ),
        catalog=catalog or _catalog_source(state),
        tokens=tokens,
        ags=ags,
        nrps=NrpsClient(http),
        ags_deliverer=deliverer,
        http_session=session,
        placements=placements,
        score_heads=heads,
    )
    state.register("advantage", advantage)
    launch = state.services.get("launch")
    if launch is not None:
        launch.destinations[MessageType.DEEP_LINKING] = "deep_linking.picker"

        def keep_placement(context: LaunchContext) -> None:
            with db.connection() as conn:  # joins the launch's transaction
                placements.record(conn, context, now=utcnow())

        launch.on_launch.append(keep_placement)
    app.register_blueprint(bp)
    from yrkesresan_adapter import deep_link_views

    app.register_blueprint(deep_link_views.bp)
    return advantage
