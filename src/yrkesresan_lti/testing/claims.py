"""The users and id_token claims of the platform simulator, shaped like Moodle 4.5's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.lti.roles import MENTOR_SCOPE_CLAIM

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"


@dataclass(frozen=True)
class SimUser:
    """A user of the simulated LMS."""

    sub: str
    given_name: str
    family_name: str
    roles: tuple[str, ...]
    """The roles of the user's launches (full LIS v2 URIs, as Moodle's id_token has them)."""
    mentees: tuple[str, ...] = ()
    roster_roles: tuple[str, ...] = ()
    """The roles the LMS roster (NRPS) lists, if not the launch's: Moodle 4.5 lists a
    non-editing teacher as ``Learner`` while their launch says Instructor."""

    @property
    def nrps_roles(self) -> list[str]:
        """The roles in the NRPS memberships, with Moodle's short names (``Learner``)."""
        if self.roster_roles:
            return list(self.roster_roles)
        prefix = LIS + "membership#"
        return [r.removeprefix(prefix) for r in self.roles if r.startswith(prefix)]

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def email(self) -> str:
        return f"{self.given_name.lower()}.{self.sub}@kommun.example"


USERS: dict[str, SimUser] = {
    "learner": SimUser("sim-learner-1", "Lina", "Larsson", (LIS + "membership#Learner",)),
    "manager": SimUser("sim-manager-1", "Maja", "Månsson", (LIS + "membership#Instructor",)),
    "trainer": SimUser("sim-trainer-1", "Tove", "Tränare", (LIS + "membership#Instructor",)),
    "admin": SimUser(
        "sim-admin-1",
        "Ali",
        "Andersson",
        (LIS + "membership#Administrator", LIS + "institution/person#Administrator"),
    ),
    "mentor": SimUser(
        "sim-mentor-1",
        "Mona",
        "Mentorsson",
        (LIS + "membership#Mentor",),
        mentees=("sim-learner-1",),
    ),
    "assistant": SimUser(
        "sim-assistant-1",
        "Nils",
        "Noneditor",
        (LIS + "membership#Instructor",),
        roster_roles=("Learner",),
    ),
}
"""Presets: ``learner`` (Learner), ``manager`` (Instructor), ``admin`` (Administrator),
``trainer`` (Instructor: the demo makes her e-mail a trainer's in the register), ``mentor``
(Mentor with ``role_scope_mentor`` = the learner) and ``assistant`` (a Moodle
non-editing teacher: launches as Instructor, the roster lists them as Learner)."""


@dataclass(frozen=True)
class SimLaunch:
    """What to launch: who, which message, which link, which custom parameters, and the
    ``launch_presentation.locale`` (the language the LMS shows the learner)."""

    user: str = "learner"
    message: str = "resource"
    resource_link_id: str = "rl-1"
    context_id: str = "kurs-1"
    custom: tuple[tuple[str, str], ...] = ()
    locale: str = "sv"

    def hint(self) -> dict[str, Any]:
        hint: dict[str, Any] = {
            "user": self.user,
            "message": self.message,
            "rl": self.resource_link_id,
            "ctx": self.context_id,
            "custom": dict(self.custom),
        }
        if self.locale != "sv":
            hint["locale"] = self.locale
        return hint

    @classmethod
    def from_hint(cls, hint: Mapping[str, Any]) -> SimLaunch:
        return cls(
            user=str(hint["user"]),
            message=str(hint["message"]),
            resource_link_id=str(hint["rl"]),
            context_id=str(hint["ctx"]),
            custom=tuple((str(k), str(v)) for k, v in dict(hint.get("custom", {})).items()),
            locale="en" if hint.get("locale") == "en" else "sv",
        )


def build_claims(
    *,
    issuer: str,
    client_id: str,
    deployment_id: str,
    services_url: str,
    target_link_uri: str,
    launch: SimLaunch,
    user: SimUser,
    nonce: str,
    now: int,
) -> dict[str, Any]:
    """Claims of one launch, as a Moodle 4.5 site would send them."""
    services = services_url.rstrip("/")
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": client_id,
        "sub": user.sub,
        "iat": now,
        "exp": now + 60,
        "nonce": nonce,
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "email": user.email,
        c.DEPLOYMENT_ID: deployment_id,
        c.MESSAGE_TYPE: "LtiResourceLinkRequest",
        c.VERSION: "1.3.0",
        c.ROLES: list(user.roles),
        c.TARGET_LINK_URI: target_link_uri,
        c.CONTEXT: {
            "id": launch.context_id,
            "label": "YR101",
            "title": "Yrkesresan: introduktion",
            "type": ["CourseSection"],
        },
        c.CUSTOM: dict(launch.custom),
        c.LAUNCH_PRESENTATION: {"document_target": "window", "locale": launch.locale},
        c.TOOL_PLATFORM: {
            "name": "Simulerad kommun-LMS",
            "product_family_code": "moodle",
            "version": "2024100706",
            "guid": "yrkesresan-simulator",
        },
        c.LTI + "ext": {"lms": "moodle-2", "user_username": user.sub},
        c.AGS_ENDPOINT: {
            "lineitem": f"{services}/ags/{launch.context_id}/lineitems/1/lineitem?type_id=1",
            "lineitems": f"{services}/ags/{launch.context_id}/lineitems?type_id=1",
            "scope": [
                "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                "https://purl.imsglobal.org/spec/lti-ags/scope/score",
            ],
        },
        c.NRPS: {
            "context_memberships_url": f"{services}/nrps/{launch.context_id}/memberships",
            "service_versions": ["1.0", "2.0"],
        },
    }
    if user.mentees:
        claims[MENTOR_SCOPE_CLAIM] = list(user.mentees)
    if launch.message == "deep":
        claims[c.MESSAGE_TYPE] = "LtiDeepLinkingRequest"
        claims[c.DEEP_LINKING_SETTINGS] = {
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["frame", "iframe", "window"],
            "accept_multiple": True,
            "auto_create": False,
            "deep_link_return_url": f"{services}/deep-linking/return?course={launch.context_id}",
            "title": "Välj Yrkesresan-innehåll",
        }
    else:
        claims[c.RESOURCE_LINK] = {"id": launch.resource_link_id, "title": "Yrkesresan"}
    return claims
