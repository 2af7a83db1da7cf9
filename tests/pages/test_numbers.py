"""Percentages on the pages: rounded half up, 0 and 100 only when literally true."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yrkesresan_adapter.pages.numbers import average_percent, shown_percent


@pytest.mark.parametrize(
    ("done", "total", "shown"),
    [
        (1, 6, 17),  # was 16 (rounded down)
        (1, 3, 33),
        (2, 3, 67),
        (1, 2, 50),
        (1, 8, 13),  # 12.5 → 13: half up
        (5, 6, 83),
        (0, 6, 0),
        (6, 6, 100),
        (1, 1000, 1),  # something done is never 0 %
        (999, 1000, 99),  # not everything done is never 100 %
        (0, 0, 100),  # nothing due: done
    ],
)
def test_shown_percent(done: int, total: int, shown: int) -> None:
    assert shown_percent(done, total) == shown


@given(st.integers(0, 500), st.integers(1, 500))
def test_shown_percent_is_0_or_100_only_when_true(done: int, total: int) -> None:
    done = min(done, total)
    shown = shown_percent(done, total)
    assert (shown == 0) == (done == 0)
    assert (shown == 100) == (done == total)
    assert abs(shown - 100 * done / total) <= 1


def test_average_percent_rounds_the_mean_share() -> None:
    assert average_percent([(1, 3), (0, 3)]) == 17  # mean 1/6
    assert average_percent([(3, 3), (3, 3)]) == 100
    assert average_percent([(3, 3), (2, 3)]) == 83
    assert average_percent([(0, 3), (0, 3)]) == 0
    assert average_percent([(1, 300), (0, 3)]) == 1
    assert average_percent([]) == 0
