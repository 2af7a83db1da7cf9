"""pylti1p3 (from pylti1p3next) as an independent reference for our simulated platform.

Every launch test in this project stands on id_tokens the simulator signs. Here pylti1p3's
own ``MessageLaunch`` pipeline (format, nonce, registration, signature, deployment, message
validators for resource links and deep linking) must accept each kind of launch it makes,
so our tests are not built on tokens only our own checks understand. Our tool does not use
pylti1p3 for launches: its state check relies on a cookie session and it neither verifies
``aud`` nor consumes nonces (see docs/security.md).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from flask import Flask
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskRequest
from pylti1p3.exception import LtiException
from pylti1p3.tool_config import ToolConfDict

from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

TOOL = "https://tool.example"
ISSUER = "https://lms.kommun.example"
STATE = "state-123"


@pytest.fixture
def sim(platform_key: SigningKey) -> PlatformSimulator:
    return PlatformSimulator(issuer=ISSUER, tool_url=TOOL, key=platform_key)


def _tool_conf(sim: PlatformSimulator) -> ToolConfDict:
    return ToolConfDict(
        {
            sim.issuer: [
                {
                    "default": True,
                    "client_id": sim.client_id,
                    "auth_login_url": sim.auth_login_url,
                    "auth_token_url": f"{sim.issuer}/token",
                    "key_set": sim.jwks(),
                    "deployment_ids": [sim.deployment_id],
                }
            ]
        }
    )


def _reference_launch(sim: PlatformSimulator, id_token: str, nonce: str) -> dict[str, Any]:
    app = Flask(__name__)
    app.secret_key = "reference-test"  # pylti1p3 keeps its nonce in the session
    with app.test_request_context(
        "/lti/launch",
        method="POST",
        data={"id_token": id_token, "state": STATE},
        headers={"Cookie": f"lti1p3-{STATE}={STATE}"},
    ):
        from flask import session

        session[f"lti1p3-nonce-{nonce}"] = True
        launch = FlaskMessageLaunch(FlaskRequest(), _tool_conf(sim))
        data: dict[str, Any] = launch.validate().get_launch_data()
        return data


def _token(sim: PlatformSimulator, launch: SimLaunch, nonce: str) -> str:
    return sim.sign(sim.claims(launch, nonce=nonce))


@pytest.mark.parametrize(
    "launch",
    [
        SimLaunch(user="learner"),
        SimLaunch(user="manager"),
        SimLaunch(user="admin"),
        SimLaunch(user="mentor"),
        SimLaunch(user="manager", message="deep"),
        SimLaunch(user="learner", custom=(("yrkesresan_node", "https://yrkesresan.se/id/x"),)),
    ],
    ids=["learner", "instructor", "administrator", "mentor", "deep-linking", "custom"],
)
def test_pylti1p3_accepts_every_kind_of_simulated_launch(
    sim: PlatformSimulator, launch: SimLaunch
) -> None:
    data = _reference_launch(sim, _token(sim, launch, "n-1"), "n-1")
    assert data["sub"] == sim.claims(launch, nonce="n-1")["sub"]
    assert data["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == sim.deployment_id


def test_pylti1p3_refuses_a_token_whose_signature_was_altered(sim: PlatformSimulator) -> None:
    head, body, signature = _token(sim, SimLaunch(), "n-2").split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(LtiException):
        _reference_launch(sim, f"{head}.{forged}.{signature}", "n-2")
