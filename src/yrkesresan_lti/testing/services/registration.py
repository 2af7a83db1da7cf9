"""The fake platform's OpenID configuration and its Dynamic Registration endpoint."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from yrkesresan_lti.testing.services.wire import AGS_SCOPES, NRPS_SCOPE, Reply, WsgiEnviron

if TYPE_CHECKING:
    from yrkesresan_lti.testing.services.platform import FakePlatformServices


def openid_configuration(platform: FakePlatformServices) -> dict[str, Any]:
    base = platform.base_url
    return {
        "issuer": base,
        "token_endpoint": platform.token_url,
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "jwks_uri": f"{base}/mod/lti/certs.php",
        "authorization_endpoint": f"{base}/mod/lti/auth.php",
        "registration_endpoint": f"{base}/mod/lti/openid-registration.php",
        "scopes_supported": [*AGS_SCOPES, NRPS_SCOPE, "openid"],
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public", "pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
        "https://purl.imsglobal.org/spec/lti-platform-configuration": {
            "product_family_code": platform.product,
            "version": "4.5.6 (Build: 20250811)" if platform.product == "moodle" else "cloud",
            "messages_supported": [
                {"type": "LtiResourceLinkRequest"},
                {"type": "LtiDeepLinkingRequest", "placements": ["ContentArea"]},
            ],
        },
    }


def register(platform: FakePlatformServices, environ: WsgiEnviron, raw: bytes) -> Reply:
    if environ.get("HTTP_AUTHORIZATION") != f"Bearer {platform.registration_token}":
        return Reply(401, {"error": "invalid_token"})
    try:
        body = json.loads(raw)
    except ValueError:
        return Reply(400, {"error": "invalid_client_metadata"})
    config = body.get("https://purl.imsglobal.org/spec/lti-tool-configuration")
    if not isinstance(config, dict) or not body.get("initiate_login_uri"):
        return Reply(400, {"error": "invalid_client_metadata"})
    platform.registrations.append(body)
    answer = dict(body, client_id=platform.client_id)
    answer["https://purl.imsglobal.org/spec/lti-tool-configuration"] = dict(
        config, deployment_id=platform.deployment_id
    )
    return Reply(200, answer)
