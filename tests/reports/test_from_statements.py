"""Figures from statements alone: each figure counts what docs/xapi.md and the figures
model say, whatever order the LRS returns the statements in, voided ones left out."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from tests.reports.history import (
    COURSE,
    DAY_1,
    DAY_2,
    GOAL,
    JOURNEY,
    OCCASION,
    OTHER_COURSE,
    OTHER_DAY,
    OTHER_OCCASION,
    History,
)
from yrkesresan_lti.reports import Filters
from yrkesresan_lti.reports.from_statements import figures_from_statements


def test_attendance_counts_occasions_seats_participants_and_municipalities() -> None:
    history = History(seats={OCCASION: 25, OTHER_OCCASION: 40})
    anna, bo, cia = history.learner(1, "1480"), history.learner(2, "1401"), history.learner(3)
    for learner in (anna, bo, cia):
        history.register(learner)
    history.attend(anna, DAY_1)
    history.attend(anna, DAY_2)
    history.attend(bo, DAY_1)
    history.open_task(cia)
    figures = figures_from_statements(history.statements)
    total = figures.total
    assert (total.occasions_held, total.seats, total.registered) == (1, 25, 3)
    assert (total.attended, total.participants, total.municipalities, total.users) == (2, 2, 2, 3)
    assert figures.participants_by_municipality() == {"1401": 1, "1480": 1}
    assert [row.key for row in figures.breakdown("county")] == ["14"]
    assert figures.labels[COURSE] == "Samtal med barn"
    assert figures.labels[JOURNEY] == "Barn och unga, myndighetsutövning"


def test_a_voided_attendance_does_not_count_in_any_reading_order() -> None:
    history = History()
    anna, bo = history.learner(1), history.learner(2)
    attended = history.attend(anna)
    history.withdraw(anna, attended)
    history.attend(bo)
    in_order = figures_from_statements(history.statements)
    newest_first = figures_from_statements(reversed(history.statements))
    assert in_order == newest_first
    assert (in_order.total.participants, in_order.total.attended) == (1, 1)
    assert in_order.total.users == 2  # the withdrawal is still an event of hers
    assert [r.users for r in in_order.breakdown("course")] == [1]  # but of no course


def test_an_erased_learner_counts_nowhere_and_the_tool_is_no_user() -> None:
    history = History()
    anna, bo = history.learner(1), history.learner(2)
    for statement in (history.attend(anna), history.rate(anna, 5)):
        history.erase(statement)
    history.attend(bo)
    figures = figures_from_statements(history.statements)
    assert (figures.total.users, figures.total.participants) == (1, 1)
    assert figures.total.evaluation.responses == 0


def test_the_latest_registration_event_decides() -> None:
    history = History()
    anna, bo, cia = history.learner(1), history.learner(2), history.learner(3)
    history.register(anna)
    history.unregister(anna)
    history.register(bo)
    history.unregister(bo)
    history.register(bo)
    history.register(cia, OTHER_OCCASION)
    figures = figures_from_statements(reversed(history.statements))
    assert figures.total.registered == 2
    assert [(r.key, r.registered) for r in figures.breakdown("course")] == [
        (COURSE, 1),
        (OTHER_COURSE, 1),
    ]


def test_completions_and_goals_are_pairs_of_learner_and_course_or_goal() -> None:
    history = History()
    anna, bo = history.learner(1), history.learner(2)
    history.complete(anna)
    history.complete(anna)  # sent twice (a retry of the LMS): one completion
    history.reach(anna)
    history.reach(bo)
    figures = figures_from_statements(history.statements)
    assert (figures.total.completions, figures.total.goals_reached) == (1, 2)
    [goal] = figures.goals
    assert (goal.goal, goal.course, goal.reached) == (GOAL, COURSE, 2)


def test_the_latest_overall_rating_counts_and_five_answers_are_shown() -> None:
    history = History()
    learners = [history.learner(n) for n in range(5)]
    history.rate(learners[0], 2)
    for learner, rating in zip(learners, (5, 4, 4, 3, 5), strict=True):
        history.rate(learner, rating)
    figures = figures_from_statements(history.statements)
    evaluation = figures.total.evaluation
    assert evaluation.distribution == (0, 0, 1, 2, 2)
    assert evaluation.shown
    assert evaluation.good_share == 0.8
    fewer = figures_from_statements(history.statements[:4])
    assert not fewer.total.evaluation.shown


def test_the_year_is_swedish_and_unknown_municipality_sorts_last() -> None:
    history = History()
    anna, bo = history.learner(1, "0180"), history.learner(2, None)
    history.at(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)).attend(anna)  # 00:30 in Sweden
    history.at(datetime(2026, 6, 1, 12, 0, tzinfo=UTC)).attend(bo, OTHER_DAY)
    figures = figures_from_statements(history.statements)
    assert [r.key for r in figures.breakdown("year")] == ["2026", "2027"]
    assert [(r.key, r.participants) for r in figures.breakdown("municipality")] == [
        ("0180", 1),
        (None, 1),
    ]
    assert figures.total.municipalities == 1


def test_filters_count_only_matching_events() -> None:
    history = History()
    anna, bo = history.learner(1, "0180"), history.learner(2, "1480")
    history.at(datetime(2027, 9, 14, 9, tzinfo=UTC)).attend(anna)
    history.attend(bo, OTHER_DAY)
    history.at(datetime(2026, 9, 14, 9, tzinfo=UTC)).attend(bo)
    assert figures_from_statements(history.statements, Filters(year=2027)).total.participants == 2
    by_municipality = figures_from_statements(history.statements, Filters(municipality="1480"))
    assert by_municipality.total.participants == 1
    assert [r.key for r in by_municipality.breakdown("year")] == ["2026", "2027"]
    both = Filters(year=2027, course=COURSE, county="01")
    assert figures_from_statements(history.statements, both).total.attended == 1


def test_statements_of_other_tools_and_broken_ones_count_nowhere() -> None:
    history = History()
    history.attend(history.learner(1))
    foreign: dict[str, Any] = {
        "id": "9b0c2f3e-0000-4000-8000-000000000001",
        "actor": {"mbox": "mailto:someone@example.se"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://other.example.se/meeting"},
        "timestamp": "2026-05-01T10:00:00Z",
    }
    broken: dict[str, Any] = {"id": "x", "verb": {}, "object": None}
    mixed: list[dict[str, Any]] = [foreign, broken, *history.statements]
    random.Random(7).shuffle(mixed)
    assert figures_from_statements(mixed) == figures_from_statements(history.statements)
    assert figures_from_statements(mixed).total.users == 1


def test_seats_are_the_latest_the_occasion_carried_within_the_group() -> None:
    history = History(seats={OCCASION: 20})
    anna, bo = history.learner(1), history.learner(2)
    history.at(datetime(2026, 5, 1, tzinfo=UTC)).attend(anna)
    history.seats[OCCASION] = 30  # the region added seats the next year
    history.at(datetime(2027, 2, 1, tzinfo=UTC)).register(bo)
    figures = figures_from_statements(history.statements)
    assert figures.total.seats == 30
    assert [(r.key, r.seats) for r in figures.breakdown("year")] == [("2026", 20), ("2027", 0)]
