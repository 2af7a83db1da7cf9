"""When to retry an LRS request and how long to wait: exponential backoff with jitter.

Time and randomness are injected, so tests run with fakes and never really sleep.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
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
    """How often and how patiently a request is retried.

    ``max_attempts`` counts every try of one request (the first included). The wait before
    try *n+1* is ``min(max_delay, base_delay * 2**(n-1))``, half of it fixed, half random
    ("equal jitter"); a ``Retry-After`` longer than ``max_retry_after`` is not waited for:
    the request is given up and reported as retry-later.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return delay / 2 + self.rng.uniform(0, delay / 2)

    def wait_for(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before the next try, or ``None`` to give up."""
        if attempt >= self.max_attempts:
            return None
        asked = parse_retry_after(retry_after, self.now())
        if asked is None:
            return self.backoff(attempt)
        if asked > self.max_retry_after:
            return None
        return asked
