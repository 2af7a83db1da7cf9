"""The pylti1p3next peer: ``/lti/login`` and ``/lti/launch`` (renders the first page).

Configured by the environment variable ``PEER_CONFIG`` (JSON: ``issuer``, ``client_id``,
``auth_login_url``, ``auth_token_url``, ``key_set_url``, ``deployment_id``, ``base_url``,
``redis_url``, ``prefix``). Run with ``gunicorn "peer_pylti1p3.app:create_app()"`` and
``bench`` on ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flask import Flask, render_template
from pylti1p3.contrib.flask import (
    FlaskCacheDataStorage,
    FlaskMessageLaunch,
    FlaskOIDCLogin,
    FlaskRequest,
)
from pylti1p3.tool_config import ToolConfDict
from werkzeug.wrappers import Response

from peer_pylti1p3.cache import RedisCache

KEY_SET_CACHE_SECONDS = 7200  # pylti1p3's README: message_launch.set_public_key_caching(...)


def create_app() -> Flask:
    config: dict[str, Any] = json.loads(os.environ["PEER_CONFIG"])
    app = Flask(__name__)
    app.config.update(SECRET_KEY=config.get("secret", "peer-bench-secret"))
    tool_conf = ToolConfDict(
        {
            config["issuer"]: [
                {
                    "default": True,
                    "client_id": config["client_id"],
                    "auth_login_url": config["auth_login_url"],
                    "auth_token_url": config["auth_token_url"],
                    "key_set_url": config["key_set_url"],
                    "key_set": None,
                    "deployment_ids": [config["deployment_id"]],
                }
            ]
        }
    )
    cache = RedisCache(config["redis_url"], prefix=config["prefix"])
    launch_url = config["base_url"].rstrip("/") + "/lti/launch"

    @app.route("/lti/login", methods=["GET", "POST"])
    def login() -> Response:
        storage = FlaskCacheDataStorage(cache)
        oidc_login = FlaskOIDCLogin(FlaskRequest(), tool_conf, launch_data_storage=storage)
        redirect: Response = oidc_login.redirect(launch_url)
        return redirect

    @app.post("/lti/launch")
    def launch() -> str:
        storage = FlaskCacheDataStorage(cache)
        message_launch = FlaskMessageLaunch(FlaskRequest(), tool_conf, launch_data_storage=storage)
        message_launch.set_public_key_caching(storage, cache_lifetime=KEY_SET_CACHE_SECONDS)
        data = message_launch.get_launch_data()
        return render_template(
            "first_page.html",
            launch_id=message_launch.get_launch_id(),
            name=data.get("name", ""),
            roles=data.get("https://purl.imsglobal.org/spec/lti/claim/roles", []),
            context=data.get("https://purl.imsglobal.org/spec/lti/claim/context", {}),
        )

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app
