"""LTI Advantage in the adapter: dynamic registration and the Canvas JSON
(:mod:`.registration`), the deep-linking picker (:mod:`.deep_linking`), AGS scores per
placement (:mod:`.placement_scores`) and the clients other areas use (:mod:`.services`).
"""

from __future__ import annotations

import requests
from flask import Flask

from yrkesresan_adapter.advantage import deep_linking, registration
from yrkesresan_adapter.advantage.placement_scores import (
    Placement,
    PlacementScores,
    PlacementStore,
    placements_key,
)
from yrkesresan_adapter.advantage.schema import placements_table
from yrkesresan_adapter.advantage.services import AdvantageServices
from yrkesresan_adapter.advantage.services import init_app as init_services
from yrkesresan_adapter.lti import limit_endpoint
from yrkesresan_adapter.state import AdapterState

__all__ = [
    "AdvantageServices",
    "Placement",
    "PlacementScores",
    "PlacementStore",
    "init_app",
    "placements_key",
    "placements_table",
]


def init_app(app: Flask, *, http_session: requests.Session | None = None) -> AdvantageServices:
    """``services.advantage`` and the endpoints (needs storage and the launch flow)."""
    advantage = init_services(app, http_session=http_session)
    app.register_blueprint(registration.bp)
    limits = AdapterState.of(app).settings.rate_limits
    limit_endpoint(app, "advantage.register", limits.registration)
    app.register_blueprint(deep_linking.bp)
    return advantage
