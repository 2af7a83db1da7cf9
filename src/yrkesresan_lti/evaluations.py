"""The rules of answering a course evaluation (kursutvärdering).

Framework-free and storage-free, like :mod:`yrkesresan_lti.occasions`: the caller knows the
learner's occasion, attended days, follow-up and the time; these functions decide and raise
a typed :class:`~yrkesresan_lti.exceptions.EvaluationError` whose message says what to do.

* **Who.** A course with occasions is evaluated by those who attended at least one course
  day of their occasion; a course without occasions by those who finished its follow-up.
* **When.** From the last course day of the learner's occasion (``offered_after:
  last-course-day``), or once the follow-up is done (``follow-up``, and always for a course
  without occasions). Dates are Swedish (Europe/Stockholm).
* **Until.** The evaluation's ``closes`` date when set; else ``open_days`` after the last
  course day, or after the first answer when it is offered after the follow-up. Until then
  the learner may change the answer; one answer per learner and occasion (or course).
* **What.** Ratings are whole numbers 1–5; the overall one is required, the others and the
  comment optional; a comment is at most :data:`COMMENT_MAX` characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from yrkesresan_lti.catalog import Course, CourseOccasion, Evaluation
from yrkesresan_lti.catalog.evaluation import SCALE_MAX, SCALE_MIN
from yrkesresan_lti.exceptions import (
    CourseNotAttended,
    EvaluationClosed,
    EvaluationNotOpen,
    InvalidEvaluationAnswer,
)
from yrkesresan_lti.untrusted import ascii_digits

COMMENT_MAX = 2000
"""Longest comment accepted, in characters."""

MIN_GROUP = 5
"""Aggregates are shown only where at least this many people answered ("för få svar")."""


@dataclass(frozen=True)
class Window:
    """When the evaluation opens and closes for one learner (None: not offered yet)."""

    opens: dt.date | None
    closes: dt.date | None

    def is_open(self, today: dt.date) -> bool:
        return self.opens is not None and self.opens <= today and not self.closed(today)

    def closed(self, today: dt.date) -> bool:
        return self.closes is not None and today > self.closes


@dataclass(frozen=True)
class Answers:
    """Validated answers: question slug → rating, in the evaluation's order, and a comment."""

    ratings: dict[str, int]
    comment: str | None


def last_day(occasion: CourseOccasion) -> dt.date:
    return max(day.date for day in occasion.days)


def window(
    evaluation: Evaluation,
    occasion: CourseOccasion | None,
    *,
    follow_up_done: bool,
    first_answered: dt.date | None,
    today: dt.date,
) -> Window:
    """The learner's window: see the module's rules."""
    if occasion is not None and evaluation.offered_after == "last-course-day":
        opens: dt.date | None = last_day(occasion)
    elif follow_up_done or first_answered is not None:
        opens = first_answered or today
    else:
        opens = None
    if opens is None:
        return Window(None, evaluation.closes)
    closes = evaluation.closes or opens + dt.timedelta(days=evaluation.open_days)
    return Window(opens, closes)


def check_may_answer(
    course: Course,
    occasion: CourseOccasion | None,
    attended_days: set[str],
    win: Window,
    today: dt.date,
) -> None:
    """Raise unless the learner may answer (or change the answer) today."""
    if course.occasions and (occasion is None or not attended_days):
        raise CourseNotAttended(
            f"nobody can evaluate '{course.iri}' without attending a course day of their "
            "occasion: the evaluation is for participants"
        )
    if win.closed(today):
        assert win.closes is not None
        raise EvaluationClosed(
            f"the evaluation of '{course.iri}' closed on {win.closes.isoformat()}: answers "
            "can no longer be given or changed"
        )
    if win.opens is None or today < win.opens:
        when = "after the last course day" if win.opens else "once the follow-up is done"
        raise EvaluationNotOpen(f"the evaluation of '{course.iri}' opens {when}")


def parse_answers(
    evaluation: Evaluation, ratings: Mapping[str, str], comment: str | None
) -> Answers:
    """Check the form's ratings (question slug → text) and comment; unknown questions,
    ratings off the scale and a missing required rating raise
    :class:`InvalidEvaluationAnswer`."""
    unknown = sorted(set(ratings) - {q.slug for q in evaluation.questions})
    if unknown:
        raise InvalidEvaluationAnswer(f"the evaluation asks no question '{unknown[0]}'")
    found: dict[str, int] = {}
    for question in evaluation.questions:
        text = (ratings.get(question.slug) or "").strip()
        if not text:
            if question.required:
                raise InvalidEvaluationAnswer(f"the question '{question.slug}' needs an answer")
            continue
        if not ascii_digits(text) or not SCALE_MIN <= int(text) <= SCALE_MAX:
            raise InvalidEvaluationAnswer(
                f"the answer to '{question.slug}' must be a whole number "
                f"{SCALE_MIN}–{SCALE_MAX}, got {text[:20]!r}"
            )
        found[question.slug] = int(text)
    clean = (comment or "").strip() or None
    if clean is not None and not evaluation.comment:
        raise InvalidEvaluationAnswer("this evaluation asks for no comment")
    if clean is not None and len(clean) > COMMENT_MAX:
        raise InvalidEvaluationAnswer(f"a comment is at most {COMMENT_MAX} characters")
    return Answers(found, clean)


def good_share(distribution: Mapping[int, int]) -> float | None:
    """Share of ratings 4–5 ("bra"/"mycket bra") in a rating → count distribution."""
    total = sum(distribution.values())
    if not total:
        return None
    return sum(n for rating, n in distribution.items() if rating >= 4) / total
