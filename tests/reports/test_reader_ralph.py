"""The reader against a real LRS (Ralph): what the tool delivered is what the report counts.

A Ralph of this module's own (the session's is shared by every test that writes into the
test catalog), so that the figures of the whole LRS are those of this history alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reports.history import COURSE, DAY_1, DAY_2, OCCASION, OTHER_DAY, History
from yrkesresan_adapter.demo.ralph import RalphServer, install
from yrkesresan_lti.reports import Filters
from yrkesresan_lti.reports.from_statements import figures_from_statements
from yrkesresan_lti.reports.lrs_report import figures_from_lrs
from yrkesresan_lti.reports.reader import LrsReader, StatementQuery
from yrkesresan_lti.xapi.client import LrsClient, Outcome
from yrkesresan_lti.xapi.serialization import statement_bytes

pytestmark = pytest.mark.ralph


@pytest.fixture(scope="module")
def history() -> History:
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


@pytest.fixture(scope="module")
def lrs(history: History) -> Iterator[RalphServer]:
    install()
    with RalphServer() as server:
        with LrsClient(server.lrs_target()) as client:
            results = client.send(statement_bytes(s) for s in history.statements)
        assert {r.outcome for r in results} == {Outcome.DELIVERED}
        yield server


def test_figures_from_ralph_equal_those_of_the_statements_sent(
    lrs: RalphServer, history: History
) -> None:
    with LrsReader(lrs.lrs_target()) as reader:
        figures = figures_from_lrs(reader, page_size=4)
        assert reader.pages_read > 3

    assert figures == figures_from_statements(history.statements)
    total = figures.total
    assert (total.participants, total.attended, total.registered, total.seats) == (2, 3, 2, 25)
    assert (total.completions, total.goals_reached, total.evaluation.responses) == (1, 1, 1)
    assert figures.labels[COURSE] == "Samtal med barn"


def test_a_course_filter_asks_ralph_for_the_course_and_still_honours_voiding(
    lrs: RalphServer, history: History
) -> None:
    only = Filters(course=COURSE)
    with LrsReader(lrs.lrs_target()) as reader:
        figures = figures_from_lrs(reader, only)
        narrowed = list(reader.statements(StatementQuery(activity=COURSE, related_activities=True)))

    assert figures == figures_from_statements(history.statements, only)
    assert figures.total.participants == 2
    assert len(narrowed) < len(history.statements)  # the LRS did the narrowing
