"""The client registration document the tool sends in Dynamic Registration.

Messages: resource-link launches and deep linking. Moodle places deep linking in
``ContentArea``; Canvas gets its own fields (``https://canvas.instructure.com/lti/…``) and
placements: link and assignment selection (deep linking) and course navigation (the
manager view).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls

TOOL_NAME = "Yrkesresan"
DESCRIPTION_SV = (
    "Yrkesresan: introduktion och kompetensutveckling för socialtjänstens medarbetare. "
    "Kurser, checklistor och kunskapsmål med gemensam uppföljning (xAPI)."
)
DESCRIPTION_EN = (
    "Yrkesresan: introduction and competence development for social-services staff, "
    "with a shared record of learning (xAPI)."
)
CANVAS = "https://canvas.instructure.com/lti/"
CLAIMS = ("iss", "sub", "name", "given_name", "family_name", "email")


def registration_document(urls: ToolUrls, *, scopes: Sequence[str], canvas: bool) -> dict[str, Any]:
    resource_link: dict[str, Any] = {
        "type": "LtiResourceLinkRequest",
        "target_link_uri": urls.launch,
        "label": TOOL_NAME,
        "label#en": TOOL_NAME,
        "icon_uri": urls.logo,
    }
    deep_linking: dict[str, Any] = {
        "type": "LtiDeepLinkingRequest",
        "target_link_uri": urls.launch,
        "label": "Yrkesresan: välj kurs eller uppgift",
        "label#en": "Yrkesresan: choose a course or task",
        "icon_uri": urls.logo,
        "placements": ["ContentArea"],
    }
    tool: dict[str, Any] = {
        "domain": urls.domain,
        "target_link_uri": urls.launch,
        "description": DESCRIPTION_SV,
        "description#en": DESCRIPTION_EN,
        "claims": list(CLAIMS),
        "custom_parameters": {},
        "messages": [resource_link, deep_linking],
    }
    if canvas:
        deep_linking["placements"] = ["link_selection", "assignment_selection"]
        resource_link["placements"] = ["course_navigation"]
        resource_link["label"] = "Yrkesresan – uppföljning"
        resource_link[CANVAS + "course_navigation/default_enabled"] = True
        tool[CANVAS + "privacy_level"] = "public"
        tool[CANVAS + "tool_id"] = "yrkesresan"
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls.login,
        "redirect_uris": [urls.launch],
        "client_name": TOOL_NAME,
        "client_name#en": TOOL_NAME,
        "jwks_uri": urls.jwks,
        "logo_uri": urls.logo,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(scopes),
        "https://purl.imsglobal.org/spec/lti-tool-configuration": tool,
    }
