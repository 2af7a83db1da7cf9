"""Turn pydantic validation errors into catalog problems that say what to change."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from yrkesresan_lti.catalog.locations import Loc
from yrkesresan_lti.catalog.problems import PROBLEM_TEXTS

_REASONS = {
    "string_type": "want_text",
    "int_type": "want_whole_number",
    "int_parsing": "want_whole_number",
    "int_from_float": "want_whole_number",
    "date_parsing": "want_date",
    "date_from_datetime_parsing": "want_date",
    "date_type": "want_date",
    "time_parsing": "want_time",
    "time_type": "want_time",
    "list_type": "want_list",
    "dict_type": "want_mapping",
    "model_type": "want_mapping",
    "model_attributes_type": "want_mapping",
    "too_short": "want_entries",
    "string_too_short": "want_text_not_empty",
    "string_too_long": "text_too_long",
    "greater_than_equal": "number_too_small",
    "less_than_equal": "number_too_large",
    "literal_error": "want_choice",
    "bool_type": "want_true_false",
    "bool_parsing": "want_true_false",
}
"""pydantic's error types that have a text of ours (:data:`PROBLEM_TEXTS`)."""

_CONTEXT = {
    "min_length": "min",
    "max_length": "max",
    "ge": "min",
    "le": "max",
    "expected": "expected",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Explained:
    """One pydantic error as a catalog problem: where, the English message, and its reason
    and values when it has a text of ours (empty reason: pydantic's own words)."""

    loc: Loc
    message: str
    reason: str = ""
    details: dict[str, str] = field(default_factory=dict)


def problems_from_validation(err: ValidationError, root: type[BaseModel]) -> list[Explained]:
    """One :class:`Explained` per error of ``err`` raised while validating ``root``."""
    return [explain(detail, root) for detail in err.errors()]


def explain(detail: ErrorDetails, root: type[BaseModel]) -> Explained:
    """A one-line message for one pydantic error, ending with the fix."""
    kind, loc = detail["type"], tuple(detail["loc"])
    ctx = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        if allowed:
            return _ours(loc, "unknown_key_allowed", key=str(loc[-1]), keys=", ".join(allowed))
        return _ours(loc, "unknown_key", key=str(loc[-1]))
    if kind == "missing":
        return _ours(loc, "missing_key", key=str(loc[-1]))
    if kind in PROBLEM_TEXTS:  # raised by our validators (problems.value_error)
        return _ours(loc, kind, **{name: str(value) for name, value in ctx.items()})
    if kind == "value_error":
        error = ctx.get("error")
        return Explained(loc, str(error if error is not None else detail["msg"]))
    got = _describe(detail.get("input"))
    reason = _REASONS.get(kind)
    if reason is None:
        return Explained(loc, f"{detail['msg']} (got {got})")
    values = {name: str(ctx[key]) for key, name in _CONTEXT.items() if key in ctx}
    return _ours(loc, reason, got=got, **values)


def _ours(loc: Loc, reason: str, **details: str) -> Explained:
    """pydantic's context varies by type: a placeholder it does not fill reads '?'."""
    text = PROBLEM_TEXTS[reason]
    filled = {name: details.get(name, "?") for name in _PLACEHOLDER.findall(text)}
    return Explained(loc, text % filled, reason, filled)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _allowed_keys(root: type[BaseModel], loc: Loc) -> list[str]:
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field is not None else None
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
