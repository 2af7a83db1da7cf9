"""Kursutvärdering: the questions a course asks its participants afterwards.

The catalog declares one :class:`Evaluation` for all courses (``evaluation`` at the top,
defaulting to :func:`default_evaluation`) and a course may override it with its own
``evaluation``. Every evaluation starts with the required overall rating
(:data:`OVERALL`); further 1–5 questions are optional for the learner, and so is the
free-text comment when ``comment`` is on.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from yrkesresan_lti.base import StrictModel
from yrkesresan_lti.catalog.problems import value_error
from yrkesresan_lti.catalog.text import LangMap, Slug

OVERALL = "helhet"
"""Slug of the required overall question ("Hur bra var kursen som helhet?")."""

SCALE_MIN, SCALE_MAX = 1, 5
"""Every rating is a whole number on this scale (1 = Mycket dålig, 5 = Mycket bra)."""

OfferedAfter = Literal["last-course-day", "follow-up"]


class EvaluationQuestion(StrictModel):
    """One rating question on the 1–5 scale, with the words for its two ends."""

    slug: Slug
    text: LangMap
    low: LangMap = Field(default_factory=lambda: {"sv": "Mycket dålig", "en": "Very poor"})
    high: LangMap = Field(default_factory=lambda: {"sv": "Mycket bra", "en": "Very good"})
    required: bool = False


def overall_question() -> EvaluationQuestion:
    """The required first question of every evaluation."""
    return EvaluationQuestion(
        slug=OVERALL,
        text={"sv": "Hur bra var kursen som helhet?", "en": "How good was the course overall?"},
        required=True,
    )


class Evaluation(StrictModel):
    """What a course evaluation asks, when it is offered and until when answers change.

    ``offered_after``: ``last-course-day`` (from the last day of the learner's occasion,
    the default; a course without occasions offers it once the follow-up is done) or
    ``follow-up`` (once the follow-up is done). Answers can be given and changed until
    ``closes`` when set, else for ``open_days`` days after the evaluation was offered.
    """

    questions: list[EvaluationQuestion] = Field(
        default_factory=lambda: [overall_question()],
        description="Rating questions; the first must be the overall one ('helhet')",
    )
    comment: bool = Field(default=True, description="Offer an optional free-text comment")
    offered_after: OfferedAfter = "last-course-day"
    open_days: int = Field(default=30, ge=1, le=366)
    closes: dt.date | None = None

    @model_validator(mode="after")
    def _overall_first(self) -> Self:
        if not self.questions or self.questions[0].slug != OVERALL:
            raise value_error("evaluation_overall_first", overall=OVERALL)
        if not self.questions[0].required:
            raise value_error("evaluation_overall_required", overall=OVERALL)
        slugs = [q.slug for q in self.questions]
        if len(set(slugs)) != len(slugs):
            raise value_error("evaluation_duplicate_slugs")
        return self

    def question(self, slug: str) -> EvaluationQuestion | None:
        return next((q for q in self.questions if q.slug == slug), None)


def default_evaluation() -> Evaluation:
    """The overall question, a comment, offered after the last course day, open 30 days."""
    return Evaluation()
