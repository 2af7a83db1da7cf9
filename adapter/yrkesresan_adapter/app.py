"""Application factory: ``create_app(settings)`` builds a configured Flask app.

Each subsystem has an ``init_app(app)`` that keeps its state in ``app.extensions`` and
refuses to be registered twice.
"""

from __future__ import annotations

from flask import Flask

from yrkesresan_adapter import (
    advantage_views,
    catalog_service,
    db,
    delivery,
    health,
    jwks,
    keys,
    launch_stores,
    lti_views,
    pages,
    platforms,
    request_log,
    simulator_views,
    xapi_views,
)
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Create the adapter. With no settings, they are read from the environment and ``.env``."""
    settings = settings or Settings()
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    AdapterState.init_app(app, settings)
    request_log.init_app(app)  # X-Request-ID, one http_request line per request
    health.init_app(app)
    catalog_service.init_app(app)  # "catalog": loaded once, on first use
    db.init_app(app)  # storage: "db", schema migrated outside production
    platforms.init_app(app)  # "platforms"
    launch_stores.init_app(app)  # "launch_state", "nonces"
    keys.init_app(app)  # "tool_keys"
    jwks.init_app(app)  # GET /.well-known/jwks.json
    lti_views.init_app(app)  # launch: /lti/login, /lti/launch, /app, "launch", "launch_sessions"
    simulator_views.init_app(app)  # /demo, only when settings.demo
    advantage_views.init_app(app)  # /lti/register, /lti/config/canvas.json, /lti/deep-link
    simulator_views.connect_services(app)  # demo: AGS/NRPS to /demo/platform in-process
    xapi_views.init_app(app)  # GET /xapi/profile.jsonld
    delivery.init_app(app)  # /readyz: outbox lag
    pages.init_app(app)  # /pages: learner journey + checklists, manager view; launches land here
    return app
