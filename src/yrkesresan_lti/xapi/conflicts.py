"""The log line of a conflict: another statement than ours is stored under our id.

Both versions are logged at WARNING so an operator can see what differs (the dead letter
keeps ours; the LRS keeps its own). People are left out: ``actor``, ``context.instructor``,
``context.team`` and the LRS's ``authority`` are replaced by ``"(redacted)"``, and
``differing`` says whether the actor is what differs. No credentials reach this code.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

log = logging.getLogger("yrkesresan.lrs")
REDACTED = "(redacted)"


def log_conflict(
    target: str,
    statement_id: str,
    sent: Mapping[str, Any],
    stored: Mapping[str, Any],
    differing: Sequence[str],
) -> None:
    log.warning(
        "lrs_conflict",
        extra={
            "event": "lrs_conflict",
            "target": target,
            "statement_id": statement_id,
            "differing": ",".join(differing),
            "sent": _without_people(sent),
            "stored": _without_people(stored),
        },
    )


def _without_people(statement: Mapping[str, Any]) -> str:
    data = {k: (REDACTED if k in ("actor", "authority") else v) for k, v in statement.items()}
    context = data.get("context")
    if isinstance(context, Mapping):
        data["context"] = {
            k: (REDACTED if k in ("instructor", "team") else v) for k, v in context.items()
        }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
