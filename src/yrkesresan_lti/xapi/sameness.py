"""Is the statement an LRS holds the one we sent? Compared by meaning, not by bytes.

An LRS adds ``version``, ``stored`` and ``authority``, fills in default ``objectType``s,
returns ``contextActivities`` as lists and rewrites forms: ADL's reference LRS answers
``2026-11-22T06:01:02.123000+00:00`` for our ``2026-11-22T06:01:02.123Z``. So a statement
read back is compared with ours after both are brought to one form; what remains different
is a different statement (a conflict), not a different spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

LRS_FIELDS = frozenset({"version", "stored", "authority"})
"""Set by the LRS, never by us (docs/xapi.md): ignored when comparing."""


def same_statement(sent: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """True if ``stored`` (read back from an LRS) means the statement ``sent``."""
    return normalised(sent) == normalised(stored)


def differing_fields(sent: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The top-level properties (``verb``, ``object``, ``context``, …) that differ."""
    ours, theirs = normalised(sent), normalised(stored)
    return sorted(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k))


def normalised(statement: Mapping[str, Any]) -> dict[str, Any]:
    """``statement`` in one form: LRS fields dropped, defaults filled in, instants parsed."""
    data = {k: v for k, v in statement.items() if k not in LRS_FIELDS}
    if isinstance(data.get("id"), str):
        data["id"] = data["id"].lower()
    if "timestamp" in data:
        data["timestamp"] = _instant(data["timestamp"])
    data["actor"] = _with_type(data.get("actor"), "Agent")
    data["object"] = _object(data.get("object"))
    if isinstance(data.get("context"), Mapping):
        data["context"] = _context(data["context"])
    return data


def _context(context: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(context)
    if isinstance(data.get("registration"), str):
        data["registration"] = data["registration"].lower()
    if "instructor" in data:
        data["instructor"] = _with_type(data["instructor"], "Agent")
    if isinstance(data.get("statement"), Mapping):
        data["statement"] = _object(data["statement"])
    activities = data.get("contextActivities")
    if isinstance(activities, Mapping):
        data["contextActivities"] = {
            kind: [_with_type(a, "Activity") for a in (v if isinstance(v, list) else [v])]
            for kind, v in activities.items()
        }
    return data


def _object(value: Any) -> Any:
    data = _with_type(value, "Activity")
    if isinstance(data, dict) and data.get("objectType") == "StatementRef":
        data["id"] = str(data.get("id", "")).lower()
    return data


def _with_type(value: Any, default: str) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {"objectType": default, **value}


def _instant(value: Any) -> Any:
    """A timestamp as an aware ``datetime`` (so ``.123Z`` equals ``.123000+00:00``)."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment if moment.tzinfo is not None else value
