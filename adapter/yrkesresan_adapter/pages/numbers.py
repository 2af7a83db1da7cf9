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
    nearest = (200 * done + total) // (2 * total)  # half up, in integers (a hot loop)
    return min(99, max(1, nearest))


def average_percent(shares: Iterable[tuple[int, int]]) -> int:
    """The mean of several ``(done, total)`` shares, shown like one share: 0 only when
    nobody did anything, 100 only when everybody is done."""
    pairs = [(min(d, t), t) for d, t in shares]
    if not pairs:
        return 0
    if len({t for _, t in pairs}) == 1 and pairs[0][1] > 0:  # one total: no fractions
        return shown_percent(sum(d for d, _ in pairs), pairs[0][1] * len(pairs))
    fractions = [Fraction(1) if t <= 0 else Fraction(d, t) for d, t in pairs]
    mean = sum(fractions, Fraction(0)) / len(fractions)
    return shown_percent(mean.numerator, mean.denominator)
