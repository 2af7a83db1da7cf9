"""The framework-free attendance rules: only days that have begun, in Swedish time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.pages.conftest import COURSE, load_test_catalog
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti import attendance
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.exceptions import (
    AttendanceError,
    CourseDayNotBegun,
    UnknownCatalogNode,
    YrkesresanError,
)

SPRING = f"{COURSE}/occasions/vt-2027"  # days 9 and 10 March 2027


def test_a_day_can_be_recorded_from_its_swedish_date_on(tmp_path: Path) -> None:
    _, spring = rules.find_occasion(load_test_catalog(tmp_path), SPRING)
    first, second = spring.days
    attendance.check_day_begun(first, date(2027, 3, 9))
    attendance.check_day_begun(first, date(2027, 3, 10))
    with pytest.raises(CourseDayNotBegun, match="2027-03-10: attendance can be recorded"):
        attendance.check_day_begun(second, date(2027, 3, 9))
    just_after_midnight_in_sweden = datetime(2027, 3, 9, 23, 30, tzinfo=UTC)
    assert attendance.day_begun(second, rules.swedish_date(just_after_midnight_in_sweden))


def test_attendance_can_exist_only_once_withdrawing_is_closed(tmp_path: Path) -> None:
    _, spring = rules.find_occasion(load_test_catalog(tmp_path), SPRING)
    for today in (date(2027, 3, 8), date(2027, 3, 9), date(2027, 3, 10)):
        if any(attendance.day_begun(day, today) for day in spring.days):
            assert not rules.withdrawal_open(spring, today)


def test_days_are_found_by_iri_and_errors_share_the_root(tmp_path: Path) -> None:
    _, spring = rules.find_occasion(load_test_catalog(tmp_path), SPRING)
    assert attendance.find_day(spring, f"{SPRING}/days/2").date == date(2027, 3, 10)
    with pytest.raises(UnknownCatalogNode, match="not a course day"):
        attendance.find_day(spring, f"{SPRING}/days/3")
    assert issubclass(CourseDayNotBegun, AttendanceError)
    assert issubclass(AttendanceError, YrkesresanError)
    assert http_status(CourseDayNotBegun("not yet")) == 409  # the adapter's mapping
