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
