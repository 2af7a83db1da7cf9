"""The completion rule (yrkesresan_lti.completion) and a course placement's score."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from yrkesresan_lti.completion import (
    NO_DAYS,
    CourseCompletion,
    Missing,
    course_completion,
    course_days_state,
)
from yrkesresan_lti.lti.advantage.node_scores import course_score
from yrkesresan_lti.progress import ProgressState, course_progress

AT = datetime(2027, 3, 10, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Day:
    iri: str


@dataclass(frozen=True)
class Occasion:
    iri: str
    days: list[Day]


@dataclass(frozen=True)
class Task:
    iri: str
    duration: timedelta = timedelta(minutes=10)
    goal_iris: list[str] = field(default_factory=lambda: ["g"])


@dataclass(frozen=True)
class Checklist:
    tasks: list[Task]


@dataclass(frozen=True)
class Goal:
    iri: str = "g"


@dataclass(frozen=True)
class Course:
    occasions: list[Occasion]
    iri: str = "c"
    goals: list[Goal] = field(default_factory=lambda: [Goal()])
    preparation: Checklist = Checklist([Task("p1")])
    follow_up: Checklist = Checklist([Task("f1")])


SPRING = Occasion("vt", [Day("vt/1"), Day("vt/2")])
AUTUMN = Occasion("ht", [Day("ht/1")])
WITH_DAYS = Course([SPRING, AUTUMN])
WITHOUT_DAYS = Course([])


def completion(
    course: Course, tasks: set[str], occasion: Occasion | None, days: set[str]
) -> CourseCompletion:
    progress = course_progress(course, tasks)
    return course_completion(progress, course_days_state(course, occasion, days))


def test_a_course_without_occasions_is_completed_by_its_checklists_alone() -> None:
    assert course_days_state(WITHOUT_DAYS, None, ()) == NO_DAYS
    assert completion(WITHOUT_DAYS, {"p1", "f1"}, None, set()).done
    assert completion(WITHOUT_DAYS, {"p1"}, None, set()).missing == (Missing.FOLLOW_UP,)


def test_checklists_done_but_a_day_missing_is_in_progress_with_the_days_left() -> None:
    found = completion(WITH_DAYS, {"p1", "f1"}, SPRING, {"vt/1"})
    assert not found.done
    assert found.state is ProgressState.IN_PROGRESS
    assert found.missing == (Missing.COURSE_DAYS,)
    assert (found.days.attended, found.days.total) == (1, 2)


def test_every_day_of_the_learners_occasion_and_both_checklists_complete_it() -> None:
    found = completion(WITH_DAYS, {"p1", "f1"}, SPRING, {"vt/1", "vt/2"})
    assert found.done
    assert found.state is ProgressState.DONE


def test_days_of_another_occasion_do_not_count() -> None:
    found = completion(WITH_DAYS, {"p1", "f1"}, AUTUMN, {"vt/1", "vt/2"})
    assert found.missing == (Missing.COURSE_DAYS,)


def test_no_occasion_in_a_course_with_occasions_is_not_completed() -> None:
    found = completion(WITH_DAYS, {"p1", "f1"}, None, set())
    assert found.missing == (Missing.OCCASION,)


def test_what_is_missing_is_listed_in_course_order() -> None:
    found = completion(WITH_DAYS, set(), SPRING, set())
    assert found.missing == (Missing.PREPARATION, Missing.COURSE_DAYS, Missing.FOLLOW_UP)
    assert found.state is ProgressState.NOT_STARTED
    assert completion(WITH_DAYS, set(), SPRING, {"vt/1"}).state is ProgressState.IN_PROGRESS


@pytest.mark.parametrize(
    ("occasion", "days", "expected"),
    [
        (None, set(), (1, 3, "InProgress")),  # not registered: one course-day item
        (SPRING, set(), (1, 4, "InProgress")),
        (SPRING, {"vt/1"}, (2, 4, "InProgress")),
        (SPRING, {"vt/1", "vt/2"}, (3, 4, "InProgress")),  # a task left
    ],
)
def test_a_course_placement_scores_its_days_beside_its_tasks(
    occasion: Occasion | None, days: set[str], expected: tuple[int, int, str]
) -> None:
    state = course_days_state(WITH_DAYS, occasion, days)
    score = course_score("u", frozenset({"p1", "f1"}), {"p1"}, state, AT).to_json()
    given, maximum, activity = expected
    assert (score["scoreGiven"], score["scoreMaximum"]) == (given, maximum)
    assert score["activityProgress"] == activity
    assert score["gradingProgress"] == "FullyGraded"


def test_a_course_placement_without_course_days_scores_its_tasks() -> None:
    score = course_score("u", frozenset({"p1", "f1"}), {"p1", "f1"}, NO_DAYS, AT).to_json()
    assert (score["scoreGiven"], score["scoreMaximum"]) == (2, 2)


def test_a_course_placement_has_full_score_only_when_the_course_is_completed() -> None:
    state = course_days_state(WITH_DAYS, SPRING, {"vt/1", "vt/2"})
    score = course_score("u", frozenset({"p1", "f1"}), {"p1", "f1"}, state, AT).to_json()
    assert (score["scoreGiven"], score["scoreMaximum"], score["activityProgress"]) == (
        4,
        4,
        "Completed",
    )
