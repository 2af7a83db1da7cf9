"""NRPS: Moodle's roster with short role names, paging, loops, missing names, TTL cache."""

from __future__ import annotations

import pytest
import responses

from tests.advantage.conftest import MOODLE, fixture_json, registration_for
from tests.conftest import FakeClock
from yrkesresan_lti.exceptions import ServiceNotEnabled, ServiceRejected
from yrkesresan_lti.lti.advantage.nrps import (
    INSTRUCTOR,
    LEARNER,
    Member,
    NrpsClient,
    full_role,
)
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.testing.services import FakePlatformServices

URL = "http://127.0.0.1:8080/mod/lti/services.php/CourseSection/2/bindings/1/memberships"


def _nrps(key: SigningKey, clock: FakeClock | None = None, max_pages: int = 50) -> NrpsClient:
    http = ServiceSession(ServiceTokenClient(lambda: key))
    return NrpsClient(http, clock=clock or FakeClock(), max_pages=max_pages)


def _token() -> None:
    responses.add(responses.POST, MOODLE.auth_token_url, json={"access_token": "t"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Learner", LEARNER),
        ("Instructor", INSTRUCTOR),
        (LEARNER, LEARNER),
        ("urn:lti:role:ims/lis/Instructor", INSTRUCTOR),
        (
            "Instructor#TeachingAssistant",
            "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
        ),
        ("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Staff",) * 2,
    ],
)
def test_short_and_full_role_names_map_to_full_uris(given: str, expected: str) -> None:
    assert full_role(given) == expected


@responses.activate
def test_moodle_roster_with_short_role_names(signing_key: SigningKey) -> None:
    _token()
    responses.add(responses.GET, URL, json=fixture_json("nrps-memberships.json"))
    roster = _nrps(signing_key).roster(MOODLE, URL)
    assert roster.complete
    assert roster.context["label"] == "LTI101"
    sam, tina = roster.members
    assert (sam.user_id, sam.is_learner, sam.is_instructor) == ("3", True, False)
    assert (tina.user_id, tina.is_instructor, tina.email) == ("4", True, "teacher1@example.org")
    sent = responses.calls[1].request.headers
    assert sent["Accept"] == "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


def test_member_without_names_or_email() -> None:
    member = Member.from_json({"user_id": "9", "roles": ["Learner"], "name": "  "})
    assert (member.name, member.email, member.status, member.active) == (None, None, "Active", True)
    assert Member.from_json({"user_id": 5, "roles": [], "status": "Inactive"}).active is False


@pytest.mark.parametrize("rel", ['rel="next"', "rel=next", 'rel="prev next"'])
@responses.activate
def test_paging_follows_next_links_quoted_or_not(signing_key: SigningKey, rel: str) -> None:
    _token()
    page2 = URL + "?page=2"
    responses.add(
        responses.GET,
        URL,
        json={"members": [{"user_id": "1", "roles": ["Learner"]}]},
        headers={"Link": f'<{URL}?page=0>; rel="first", <{page2}>; {rel}'},
        match=[responses.matchers.query_string_matcher("")],
    )
    responses.add(
        responses.GET,
        page2,
        json={"members": [{"user_id": "2", "roles": ["Learner"]}]},
        match=[responses.matchers.query_string_matcher("page=2")],
    )
    roster = _nrps(signing_key).roster(MOODLE, URL)
    assert [m.user_id for m in roster.members] == ["1", "2"]
    assert roster.complete


@responses.activate
def test_a_next_link_back_to_a_seen_page_stops(signing_key: SigningKey) -> None:
    _token()
    responses.add(
        responses.GET,
        URL,
        json={"members": [{"user_id": "1", "roles": ["Learner"]}]},
        headers={"Link": f'<{URL}>; rel="next"'},
    )
    roster = _nrps(signing_key).roster(MOODLE, URL)
    assert [m.user_id for m in roster.members] == ["1"]
    assert roster.complete is False
    assert len(responses.calls) == 2  # token + one page, no endless loop


def test_paging_is_capped(fake_platform: FakePlatformServices, signing_key: SigningKey) -> None:
    fake_platform.members = [{"user_id": str(n), "roles": ["Learner"]} for n in range(10)]
    fake_platform.page_size = 2
    platform = registration_for(fake_platform)
    capped = _nrps(signing_key, max_pages=3).roster(platform, fake_platform.memberships_url())
    assert (len(capped.members), capped.complete) == (6, False)
    full = _nrps(signing_key).roster(platform, fake_platform.memberships_url())
    assert (len(full.members), full.complete) == (10, True)


def test_roster_is_cached_for_its_ttl(
    fake_platform: FakePlatformServices, signing_key: SigningKey, clock: FakeClock
) -> None:
    platform = registration_for(fake_platform)
    nrps = _nrps(signing_key, clock)
    first = nrps.roster(platform, fake_platform.memberships_url())
    fake_platform.members.append({"user_id": "9", "roles": ["Learner"]})
    clock.advance(minutes=4)
    assert nrps.roster(platform, fake_platform.memberships_url()) == first
    clock.advance(minutes=2)
    assert len(nrps.roster(platform, fake_platform.memberships_url()).members) == 4


