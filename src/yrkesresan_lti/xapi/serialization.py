"""The bytes of a statement: what the outbox stores and resends byte-for-byte."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
"""One encoder for every statement (``json.dumps`` with options builds a new one per call)."""


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars): much cheaper than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def statement_bytes(statement: Mapping[str, Any]) -> bytes:
    """Canonical compact JSON: sorted keys, no spaces, UTF-8, non-ASCII kept as is.

    The same statement always gives the same bytes, so a retry is identical to the first
    attempt and an LRS that dedupes (Ralph answers 204) accepts it instead of a 409.
    """
    return _CANONICAL.encode(statement).encode("utf-8")
