"""The one pydantic base for domain and configuration models: strict about what it accepts."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A string that is not empty once surrounding white space is removed."""


class StrictModel(BaseModel):
    """Unknown keys are errors, empty strings are refused, instances are immutable."""

    model_config = ConfigDict(
        extra="forbid",
        str_min_length=1,
        frozen=True,
        validate_default=True,
        populate_by_name=True,
    )