def test_the_fake_moodle_lists_a_non_editing_teacher_as_learner(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    """As Moodle 4.5 does: their launch says Instructor, the roster (short names) Learner."""
    roster = _nrps(signing_key).roster(
        registration_for(fake_platform), fake_platform.memberships_url()
    )
    raw = {m["name"]: m["roles"] for m in fake_platform.members}
    assert raw == {
        "Sam Student": ["Learner"],
        "Tina Teacher": ["Instructor"],
        "Nils Noneditor": ["Learner"],
    }
    nils = next(m for m in roster.members if m.name == "Nils Noneditor")
    assert (nils.is_learner, nils.is_instructor) == (True, False)


def test_nrps_switched_off_says_what_to_enable(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    fake_platform.enabled_scopes = {"https://purl.imsglobal.org/spec/lti-ags/scope/score"}
    with pytest.raises(ServiceNotEnabled, match="are enabled"):
        _nrps(signing_key).roster(registration_for(fake_platform), fake_platform.memberships_url())
    fake_platform.enabled_scopes.add(
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
    )
    fake_platform.fail("/memberships", 401, times=2)
    with pytest.raises(ServiceNotEnabled, match="Names and Role Provisioning"):
        _nrps(signing_key).roster(registration_for(fake_platform), fake_platform.memberships_url())


def test_names_a_page_cannot_show_are_left_out_and_long_ones_shortened() -> None:
    """The roster is as untrusted as a launch: a name with NUL or a lone surrogate made the
    manager's staff page a 500 (it cannot be encoded); a launch shortens long names."""
    member = Member.from_json(
        {
            "user_id": "9",
            "roles": ["Learner"],
            "name": "Rut\udc80",
            "given_name": "Rut\x00",
            "family_name": "R" * 300,
            "email": "rut@example.org",
        }
    )
    assert (member.name, member.given_name) == (None, None)
    assert member.family_name is not None
    assert len(member.family_name) == 255
    assert member.family_name.endswith("…")
    assert member.email == "rut@example.org"


@responses.activate
def test_a_member_whose_user_id_no_launch_could_carry_is_left_out(
    signing_key: SigningKey,
) -> None:
    _token()
    responses.add(
        responses.GET,
        URL,
        json={
            "context": {"id": "2"},
            "members": [
                {"user_id": "3", "roles": ["Learner"], "name": "Sam"},
                {"user_id": "4\x00", "roles": ["Learner"]},
                {"user_id": "5\udc80", "roles": ["Learner"]},
                {"user_id": "6" * 256, "roles": ["Learner"]},
                {"user_id": 7, "roles": ["Learner"]},
            ],
        },
    )
    roster = _nrps(signing_key).roster(MOODLE, URL)
    assert [m.user_id for m in roster.members] == ["3", "7"]
    assert roster.complete


ONE = {"members": [{"user_id": "3", "roles": ["Learner"]}]}


@pytest.mark.parametrize(
    ("body", "link"),
    [
        ({"members": 5}, None),
        ({"members": "abc"}, None),
        (ONE, "<http://[>; rel=next"),
        (ONE, '<https://evil.example/m>; rel="next"'),
        (ONE, "<http://127.0.0.1:9999/m>; rel=next"),
        (ONE, "<javascript:alert(1)>; rel=next"),
    ],
    ids=["members a number", "members a string", "next unreadable", "next on another host",
         "next on another port", "next not http"],
)  # fmt: skip
@responses.activate
def test_a_roster_the_page_cannot_use_is_a_typed_refusal(
    signing_key: SigningKey, body: dict[str, object], link: str | None
) -> None:
    """Typed, so the staff page falls back to the people who launched (a ``TypeError`` was a
    500); a next page elsewhere is not asked for with our access token."""
    _token()
    responses.add(responses.GET, URL, json=body, headers={"Link": link} if link else {})
    with pytest.raises(ServiceRejected):
        _nrps(signing_key).roster(MOODLE, URL)
    assert [call.request.url for call in responses.calls][1:] == [URL]


@responses.activate
def test_a_relative_next_link_is_followed_on_the_same_platform(signing_key: SigningKey) -> None:
    _token()
    second = "http://127.0.0.1:8080/mod/lti/services.php/CourseSection/2/bindings/1/memberships?p=2"
    responses.add(
        responses.GET,
        URL,
        json={"members": [{"user_id": "3", "roles": "Learner"}]},  # roles not a list
        headers={"Link": '<memberships?p=2>; rel="next"'},
    )
    responses.add(responses.GET, second, json={"members": [{"user_id": "4", "roles": ["Learner"]}]})
    roster = _nrps(signing_key).roster(MOODLE, URL)
    assert [(m.user_id, m.roles) for m in roster.members] == [("3", ()), ("4", (LEARNER,))]
    assert roster.complete
