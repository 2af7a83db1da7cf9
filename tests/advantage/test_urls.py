"""Service URLs keep the platform's whole query string."""

from __future__ import annotations

import pytest

from yrkesresan_lti.lti.advantage.urls import origin, service_url, with_query


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (
            "http://127.0.0.1:8080/mod/lti/services.php/2/lineitems/2/lineitem?type_id=1",
            "http://127.0.0.1:8080/mod/lti/services.php/2/lineitems/2/lineitem/scores?type_id=1",
        ),
        ("https://lms.example/li/7", "https://lms.example/li/7/scores"),
        ("https://lms.example/li/7/", "https://lms.example/li/7/scores"),
        ("https://lms.example/li/7?a=1&b=2#frag", "https://lms.example/li/7/scores?a=1&b=2"),
        # pylti1p3 would cut everything after the second "?": we keep it.
        ("https://lms.example/li/7?a=1?b=2&c=3", "https://lms.example/li/7/scores?a=1?b=2&c=3"),
    ],
)
def test_scores_segment_goes_before_the_query(base: str, expected: str) -> None:
    assert service_url(base, "scores") == expected


def test_with_query_appends_after_existing_parameters() -> None:
    url = with_query("https://lms.example/lineitems?type_id=1", {"resource_id": "https://x/y z"})
    assert url == "https://lms.example/lineitems?type_id=1&resource_id=https%3A%2F%2Fx%2Fy+z"
    assert with_query("https://lms.example/m", {}) == "https://lms.example/m"


def test_origin_normalises_case_and_default_ports() -> None:
    assert origin("HTTPS://Moodle.Example:443/mod/lti/x.php?a=1") == "https://moodle.example"
    assert origin("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080"
