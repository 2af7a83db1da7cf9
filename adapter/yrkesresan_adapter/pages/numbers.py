"""How the pages show shares: whole percent, rounded the way people expect.

``shown_percent(1, 6)`` is 17 (not 16): half up to the nearest whole percent, except that
0 % means nothing is done and 100 % means everything is done — 1 of 1,000 is 1 %, 999 of
1,000 is 99 %. Every page, table cell, chart bar and the CSV use these two functions, so
the same share is the same number everywhere. (The xAPI *progressed* statements keep the
core's whole percent rounded down, :attr:`yrkesresan_lti.progress.Tally.percent`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction


def shown_percent(done: int, total: int) -> int:
    """``done`` of ``total`` as whole percent; 100 when nothing is due."""
    if total <= 0 or done >= total:
        return 100
    if done <= 0:
        return 0
    nearest = int(Fraction(100 * done, total) + Fraction(1, 2))  # half up
    return min(99, max(1, nearest))


def average_percent(shares: Iterable[tuple[int, int]]) -> int:
    """The mean of several ``(done, total)`` shares, shown like one share: 0 only when
    nobody did anything, 100 only when everybody is done."""
    fractions = [Fraction(1) if t <= 0 else Fraction(min(d, t), t) for d, t in shares]
    if not fractions:
        return 0
    mean = sum(fractions, Fraction(0)) / len(fractions)
    return shown_percent(mean.numerator, mean.denominator)
