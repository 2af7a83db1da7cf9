"""The Canvas developer-key JSON, validated against the fields Canvas documents.

Schema written from Canvas's "Configuring LTI Advantage Tools" developer documentation
(developerdocs.instructure.com/services/canvas/external-tools/lti/file.lti_dev_key_config):
required title, description, oidc_initiation_url, target_link_uri and public_jwk or
public_jwk_url; extensions for platform canvas.instructure.com with placements.
"""

from __future__ import annotations

from typing import Any

import jsonschema  # type: ignore[import-untyped]

from yrkesresan_lti.lti.advantage.canvas import canvas_developer_key
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls

URL = {"type": "string", "pattern": "^https?://"}
PLACEMENTS = [
    "account_navigation", "assignment_edit", "assignment_group_menu", "assignment_index_menu",
    "assignment_menu", "assignment_selection", "assignment_view", "collaboration",
    "conference_selection", "course_assignments_menu", "course_home_sub_navigation",
    "course_navigation", "course_settings_sub_navigation", "discussion_topic_index_menu",
    "discussion_topic_menu", "editor_button", "file_index_menu", "file_menu", "global_navigation",
    "homework_submission", "link_selection", "migration_selection", "module_group_menu",
    "module_index_menu", "module_index_menu_modal", "module_menu", "module_menu_modal",
    "post_grades", "quiz_index_menu", "quiz_menu", "resource_selection", "similarity_detection",
    "student_context_card", "submission_type_selection", "tool_configuration",
    "top_navigation", "user_navigation", "wiki_index_menu", "wiki_page_menu",
]  # fmt: skip
PRIVACY = ["public", "name_only", "email_only", "anonymous"]
CANVAS_DEVELOPER_KEY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["title", "description", "oidc_initiation_url", "target_link_uri"],
    "oneOf": [{"required": ["public_jwk"]}, {"required": ["public_jwk_url"]}],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "oidc_initiation_url": URL,
        "oidc_initiation_urls": {"type": "object"},
        "target_link_uri": URL,
        "public_jwk": {"type": "object"},
        "public_jwk_url": URL,
        "redirect_uris": {"type": "array", "items": URL},
        "scopes": {"type": "array", "items": {"type": "string", "pattern": "^https://"}},
        "privacy_level": {"enum": PRIVACY},
        "custom_fields": {"type": "object", "additionalProperties": {"type": "string"}},
        "extensions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["platform", "settings"],
                "properties": {
                    "platform": {"const": "canvas.instructure.com"},
                    "domain": {"type": "string"},
                    "tool_id": {"type": "string"},
                    "privacy_level": {"enum": PRIVACY},
                    "settings": {
                        "type": "object",
                        "required": ["placements"],
                        "properties": {
                            "text": {"type": "string"},
                            "icon_url": URL,
                            "selection_width": {"type": ["integer", "string"]},
                            "selection_height": {"type": ["integer", "string"]},
                            "placements": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "required": ["placement"],
                                    "properties": {
                                        "placement": {"enum": PLACEMENTS},
                                        "message_type": {
                                            "enum": ["LtiResourceLinkRequest",
                                                     "LtiDeepLinkingRequest"]
                                        },
                                        "target_link_uri": URL,
                                        "text": {"type": "string"},
                                        "icon_url": URL,
                                        "enabled": {"type": ["boolean", "string"]},
                                        "canvas_icon_class": {"type": "string"},
                                        "selection_width": {"type": ["integer", "string"]},
                                        "selection_height": {"type": ["integer", "string"]},
                                    },
                                    "additionalProperties": False,
                                },
                            },
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    },
}  # fmt: skip

URLS = ToolUrls("https://yrkesresan.example.se")


def test_developer_key_validates_against_canvas_documented_fields() -> None:
    key = canvas_developer_key(URLS)
    jsonschema.validate(key, CANVAS_DEVELOPER_KEY_SCHEMA)


def test_schema_refuses_undocumented_fields() -> None:
    broken = {**canvas_developer_key(URLS), "login_url": "https://x"}
    errors = list(jsonschema.Draft202012Validator(CANVAS_DEVELOPER_KEY_SCHEMA).iter_errors(broken))
    assert errors


def test_developer_key_urls_and_placements() -> None:
    key = canvas_developer_key(URLS)
    assert key["oidc_initiation_url"] == "https://yrkesresan.example.se/lti/login"
    assert key["target_link_uri"] == "https://yrkesresan.example.se/lti/launch"
    assert key["public_jwk_url"] == "https://yrkesresan.example.se/.well-known/jwks.json"
    placements = {
        p["placement"]: p["message_type"] for p in key["extensions"][0]["settings"]["placements"]
    }
    assert placements == {
        "link_selection": "LtiDeepLinkingRequest",
        "assignment_selection": "LtiDeepLinkingRequest",
        "course_navigation": "LtiResourceLinkRequest",
    }
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in key["scopes"]
    assert (
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
        in (key["scopes"])
    )
