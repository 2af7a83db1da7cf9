"""LTI 1.3 claim names and the mapping of validated claims to a :class:`LaunchContext`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from yrkesresan_lti.lti.context import LaunchContext, MessageType, ToolRole
from yrkesresan_lti.lti.roles import mentored_user_ids, tool_role
from yrkesresan_lti.untrusted import MAX_DISPLAY_TEXT, shorten

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
RESOURCE_LINK = LTI + "resource_link"
TARGET_LINK_URI = LTI + "target_link_uri"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
LAUNCH_PRESENTATION = LTI + "launch_presentation"
TOOL_PLATFORM = LTI + "tool_platform"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


def _obj(claims: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = claims.get(name)
    return dict(value) if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


MAX_EMAIL = 254
"""RFC 5321's longest address; a longer ``email`` claim is left out."""


def _display(value: Any, limit: int = MAX_DISPLAY_TEXT) -> str | None:
    """A name or title for pages and statements, shortened to ``limit`` characters (so a
    ``given_name family_name`` pair fits one ``page_learners.name``)."""
    text = _text(value)
    return None if text is None else shorten(text, limit)


def _email(value: Any) -> str | None:
    text = _text(value)
    return text if text is not None and len(text) <= MAX_EMAIL else None


def build_context(claims: Mapping[str, Any], launch_id: str, client_id: str) -> LaunchContext:
    """The :class:`LaunchContext` of claims that passed every check of the validator."""
    roles = tuple(str(r) for r in claims.get(ROLES) or [])
    context, link = _obj(claims, CONTEXT), _obj(claims, RESOURCE_LINK)
    custom = {str(k): str(v) for k, v in _obj(claims, CUSTOM).items() if v is not None}
    return LaunchContext(
        launch_id=launch_id,
        issuer=str(claims["iss"]),
        client_id=client_id,
        deployment_id=str(claims[DEPLOYMENT_ID]),
        sub=str(claims["sub"]),
        message_type=MessageType(claims[MESSAGE_TYPE]),
        role=tool_role(roles),
        lti_roles=roles,
        context_id=_text(context.get("id")),
        context_title=_display(context.get("title")),
        resource_link_id=_text(link.get("id")),
        resource_link_title=_display(link.get("title")),
        target_link_uri=_text(claims.get(TARGET_LINK_URI)),
        custom=custom,
        locale=_text(_obj(claims, LAUNCH_PRESENTATION).get("locale")),
        name=_display(claims.get("name")),
        given_name=_display(claims.get("given_name"), MAX_DISPLAY_TEXT // 2),
        family_name=_display(claims.get("family_name"), MAX_DISPLAY_TEXT // 2),
        email=_email(claims.get("email")),
        platform_name=_display(_obj(claims, TOOL_PLATFORM).get("name")),
        mentored_user_ids=mentored_user_ids(claims),
        ags=_obj(claims, AGS_ENDPOINT) or None,
        nrps=_obj(claims, NRPS) or None,
        deep_linking_settings=_obj(claims, DEEP_LINKING_SETTINGS) or None,
    )


def context_to_dict(context: LaunchContext) -> dict[str, Any]:
    """A JSON-able dict of a launch, for server-side storage (its claims' JSON values are
    shared, not copied: the dict is serialised at once)."""
    data = {f.name: getattr(context, f.name) for f in fields(context)}
    data["message_type"] = context.message_type.value
    data["role"] = context.role.value
    data["lti_roles"] = list(context.lti_roles)
    data["mentored_user_ids"] = list(context.mentored_user_ids)
    return data


def context_from_dict(data: Mapping[str, Any]) -> LaunchContext:
    values = dict(data)
    values["message_type"] = MessageType(values["message_type"])
    values["role"] = ToolRole(values["role"])
    values["lti_roles"] = tuple(values.get("lti_roles") or ())
    values["mentored_user_ids"] = tuple(values.get("mentored_user_ids") or ())
    return LaunchContext(**values)
