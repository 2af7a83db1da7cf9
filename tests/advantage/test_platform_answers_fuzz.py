"""Whatever a platform answers (a roster, line items, deep-linking settings), the tool reads
it or refuses it with a typed error (``PlatformServiceError``, ``DeepLinkingError``): never
a ``TypeError`` or ``KeyError`` that a page would turn into a 500 (issue 12's rule, for the
platform's answers as for its id_tokens)."""

from __future__ import annotations

import re
from typing import Any

import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.advantage.conftest import MOODLE, make_signing_key
from yrkesresan_lti.exceptions import DeepLinkingError, PlatformServiceError
from yrkesresan_lti.lti.advantage.ags import AgsClient
from yrkesresan_lti.lti.advantage.deep_linking import DeepLinkingSettings
from yrkesresan_lti.lti.advantage.nrps import NrpsClient
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.untrusted import MAX_IDENTIFIER, unsafe_characters

BASE = "http://127.0.0.1:8080/mod/lti/services.php/2"
MEMBERS = f"{BASE}/bindings/1/memberships"
LINEITEMS = f"{BASE}/lineitems?type_id=1"
KEY = make_signing_key()
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
member_like = st.fixed_dictionaries(
    {},
    optional={
        "user_id": json_values,
        "roles": json_values | st.lists(st.sampled_from(["Learner", "Instructor", "x"])),
        "name": json_values,
        "status": json_values,
        "email": json_values,
    },
)
links = st.none() | st.text(max_size=40) | st.sampled_from(
    [f'<{MEMBERS}?p=2>; rel="next"', "<?p=3>; rel=next", "<http://[>; rel=next",
     '<https://evil.example/x>; rel="next"', "<>; rel=next"]
)  # fmt: skip


def _session() -> ServiceSession:
    return ServiceSession(ServiceTokenClient(lambda: KEY))


def _serve(
    mock: responses.RequestsMock, url: str, body: Any, link: str | None, token: Any = None
) -> None:
    token = {"access_token": "t", "expires_in": 60} if token is None else token
    mock.add(responses.POST, MOODLE.auth_token_url, json=token)
    headers = {"Link": link} if link else {}
    mock.add(responses.GET, url, json=body, headers=headers)
    mock.add(responses.GET, re.compile(".*"), json=body)  # any next page


@FUZZ
@given(
    body=json_values | st.fixed_dictionaries({"members": st.lists(member_like, max_size=5)}),
    link=links,
)
def test_any_roster_is_read_or_refused_with_a_typed_error(body: Any, link: str | None) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _serve(mock, MEMBERS, body, link)
        try:
            roster = NrpsClient(_session(), max_pages=3).roster(MOODLE, MEMBERS)
        except PlatformServiceError:
            return
    for member in roster.members:  # what a page shows and stores is usable text
        assert 0 < len(member.user_id) <= MAX_IDENTIFIER
        assert not unsafe_characters(member.user_id)
        for text in (member.name, member.email, member.status):
            assert text is None or not unsafe_characters(text)


line_item_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.just(f"{BASE}/lineitems/7/lineitem?type_id=1"),
        "label": json_values,
        "scoreMaximum": json_values,
        "resourceId": json_values,
        "resourceLinkId": json_values,
        "tag": json_values,
    },
)


@FUZZ
@given(body=json_values | st.lists(line_item_like, max_size=5), link=links)
def test_any_line_items_are_read_or_refused_with_a_typed_error(body: Any, link: str | None) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _serve(mock, LINEITEMS, body, link)
        try:
            items = AgsClient(_session()).line_items(MOODLE, LINEITEMS)
        except PlatformServiceError:
            return
    for item in items:
        assert item.id is None or item.id.startswith(("http://", "https://"))
        assert isinstance(item.score_maximum, float)


@FUZZ
@given(
    claim=json_values
    | st.fixed_dictionaries(
        {"deep_link_return_url": st.just("http://127.0.0.1:8080/mod/lti/contentitem_return.php")},
        optional={
            "accept_types": json_values | st.just(["ltiResourceLink"]),
            "accept_multiple": json_values,
            "data": json_values,
            "title": json_values,
            "text": json_values,
        },
    )
)
def test_any_deep_linking_settings_are_read_or_refused_with_a_typed_error(claim: Any) -> None:
    try:
        read = DeepLinkingSettings.from_claim(claim if isinstance(claim, dict) else None)
    except DeepLinkingError:
        return
    assert read.accept_multiple in (True, False)
    assert all(isinstance(t, str) for t in read.accept_types)
    assert read.title is None or isinstance(read.title, str)


@FUZZ
@given(
    token=json_values
    | st.fixed_dictionaries(
        {"access_token": json_values | st.sampled_from(["t", "a\nb", "a b", "x" * 5000])},
        optional={"expires_in": json_values | st.sampled_from([1e308, -1, 0, 10**30]),
                  "scope": json_values},
    )
)  # fmt: skip
def test_any_token_answer_is_used_or_refused_with_a_typed_error(token: Any) -> None:
    """``"expires_in": 1e308`` overflowed ``timedelta`` (an ``OverflowError``)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _serve(mock, MEMBERS, {"members": []}, None, token=token)
        try:
            NrpsClient(_session()).roster(MOODLE, MEMBERS)
        except PlatformServiceError:
            return
