"""One answer to a question of a course evaluation (kursutvärdering)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from yrkesresan_lti.base import NonEmptyStr, StrictModel
from yrkesresan_lti.catalog.text import LangMap, Slug


class EvaluationAnswer(StrictModel):
    """The learner's answer; ``score`` is a rating on the scale ``scale_min``..``scale_max``.

    The question's IRI is ``{course IRI}/evaluation/questions/{question}``.
    """

    question: Slug = Field(description="Question slug, e.g. 'nytta-i-arbetet'")
    text: LangMap = Field(description="The question as asked (sv required)")
    response: NonEmptyStr = Field(description="The answer as given (free text or the choice)")
    score: int | None = None
    scale_min: int = 1
    scale_max: int = 5

    @model_validator(mode="after")
    def _score_on_scale(self) -> Self:
        if self.scale_min >= self.scale_max:
            raise ValueError("scale_min must be smaller than scale_max")
        if self.score is not None and not self.scale_min <= self.score <= self.scale_max:
            raise ValueError(
                f"score {self.score} is outside the scale {self.scale_min}..{self.scale_max}"
            )
        return self

    @property
    def scaled(self) -> float | None:
        """The score mapped onto 0..1, as xAPI's ``score.scaled``."""
        if self.score is None:
            return None
        return (self.score - self.scale_min) / (self.scale_max - self.scale_min)
