"""Backoff and Retry-After arithmetic."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from yrkesresan_lti.retry import RetryPolicy, parse_retry_after

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        ("Sun, 22 Nov 2026 08:01:00 GMT", 60.0),
        ("Sun, 22 Nov 2026 07:59:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
        ("²", None),  # "²".isdigit(), but float("²") fails: the delivery round raised
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(header, NOW) == seconds


def test_backoff_doubles_keeps_half_fixed_and_stops_at_the_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, rng=random.Random(7))
    for attempt, full in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        waits = [policy.backoff(attempt) for _ in range(50)]
        assert all(full / 2 <= w <= full for w in waits)
        assert len(set(waits)) > 1  # jittered


def test_no_wait_is_offered_after_the_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.wait_for(2, None) is not None
    assert policy.wait_for(3, "1") is None
