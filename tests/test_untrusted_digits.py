"""``ascii_digits``: what ``int()`` reads, where ``str.isdigit()`` also says yes to ``²``."""

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
