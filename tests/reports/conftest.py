"""Fixtures of the report tests: retries that never sleep, the session's Ralph."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lrs.conftest import FakeTime, fake_time, retry  # noqa: F401
from tests.ralph_fixtures import ralph  # noqa: F401
from tests.reports.history import DAY_1, DAY_2, OCCASION, OTHER_DAY, History
from yrkesresan_adapter.demo.ralph import RalphServer, install
from yrkesresan_lti.xapi.client import LrsClient, Outcome
from yrkesresan_lti.xapi.serialization import statement_bytes

__all__ = ["FakeTime"]


@pytest.fixture(scope="session")
def report_history() -> History:
    """Three learners of two municipalities and one unknown: registrations, attendance (one
    withdrawn, with its registration), a rating, a goal, a completion, another course."""
    history = History(seats={OCCASION: 25})
    learners = [history.learner(n, code) for n, code in ((1, "1480"), (2, "1401"), (3, None))]
    for learner in learners:
        history.register(learner)
        attended = history.attend(learner, DAY_1)
    history.attend(learners[0], DAY_2)
    history.withdraw(learners[-1], attended)
    history.unregister(learners[-1])
    history.rate(learners[0], 5)
    history.reach(learners[1])
    history.complete(learners[0])
    history.attend(learners[1], OTHER_DAY)
    return history


@pytest.fixture(scope="session")
def report_lrs(report_history: History) -> Iterator[RalphServer]:
    """A Ralph of the report tests' own, holding only ``report_history`` (the session's
    Ralph is shared by every test that writes statements of the test catalog)."""
    install()
    with RalphServer() as server:
        with LrsClient(server.lrs_target()) as client:
            results = client.send(statement_bytes(s) for s in report_history.statements)
        assert {r.outcome for r in results} == {Outcome.DELIVERED}
        yield server
