"""LTI roles → our roles: full URIs and short names, least privilege for the unknown."""

from __future__ import annotations

import pytest

from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.lti.roles import mentored_user_ids, tool_role

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
SCOPE = "https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor"


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([LIS + "membership#Learner"], ToolRole.LEARNER),
        (["Learner"], ToolRole.LEARNER),
        ([LIS + "membership#Instructor"], ToolRole.MANAGER),
        (["Instructor"], ToolRole.MANAGER),
        ([LIS + "membership/Instructor#TeachingAssistant"], ToolRole.MANAGER),
        (["TeachingAssistant"], ToolRole.MANAGER),
        ([LIS + "membership#ContentDeveloper"], ToolRole.MANAGER),
        ([LIS + "membership#Administrator"], ToolRole.ADMIN),
        ([LIS + "institution/person#Administrator"], ToolRole.ADMIN),
        ([LIS + "system/person#Administrator"], ToolRole.ADMIN),
        (["urn:lti:sysrole:ims/lis/Administrator"], ToolRole.ADMIN),
        (["urn:lti:role:ims/lis/Instructor"], ToolRole.MANAGER),
        ([LIS + "membership#Learner", LIS + "membership#Instructor"], ToolRole.MANAGER),
        ([LIS + "membership#Instructor", LIS + "institution/person#Administrator"], ToolRole.ADMIN),
        ([LIS + "institution/person#Instructor"], ToolRole.LEARNER),
        ([LIS + "institution/person#Faculty"], ToolRole.LEARNER),
        (["http://example.com/roles#Administrator"], ToolRole.LEARNER),
        (["Superuser"], ToolRole.LEARNER),
        ([LIS + "membership#Mentor"], ToolRole.LEARNER),
        ([], ToolRole.LEARNER),
    ],
)
def test_lti_roles_map_to_our_role(roles: list[str], expected: ToolRole) -> None:
    assert tool_role(roles) is expected


def test_mentor_manages_exactly_the_scoped_users() -> None:
    claims = {ROLES: [LIS + "membership#Mentor"], SCOPE: ["3", "7", "3"]}
    assert mentored_user_ids(claims) == ("3", "7")


@pytest.mark.parametrize(
    "claims",
    [
        {ROLES: [LIS + "membership#Mentor"]},
        {ROLES: [LIS + "membership#Learner"], SCOPE: ["3"]},
        {ROLES: "Mentor", SCOPE: ["3"]},
        {ROLES: ["Mentor"], SCOPE: "3"},
    ],
)
def test_no_mentees_without_mentor_role_and_scope(claims: dict[str, object]) -> None:
    assert mentored_user_ids(claims) == ()
