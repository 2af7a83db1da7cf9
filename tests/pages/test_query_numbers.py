"""Numbers in a page's query after a redirect (``added=2``, ``n=3``): anything that is not
ASCII digits counts as none. ``"²".isdigit()`` is true, and ``int("²")`` made the page a 500."""

from __future__ import annotations

import pytest
from flask import Flask

from yrkesresan_adapter.pages.attendance.texts import saved_message


@pytest.mark.parametrize("value", ["²", "①", "9" * 5000, "-1", " 1"])
def test_a_count_in_the_query_that_is_not_ascii_digits_counts_as_none(
    app: Flask, value: str
) -> None:
    with app.test_request_context("/pages/attendance", headers={"Accept-Language": "sv"}):
        assert saved_message({"msg": "saved", "added": value, "removed": "1"}) == (
            "Närvaron är sparad: 0 tillagda, 1 borttagna."
        )


def test_ascii_digits_still_count(app: Flask) -> None:
    with app.test_request_context("/pages/attendance", headers={"Accept-Language": "sv"}):
        assert saved_message({"msg": "saved", "added": "2", "removed": "0"}) == (
            "Närvaron är sparad: 2 tillagda, 0 borttagna."
        )
