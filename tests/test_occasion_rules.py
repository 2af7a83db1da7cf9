"""The framework-free occasion rules: Swedish dates, deadline, seats, withdrawing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.pages.conftest import COURSE, TASK_BBIC, load_test_catalog
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.exceptions import (
    OccasionFull,
    OccasionRegistrationError,
    OccasionStarted,
    RegistrationClosed,
    UnknownCatalogNode,
)


@pytest.mark.parametrize(
    ("moment", "swedish"),
    [
        (datetime(2027, 1, 15, 22, 59, tzinfo=UTC), date(2027, 1, 15)),  # CET, 23:59
        (datetime(2027, 1, 15, 23, 0, tzinfo=UTC), date(2027, 1, 16)),
        (datetime(2027, 7, 15, 21, 59, tzinfo=UTC), date(2027, 7, 15)),  # CEST, 23:59
        (datetime(2027, 7, 15, 22, 0, tzinfo=UTC), date(2027, 7, 16)),
    ],
)
def test_the_date_is_the_swedish_one_in_winter_and_summer(moment: datetime, swedish: date) -> None:
    assert rules.swedish_date(moment) == swedish


def test_deadline_is_inclusive_and_withdrawing_ends_on_the_first_day(tmp_path: Path) -> None:
    course, spring = rules.find_occasion(load_test_catalog(tmp_path), f"{COURSE}/occasions/vt-2027")
    assert course.iri == COURSE
    rules.check_registration_open(spring, date(2027, 2, 16))
    with pytest.raises(RegistrationClosed, match="closed on 2027-02-16"):
        rules.check_registration_open(spring, date(2027, 2, 17))
    rules.check_withdrawal_open(spring, date(2027, 3, 8))
    with pytest.raises(OccasionStarted):
        rules.check_withdrawal_open(spring, date(2027, 3, 9))


def test_seats_are_refused_all_at_once_with_what_is_left(tmp_path: Path) -> None:
    _, autumn = rules.find_occasion(load_test_catalog(tmp_path), f"{COURSE}/occasions/ht-2027")
    rules.check_seats(autumn, taken=0, wanted=2)
    with pytest.raises(OccasionFull) as full:
        rules.check_seats(autumn, taken=1, wanted=2)
    assert full.value.seats_left == 1
    assert isinstance(full.value, OccasionRegistrationError)
    assert http_status(full.value) == 409  # the adapter's mapping
    assert rules.seats_left(autumn, taken=5) == 0


def test_only_an_occasion_iri_names_an_occasion(tmp_path: Path) -> None:
    with pytest.raises(UnknownCatalogNode, match="not a course occasion"):
        rules.find_occasion(load_test_catalog(tmp_path), TASK_BBIC)
