"""xAPI timestamps: UTC, milliseconds, ``Z`` (``2026-11-22T06:01:02.123Z``)."""

from __future__ import annotations

from datetime import UTC, datetime

from yrkesresan_lti.exceptions import InvalidStatement


def format_timestamp(moment: datetime) -> str:
    """``moment`` in UTC with exactly three fractional digits; naive times are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidStatement(
            "the timestamp has no time zone: give the clock an aware datetime (UTC)",
            field="timestamp",
        )
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
