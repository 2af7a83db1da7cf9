"""LTI roles → our :class:`ToolRole` (least privilege for anything unknown).

Accepts the full LIS v2 URIs of the LTI 1.3 spec, the short names Moodle's NRPS sends
(``Instructor``), sub-roles (``membership/Instructor#TeachingAssistant``) and the LTI 1.1
URNs (``urn:lti:role:ims/lis/Learner``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from yrkesresan_lti.lti.context import ToolRole

MENTOR_SCOPE_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor"

_MANAGER_ROLES = frozenset({"Instructor", "TeachingAssistant", "ContentDeveloper"})
_RANK = {ToolRole.LEARNER: 0, ToolRole.MANAGER: 1, ToolRole.ADMIN: 2}


def role_name(role: str) -> tuple[str, str]:
    """``(scope, name)`` of one role: scope is ``context``, ``institution`` or ``system``."""
    role = role.strip()
    if role.startswith("urn:lti:"):
        kind, _, path = role[len("urn:lti:") :].partition(":")
        name = path.rsplit("/", 1)[-1]
        scope = {"instrole": "institution", "sysrole": "system"}.get(kind, "context")
        return scope, name
    if role.startswith(("http://", "https://")):
        path, _, name = role.partition("#")
        if "/vocab/lis/v2/institution/" in path:
            return "institution", name
        if "/vocab/lis/v2/system/" in path:
            return "system", name
        if "/vocab/lis/v2/membership" in path:
            return "context", name
        return "unknown", name
    return "context", role


def role_of(lti_role: str) -> ToolRole:
    scope, name = role_name(lti_role)
    if name in {"Administrator", "SysAdmin"} and scope != "unknown":
        return ToolRole.ADMIN
    if scope == "context" and name in _MANAGER_ROLES:
        return ToolRole.MANAGER
    return ToolRole.LEARNER


def tool_role(lti_roles: Iterable[str]) -> ToolRole:
    """The highest of our roles any of the LTI roles grants; learner when none does."""
    return max((role_of(r) for r in lti_roles), key=_RANK.__getitem__, default=ToolRole.LEARNER)


def is_mentor(lti_roles: Iterable[str]) -> bool:
    return any(role_name(r) == ("context", "Mentor") for r in lti_roles)


def mentored_user_ids(claims: Mapping[str, Any]) -> tuple[str, ...]:
    """The users a Mentor manages (``role_scope_mentor``); empty unless the user is a Mentor."""
    roles = claims.get("https://purl.imsglobal.org/spec/lti/claim/roles") or []
    scope = claims.get(MENTOR_SCOPE_CLAIM) or []
    if not isinstance(roles, list) or not isinstance(scope, list) or not is_mentor(roles):
        return ()
    return tuple(dict.fromkeys(str(s) for s in scope if isinstance(s, str) and s))
