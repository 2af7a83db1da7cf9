"""LTI 1.3 launches: OIDC login and launch (:mod:`.views`), the OIDC state and nonce stores
(:mod:`.oidc_stores`), launch sessions behind the pages' launch tokens (:mod:`.session`),
platform storage and the new-window page for cookie-blocking browsers
(:mod:`.platform_storage`, :mod:`.new_window`), typed errors as 4xx pages (:mod:`.errors`,
texts in :mod:`.messages`), per-address rate limits (:mod:`.rate_limits`) and the tool's
``/.well-known/jwks.json`` (:mod:`.jwks_endpoint`).
"""

from __future__ import annotations

import requests
from flask import Flask

from yrkesresan_adapter.lti import jwks_endpoint, oidc_stores, rate_limits, views
from yrkesresan_adapter.lti.errors import error_response, page_language
from yrkesresan_adapter.lti.first_page import hand_over, handed
from yrkesresan_adapter.lti.rate_limits import limit_endpoint
from yrkesresan_adapter.lti.session import (
    current_launch,
    launch_of_request,
    launch_url,
    require_launch,
)
from yrkesresan_adapter.lti.views import LaunchServices
from yrkesresan_lti.instance_secret import load_secret

__all__ = [
    "LaunchServices",
    "current_launch",
    "error_response",
    "hand_over",
    "handed",
    "init_app",
    "launch_of_request",
    "launch_url",
    "limit_endpoint",
    "load_secret",
    "page_language",
    "require_launch",
]


def init_app(app: Flask, *, jwks_session: requests.Session | None = None) -> LaunchServices:
    """``services.launch_state``, ``nonces``, ``launch`` and ``launch_sessions``; the JWKS,
    login, launch and landing endpoints (needs storage)."""
    oidc_stores.init_app(app)
    rate_limits.init_app(app)
    jwks_endpoint.init_app(app)
    return views.init_app(app, jwks_session=jwks_session)
