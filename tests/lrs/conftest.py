"""Fixtures for the LRS client: statement factory, targets, the session's Ralph."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import FakeClock
from tests.log_fixtures import configure_logs  # noqa: F401
from tests.ralph_fixtures import ralph  # noqa: F401
from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.serialization import statement_bytes

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
ENDPOINT = "https://lrs.test/xapi/"
STATEMENTS_URL = ENDPOINT + "statements"

StatementFactory = Callable[..., dict[str, Any]]


def statement(
    *,
    verb: str = COMPLETED,
    activity: str = "https://yrkesresan.se/id/journeys/bou/courses/k1",
    registration: str | None = None,
    timestamp: datetime | None = None,
    learner: str = "learner-1",
) -> dict[str, Any]:
    """A valid xAPI statement with a fresh id."""
    made: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://yrkesresan.se", "name": learner}},
        "verb": {"id": verb, "display": {"sv": "slutförde"}},
        "object": {"id": activity, "objectType": "Activity"},
        "timestamp": (timestamp or datetime.now(UTC)).isoformat(timespec="milliseconds"),
    }
    if registration is not None:
        made["context"] = {"registration": registration}
    return made


def as_bytes(statements: list[dict[str, Any]]) -> list[bytes]:
    return [statement_bytes(s) for s in statements]


class FakeTime:
    """Records the sleeps the client asks for instead of sleeping."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def retry(fake_time: FakeTime) -> RetryPolicy:
    now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    return RetryPolicy(max_attempts=4, sleep=fake_time.sleep, clock=FakeClock(now))


@pytest.fixture
def target() -> LrsTarget:
    return LrsTarget(name="lrs", endpoint=ENDPOINT, username="user", password="s3cret-pw")
