"""The fake platform's NRPS memberships (Moodle's short role names), paged with ``Link``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from yrkesresan_lti.testing.services.wire import Reply

if TYPE_CHECKING:
    from yrkesresan_lti.testing.services.platform import FakePlatformServices


def page_of_members(platform: FakePlatformServices, page: int) -> Reply:
    start = (page - 1) * platform.page_size
    chunk = platform.members[start : start + platform.page_size]
    headers = {}
    if start + platform.page_size < len(platform.members):
        nxt = f"{platform.memberships_url()}?{urlencode({'page': page + 1})}"
        headers["Link"] = f'<{nxt}>; rel="next"'
    body = {
        "id": platform.memberships_url(),
        "context": {"id": "2", "label": "LTI101", "title": "LTI Test Course"},
        "members": chunk,
    }
    return Reply(200, body, headers)


ASSISTANT = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
"""How a platform stricter than Moodle lists a teaching assistant."""


def default_members(product: str) -> list[dict[str, Any]]:
    short = product == "moodle"
    learner = "Learner" if short else "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
    teacher = (
        "Instructor" if short else "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
    )
    return [
        {
            "status": "Active",
            "roles": [learner],
            "user_id": "3",
            "name": "Sam Student",
            "given_name": "Sam",
            "family_name": "Student",
            "email": "student1@example.org",
        },
        {
            "status": "Active",
            "roles": [teacher],
            "user_id": "4",
            "name": "Tina Teacher",
            "given_name": "Tina",
            "family_name": "Teacher",
            "email": "teacher1@example.org",
        },
        {  # a non-editing teacher: Moodle 4.5's NRPS says Learner, their launch Instructor
            "status": "Active",
            "roles": [learner if short else ASSISTANT],
            "user_id": "5",
            "name": "Nils Noneditor",
            "given_name": "Nils",
            "family_name": "Noneditor",
            "email": "assistant1@example.org",
        },
    ]
