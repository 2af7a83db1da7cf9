"""The framework-free course evaluation rules: who, when, until when, what is a valid answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.pages.conftest import COURSE, load_test_catalog
from yrkesresan_adapter.web.http_errors import http_status
from yrkesresan_lti import evaluations as rules
from yrkesresan_lti.catalog import (
    Evaluation,
    EvaluationQuestion,
    default_catalog_path,
    load_catalog,
)
from yrkesresan_lti.catalog.evaluation import overall_question
from yrkesresan_lti.exceptions import (
    CourseNotAttended,
    EvaluationClosed,
    EvaluationNotOpen,
    InvalidEvaluationAnswer,
)
from yrkesresan_lti.occasions import find_occasion

SPRING = f"{COURSE}/occasions/vt-2027"  # days 9 and 10 March 2027
USEFUL = EvaluationQuestion(slug="nytta", text={"sv": "Nytta i arbetet?"})


def test_the_default_evaluation_asks_the_required_overall_question() -> None:
    evaluation = Evaluation()
    assert [q.slug for q in evaluation.questions] == ["helhet"]
    assert evaluation.questions[0].text["sv"] == "Hur bra var kursen som helhet?"
    assert evaluation.questions[0].low["sv"] == "Mycket dålig"
    assert evaluation.questions[0].high["sv"] == "Mycket bra"
    assert evaluation.questions[0].required


def test_an_evaluation_without_the_overall_question_first_is_refused() -> None:
    with pytest.raises(ValidationError, match="first evaluation question must be 'helhet'"):
        Evaluation(questions=[USEFUL, overall_question()])
    with pytest.raises(ValidationError, match="distinct slugs"):
        Evaluation(questions=[overall_question(), USEFUL, USEFUL])


def test_the_example_catalog_has_defaults_and_a_course_overriding_them() -> None:
    catalog = load_catalog(default_catalog_path())
    courses = {course.slug: course for _, _, course in catalog.courses()}
    default = catalog.evaluation_of(courses["handlaggning-med-barn-i-centrum"])
    assert [q.slug for q in default.questions] == ["helhet", "nytta-i-arbetet"]
    override = catalog.evaluation_of(courses["samtal-med-barn"])
    assert [q.slug for q in override.questions] == ["helhet"]
    assert override.offered_after == "follow-up"


def test_the_window_opens_on_the_last_course_day_and_closes_open_days_later(
    tmp_path: Path,
) -> None:
    _, spring = find_occasion(load_test_catalog(tmp_path), SPRING)
    evaluation = Evaluation(open_days=10)
    win = rules.window(
        evaluation, spring, follow_up_done=False, first_answered=None, today=date(2027, 3, 9)
    )
    assert (win.opens, win.closes) == (date(2027, 3, 10), date(2027, 3, 20))
    assert not win.is_open(date(2027, 3, 9))
    assert win.is_open(date(2027, 3, 20))
    assert not win.is_open(date(2027, 3, 21))
    fixed = Evaluation(closes=date(2027, 4, 1))
    assert rules.window(
        fixed, spring, follow_up_done=False, first_answered=None, today=date(2027, 3, 9)
    ).closes == date(2027, 4, 1)


def test_after_the_follow_up_the_window_opens_when_it_is_done() -> None:
    evaluation = Evaluation(offered_after="follow-up", open_days=5)
    none = rules.window(
        evaluation, None, follow_up_done=False, first_answered=None, today=date(2027, 3, 9)
    )
    assert none.opens is None
    kept = rules.window(
        evaluation,
        None,
        follow_up_done=True,
        first_answered=date(2027, 3, 1),
        today=date(2027, 3, 9),
    )
    assert (kept.opens, kept.closes) == (date(2027, 3, 1), date(2027, 3, 6))


def test_only_participants_may_answer_and_only_inside_the_window(tmp_path: Path) -> None:
    course, spring = find_occasion(load_test_catalog(tmp_path), SPRING)
    win = rules.Window(date(2027, 3, 10), date(2027, 4, 9))
    day = f"{SPRING}/days/1"
    with pytest.raises(CourseNotAttended):
        rules.check_may_answer(course, spring, set(), win, date(2027, 3, 11))
    with pytest.raises(CourseNotAttended):
        rules.check_may_answer(course, None, set(), win, date(2027, 3, 11))
    with pytest.raises(EvaluationNotOpen):
        rules.check_may_answer(course, spring, {day}, win, date(2027, 3, 9))
    with pytest.raises(EvaluationClosed, match="closed on 2027-04-09"):
        rules.check_may_answer(course, spring, {day}, win, date(2027, 4, 10))
    rules.check_may_answer(course, spring, {day}, win, date(2027, 4, 9))


@pytest.mark.parametrize(
    ("ratings", "comment", "problem"),
    [
        ({"nytta": "4"}, None, "'helhet' needs an answer"),
        ({"helhet": "6"}, None, "whole number 1–5"),
        ({"helhet": "0"}, None, "whole number 1–5"),
        ({"helhet": "4.5"}, None, "whole number 1–5"),
        ({"helhet": "-1"}, None, "whole number 1–5"),
        ({"helhet": "²"}, None, "whole number 1–5"),  # isdigit(), but int() fails: was a 500
        ({"helhet": "④"}, None, "whole number 1–5"),
        ({"helhet": "4", "okand": "3"}, None, "no question 'okand'"),
        ({"helhet": "4"}, "x" * 2001, "at most 2000"),
    ],
)
def test_bad_answers_are_refused_with_a_reason(
    ratings: dict[str, str], comment: str | None, problem: str
) -> None:
    evaluation = Evaluation(questions=[overall_question(), USEFUL])
    with pytest.raises(InvalidEvaluationAnswer, match=problem) as caught:
        rules.parse_answers(evaluation, ratings, comment)
    assert http_status(caught.value) == 422


def test_good_answers_keep_the_evaluation_order_and_skip_empty_optional_ones() -> None:
    evaluation = Evaluation(questions=[overall_question(), USEFUL])
    answers = rules.parse_answers(evaluation, {"nytta": "", "helhet": " 5 "}, "  Bra!  ")
    assert answers.ratings == {"helhet": 5}
    assert answers.comment == "Bra!"
    no_comment = Evaluation(comment=False)
    with pytest.raises(InvalidEvaluationAnswer, match="no comment"):
        rules.parse_answers(no_comment, {"helhet": "3"}, "hej")


def test_the_good_share_counts_ratings_four_and_five() -> None:
    assert rules.good_share({1: 1, 3: 1, 4: 1, 5: 1}) == 0.5
    assert rules.good_share({}) is None
