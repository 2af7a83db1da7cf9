"""The reader against a real LRS (Ralph): what the tool delivered is what the report counts
(``report_lrs``: a Ralph holding only the ``report_history``)."""

from __future__ import annotations

import pytest

from tests.reports.history import COURSE, History
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.reports import Filters
from yrkesresan_lti.reports.from_statements import figures_from_statements
from yrkesresan_lti.reports.lrs_report import figures_from_lrs
from yrkesresan_lti.reports.reader import LrsReader, StatementQuery

pytestmark = pytest.mark.ralph


def test_figures_from_ralph_equal_those_of_the_statements_sent(
    report_lrs: RalphServer, report_history: History
) -> None:
    with LrsReader(report_lrs.lrs_target()) as reader:
        figures = figures_from_lrs(reader, page_size=4)
        assert reader.pages_read > 3

    assert figures == figures_from_statements(report_history.statements)
    total = figures.total
    assert (total.participants, total.attended, total.registered, total.seats) == (2, 3, 2, 25 + 40)
    assert (total.completions, total.goals_reached, total.evaluation.responses) == (1, 1, 1)
    assert figures.labels[COURSE] == "Samtal med barn"


def test_a_course_filter_asks_ralph_for_the_course_and_still_honours_voiding(
    report_lrs: RalphServer, report_history: History
) -> None:
    only = Filters(course=COURSE)
    with LrsReader(report_lrs.lrs_target()) as reader:
        figures = figures_from_lrs(reader, only)
        narrowed = list(reader.statements(StatementQuery(activity=COURSE, related_activities=True)))

    assert figures == figures_from_statements(report_history.statements, only)
    assert figures.total.participants == 2
    assert len(narrowed) < len(report_history.statements)  # the LRS did the narrowing
