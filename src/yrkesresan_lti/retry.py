"""The one retry policy: how often something is tried and how long to wait between tries.

Used by the LRS client (in-process retries of one request, honouring ``Retry-After``) and by
the outbox worker (later delivery attempts of statements and AGS scores, with
:meth:`RetryPolicy.for_outbox`). Sleep, clock and randomness are injected, so tests run
with fakes and never really sleep.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.untrusted import ascii_digits

__all__ = ["RETRYABLE_STATUSES", "RetryPolicy", "parse_retry_after"]

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses worth another try of the same request."""


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if ascii_digits(text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class RetryPolicy:
    """How often and how patiently something is retried.

    ``max_attempts`` counts every try (the first included). The wait after failed try *n*
    is ``min(max_delay, base_delay * 2**(n-1))`` seconds, half of it fixed, half random
    ("equal jitter"). A ``Retry-After`` longer than ``max_retry_after`` is not waited for:
    the request is given up and reported as retry-later.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    clock: Clock = SYSTEM_CLOCK
    rng: random.Random = field(default_factory=random.Random)  # jitter, not security

    @classmethod
    def for_outbox(
        cls,
        *,
        max_attempts: int = 20,
        base_delay: float = 30.0,
        max_delay: float = 6 * 3600.0,
        rng: random.Random | None = None,
    ) -> RetryPolicy:
        """The outbox worker's policy: 20 attempts, 30 s doubling up to 6 hours."""
        return cls(
            max_attempts=max_attempts,
            base_delay=base_delay,
            max_delay=max_delay,
            rng=rng or random.Random(),  # noqa: S311 - jitter, not security
        )

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return delay / 2 + self.rng.uniform(0, delay / 2)

    def delay(self, attempt: int) -> timedelta:
        """:meth:`backoff` as a duration (when to schedule the next try)."""
        return timedelta(seconds=self.backoff(attempt))

    def exhausted(self, attempts: int) -> bool:
        """True when ``attempts`` tries were made and no other is allowed."""
        return attempts >= self.max_attempts

    def wait_for(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before the next try, or ``None`` to give up."""
        if self.exhausted(attempt):
            return None
        asked = parse_retry_after(retry_after, self.clock.now())
        if asked is None:
            return self.backoff(attempt)
        if asked > self.max_retry_after:
            return None
        return asked
