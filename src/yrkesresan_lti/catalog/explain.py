"""Turn pydantic validation errors into catalog problems that say what to change."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from yrkesresan_lti.catalog.locations import Loc

_HINTS = {
    "string_type": 'write text; put numbers and dates meant as text in quotes, e.g. "2027.1"',
    "int_type": "write a whole number without quotes",
    "int_parsing": "write a whole number without quotes",
    "date_parsing": "write the date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "time_parsing": "write the time as HH:MM",
    "time_type": "write the time as HH:MM",
    "list_type": "write a list: one '- ' item per line",
    "dict_type": "write a mapping of 'key: value' lines",
    "model_type": "write a mapping of 'key: value' lines",
    "model_attributes_type": "write a mapping of 'key: value' lines",
    "too_short": "add at least one entry",
    "greater_than_equal": "raise the number",
}


def problems_from_validation(err: ValidationError, root: type[BaseModel]) -> list[tuple[Loc, str]]:
    """One ``(location, message)`` per error of ``err`` raised while validating ``root``."""
    return [(tuple(detail["loc"]), explain(detail, root)) for detail in err.errors()]


def explain(detail: ErrorDetails, root: type[BaseModel]) -> str:
    """A one-line message for one pydantic error, ending with the fix."""
    kind, loc = detail["type"], tuple(detail["loc"])
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        where = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key '{loc[-1]}': remove it or fix its spelling{where}"
    if kind == "missing":
        return f"required key '{loc[-1]}' is missing: add it"
    if kind == "value_error":
        ctx = detail.get("ctx") or {}
        return str(ctx.get("error", detail["msg"]))
    got = _describe(detail.get("input"))
    hint = _HINTS.get(kind)
    message = f"{detail['msg']} (got {got})"
    return f"{message}: {hint}" if hint else message


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
