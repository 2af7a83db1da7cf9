"""Canvas's developer-key JSON (``GET /lti/config/canvas.json``, "Enter URL" in Canvas).

Fields as Canvas documents them for LTI 1.3 keys: ``title``, ``description``,
``oidc_initiation_url``, ``target_link_uri``, ``public_jwk_url``, ``scopes``,
``extensions[]`` (``platform`` = ``canvas.instructure.com``, ``privacy_level``,
``settings.placements``), ``custom_fields``.
"""

from __future__ import annotations

from typing import Any

from yrkesresan_lti.lti.advantage.registration import TOOL_SCOPES
from yrkesresan_lti.lti.advantage.tool_config import DESCRIPTION_SV, TOOL_NAME
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls

PRIVACY_LEVEL = "public"
"""Names and e-mails reach the tool (managers see their staff); xAPI stays pseudonymous."""


def canvas_developer_key(urls: ToolUrls) -> dict[str, Any]:
    """The JSON a Canvas admin pastes as an LTI developer key ("Paste JSON" or "Enter URL").

    Served at ``/lti/config/canvas.json``: the tool's URLs, its key set, the scopes (AGS,
    NRPS) and the placements (link selection, assignment selection, course navigation).
    """

    def placement(name: str, message_type: str, text: str) -> dict[str, Any]:
        return {
            "placement": name,
            "message_type": message_type,
            "target_link_uri": urls.launch,
            "text": text,
            "icon_url": urls.logo,
            "enabled": True,
        }

    return {
        "title": TOOL_NAME,
        "description": DESCRIPTION_SV,
        "oidc_initiation_url": urls.login,
        "target_link_uri": urls.launch,
        "public_jwk_url": urls.jwks,
        "scopes": list(TOOL_SCOPES),
        "privacy_level": PRIVACY_LEVEL,
        "custom_fields": {"canvas_user_locale": "$Canvas.user.locale"},
        "extensions": [
            {
                "platform": "canvas.instructure.com",
                "domain": urls.domain,
                "tool_id": "yrkesresan",
                "privacy_level": PRIVACY_LEVEL,
                "settings": {
                    "text": TOOL_NAME,
                    "icon_url": urls.logo,
                    "selection_width": 900,
                    "selection_height": 700,
                    "placements": [
                        placement(
                            "link_selection",
                            "LtiDeepLinkingRequest",
                            "Yrkesresan: välj kurs eller uppgift",
                        ),
                        placement(
                            "assignment_selection",
                            "LtiDeepLinkingRequest",
                            "Yrkesresan: välj kurs eller uppgift",
                        ),
                        placement(
                            "course_navigation",
                            "LtiResourceLinkRequest",
                            "Yrkesresan – uppföljning",
                        ),
                    ],
                },
            }
        ],
    }
