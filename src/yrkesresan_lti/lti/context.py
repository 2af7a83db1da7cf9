"""What a validated launch tells the rest of the tool, independent of any web framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ToolRole(StrEnum):
    """Our roles, mapped from LTI roles (least privilege for anything unknown)."""

    LEARNER = "learner"
    MANAGER = "manager"
    ADMIN = "admin"


class MessageType(StrEnum):
    """The LTI message types the tool takes."""

    RESOURCE_LINK = "LtiResourceLinkRequest"
    DEEP_LINKING = "LtiDeepLinkingRequest"


@dataclass(frozen=True)
class LaunchContext:
    """A validated launch. Tenant = (issuer, client_id, deployment_id); pages scope by it
    and by ``context_id``, so nothing of one platform/deployment/course is seen from another."""

    launch_id: str
    issuer: str
    client_id: str
    deployment_id: str
    sub: str
    message_type: MessageType
    role: ToolRole
    lti_roles: tuple[str, ...] = ()
    context_id: str | None = None
    context_title: str | None = None
    resource_link_id: str | None = None
    resource_link_title: str | None = None
    target_link_uri: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
    """Custom parameters; ``yrkesresan_node`` names the deep-linked catalog node (its IRI)."""
    locale: str | None = None
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    platform_name: str | None = None
    mentored_user_ids: tuple[str, ...] = ()
    """``role_scope_mentor``: a mentor manages exactly these users (LTI ``sub`` values)."""
    ags: dict[str, Any] | None = None
    """The AGS endpoint claim (``lineitem``, ``lineitems``, ``scope``), if offered."""
    nrps: dict[str, Any] | None = None
    """The NRPS claim (``context_memberships_url``, ``service_versions``), if offered."""
    deep_linking_settings: dict[str, Any] | None = None

    @property
    def tenant(self) -> tuple[str, str, str]:
        """(issuer, client_id, deployment_id): what scopes everything stored for this launch."""
        return (self.issuer, self.client_id, self.deployment_id)

    @property
    def is_manager(self) -> bool:
        """True for managers and admins, and for mentors of some users."""
        return self.role in (ToolRole.MANAGER, ToolRole.ADMIN) or bool(self.mentored_user_ids)
