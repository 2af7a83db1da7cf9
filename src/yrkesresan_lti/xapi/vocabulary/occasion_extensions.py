"""Context extensions of the waiting list and of changed occasions (profile 1.5), one class
per extension, minted as ``{base}extensions/<name>``."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from yrkesresan_lti.xapi.vocabulary.extensions import Extension

REASONS = ("withdrawn", "registered", "occasion-cancelled", "occasion-started")
"""Why someone left a waiting list (or, ``occasion-cancelled``, an occasion)."""

_TIME = {"type": "string", "format": "date-time"}
_SPAN = {
    "type": "object",
    "required": ["start", "end"],
    "properties": {"start": _TIME, "end": _TIME},
    "additionalProperties": False,
}


class WaitingListPositionExtension(Extension):
    """The learner's place in line when put on the waiting list (1 = first)."""

    path: Literal["extensions/waiting-list-position"] = "extensions/waiting-list-position"
    sv: Literal["plats i kön"] = "plats i kön"
    en: Literal["waiting list position"] = "waiting list position"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {"type": "integer", "minimum": 1}
    definition_sv = "Platsen på väntelistan när deltagaren ställdes i kö (1 = först)."
    definition_en = "The place on the waiting list when the learner joined it (1 = first)."


class ReasonExtension(Extension):
    """Why the learner left a waiting list, or was unregistered by a cancellation."""

    path: Literal["extensions/reason"] = "extensions/reason"
    sv: Literal["orsak"] = "orsak"
    en: Literal["reason"] = "reason"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {"type": "string", "enum": list(REASONS)}
    definition_sv = (
        "Varför: withdrawn (chefen tog bort personen ur kön), registered (fick en plats "
        "direkt), occasion-cancelled (kurstillfället ställdes in), occasion-started "
        "(personens nuvarande kurstillfälle hade börjat när en plats blev ledig)."
    )
    definition_en = (
        "Why: withdrawn (the manager took the person out of line), registered (got a seat "
        "directly), occasion-cancelled (the occasion was cancelled), occasion-started (the "
        "person's current occasion had begun when a seat came free)."
    )


class FromWaitingListExtension(Extension):
    """The registration came from the waiting list: when the learner joined it."""

    path: Literal["extensions/from-waiting-list"] = "extensions/from-waiting-list"
    sv: Literal["från väntelistan"] = "från väntelistan"
    en: Literal["from the waiting list"] = "from the waiting list"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["joinedAt"],
        "properties": {"joinedAt": _TIME},
        "additionalProperties": False,
    }
    definition_sv = (
        "Anmälan kom från väntelistan (en plats blev ledig): joinedAt är när deltagaren "
        "ställdes i kö (UTC)."
    )
    definition_en = (
        "The registration came from the waiting list (a seat came free): joinedAt is when "
        "the learner joined the line (UTC)."
    )


class ScheduleChangeExtension(Extension):
    """A moved course day's start and end before and after (Swedish time with its offset)."""

    path: Literal["extensions/schedule-change"] = "extensions/schedule-change"
    sv: Literal["tidsändring"] = "tidsändring"
    en: Literal["schedule change"] = "schedule change"
    where = "context"
    value_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["before", "after"],
        "properties": {"before": _SPAN, "after": _SPAN},
        "additionalProperties": False,
    }
    definition_sv = (
        "Kursdagens start och slut före och efter flytten (svensk tid med tidszon, ISO 8601)."
    )
    definition_en = (
        "The course day's start and end before and after the move (Swedish time with its "
        "offset, ISO 8601)."
    )


WAITING_LIST_POSITION = WaitingListPositionExtension()
REASON = ReasonExtension()
FROM_WAITING_LIST = FromWaitingListExtension()
SCHEDULE_CHANGE = ScheduleChangeExtension()

OCCASION_EXTENSIONS: tuple[Extension, ...] = (
    WAITING_LIST_POSITION,
    REASON,
    FROM_WAITING_LIST,
    SCHEDULE_CHANGE,
)
"""The extensions of profile 1.5's waiting-list and change templates, in profile order."""
