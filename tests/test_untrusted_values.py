"""Untrusted values: numbers only in ASCII digits (``²``.isdigit() is true; ``int("²")`` fails),
links only as absolute http(s) URLs that ``urlsplit`` can read."""

from __future__ import annotations

import pytest

from yrkesresan_lti.untrusted import ascii_digits


@pytest.mark.parametrize(
    ("text", "digits"),
    [("0", True), ("2027", True), ("²", False), ("①", False), ("٣", False), ("", False),
     ("-1", False), (" 1", False), ("1.0", False)],
)  # fmt: skip
def test_only_the_digits_0_to_9_are_digits(text: str, digits: bool) -> None:
    assert ascii_digits(text) is digits
    if digits:
        assert int(text) >= 0


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://moodle.kommun.se/x", "https://moodle.kommun.se/x"),
        ("javascript:alert(1)", None),
        ("http://[", None),  # urlsplit raises ValueError: an IPv6 host never closed
        ("//moodle.kommun.se", None),
        ("", None),
    ],
)
def test_a_link_is_shown_only_when_it_is_an_absolute_http_url(url: str, shown: str | None) -> None:
    from yrkesresan_adapter.pages.common import safe_http_url

    assert safe_http_url(url) == shown


@pytest.mark.parametrize(
    ("value", "usable"),
    [
        ("https://moodle.kommun.se/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1", True),
        ("http://127.0.0.1:8000/lineitem", True),
        ("HTTPS://Canvas.example/api/lti/courses/1/line_items/2", True),
        ("http://[::1]:8000/x", True),
        ("http://[", False),
        ("https://lms.example:99999/x", False),  # urlsplit reads it; .port raises
        ("https://lms.example:abc/x", False),
        ("https://lms.example/a b", False),
        ("https://lms.example/\x00", False),
        ("https://lms.example/\ud800", False),
        ("https:///no-host", False),
        ("ftp://lms.example/x", False),
        ("https://lms.example/" + "x" * 2100, False),
        (5, False),
        (None, False),
    ],
)
def test_a_service_url_is_usable_only_when_a_request_can_reach_it(
    value: object, usable: bool
) -> None:
    from yrkesresan_lti.untrusted import http_url

    parts = http_url(value)
    assert (parts is not None) is usable
    if parts is not None:
        assert parts.geturl().lower() == str(value).lower()


@pytest.mark.parametrize(
    ("value", "numbers", "stored"),
    [
        ("moodle-client-1", False, "moodle-client-1"),
        (17, True, "17"),
        (17, False, None),
        (True, True, None),  # JSON true is not an id
        ("x" * 256, False, None),
        ("a\x00b", False, None),
        ("\udc80", False, None),
        (["x"], True, None),
    ],
)
def test_an_identifier_is_stored_only_as_safe_text_within_its_column(
    value: object, numbers: bool, stored: str | None
) -> None:
    from yrkesresan_lti.untrusted import MAX_IDENTIFIER, usable_text

    assert usable_text(value, MAX_IDENTIFIER, numbers=numbers) == stored


@pytest.mark.parametrize(
    ("presented", "expected", "same"),
    [("abc", "abc", True), ("abc", "abd", False), ("é", "e", False), ("é", "é", True),
     ("\udc80", "x", False), ("", "", True)],
)  # fmt: skip
def test_secrets_beyond_ascii_are_compared_not_raised(
    presented: str, expected: str, same: bool
) -> None:
    from yrkesresan_lti.untrusted import same_secret

    assert same_secret(presented, expected) is same
