"""What a statement means to the figures: one function from a statement (JSON) to the rows
of the statistics ledger (:mod:`.schema`), following :mod:`yrkesresan_lti.reports.figures`.

* the **learner** is a hash of the actor's identifier (account, else mbox, mbox_sha1sum or
  openid): :func:`learner_key`;
* the **year** is the Swedish calendar year of the statement's ``timestamp``;
* **municipality** and **county** are the context extensions ending in
  ``/municipality-code`` and ``/county-code`` (profile 1.5), unknown when absent or null;
* the occasion's **seats** is its activity's extension ``/seats`` (profile 1.5);
* **journey**, **course** and **occasion** are the activities of those types among the
  object and the context's ``parent``, ``grouping`` and ``other`` (the occasion, which no
  figure names, and the learner as numbers: :func:`hash_id`);
* the **kind** counted: ``registered`` / ``unregistered`` (of an occasion), ``attended``
  (a course day), ``completed`` (a course), ``passed`` (a knowledge goal), ``rating`` (the
  overall question ``helhet`` of a course evaluation); any other statement only makes the
  learner a user. A ``voided`` statement names the statement it voids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from yrkesresan_lti.xapi.vocabulary.verbs import (
    ANSWERED,
    ATTENDED,
    COMPLETED,
    PASSED,
    REGISTERED,
    UNREGISTERED,
    VOIDED,
)

SWEDEN = ZoneInfo("Europe/Stockholm")
VERB_NAMES: dict[str, str] = {
    verb.id: name
    for name, verb in (
        ("registered", REGISTERED),
        ("unregistered", UNREGISTERED),
        ("attended", ATTENDED),
        ("completed", COMPLETED),
        ("passed", PASSED),
        ("answered", ANSWERED),
        ("voided", VOIDED),
    )
}
"""The verbs the ledger reads, by their IRI (``unregistered`` is TinCan's, not ADL's)."""
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
OVERALL_QUESTION = "/evaluation/questions/helhet"

_KINDS = {
    ("registered", None): "registered",
    ("unregistered", None): "unregistered",
    ("attended", "http://adlnet.gov/expapi/activities/meeting"): "attended",
    ("completed", COURSE_TYPE): "completed",
    ("passed", "http://adlnet.gov/expapi/activities/objective"): "passed",
}


def hash_id(text: str) -> int:
    """A signed 64-bit number for ``text`` (the first 8 bytes of its SHA-256; 0 for ""):
    the figures group and count by numbers, which the database hashes and compares far
    faster than IRIs. Two of 100,000 learners share one with odds of about 1 in 10⁹."""
    if not text:
        return 0
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


def learner_key(actor: Mapping[str, Any]) -> int:
    """The ledger's number for the actor's inverse functional identifier."""
    account = actor.get("account")
    if isinstance(account, Mapping):
        ifi = f"account:{account.get('homePage')}|{account.get('name')}"
    else:
        name = next((n for n in ("mbox", "mbox_sha1sum", "openid") if actor.get(n)), "mbox")
        ifi = f"{name}:{actor.get(name)}"
    return hash_id(ifi)


def swedish_year(timestamp: str) -> int:
    """The calendar year in Sweden of an ISO 8601 timestamp."""
    moment = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(SWEDEN).year


@dataclass(frozen=True)
class Event:
    """One statement as the ledger keeps it (unknown: the empty string)."""

    statement_id: str
    kind: str | None
    at: dt.datetime
    learner: int
    year: int
    municipality: str
    county: str
    journey: str
    course: str
    occasion: int
    object: str
    rating: int | None
    seats: int | None
    voids: str | None

    def dimensions(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "year": self.year,
            "municipality": self.municipality,
            "county": self.county,
            "journey": self.journey,
            "course": self.course,
        }

    def activity_key(self) -> str:
        parts = (str(self.learner), str(self.year), self.municipality, self.county)
        text = "\n".join((*parts, self.journey, self.course))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def row(self) -> dict[str, Any]:
        return {
            "statement_id": self.statement_id,
            "kind": self.kind,
            "at": self.at,
            **self.dimensions(),
            "occasion": self.occasion,
            "object": self.object,
            "object_id": hash_id(self.object),
            "rating": self.rating,
            "seats": self.seats,
            "at_ms": round(self.at.timestamp() * 1000),
        }


def _activities(statement: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    target = statement.get("object") or {}
    if target.get("objectType", "Activity") == "Activity":
        yield target
    context = statement.get("context") or {}
    for name in ("parent", "grouping", "other"):
        yield from (context.get("contextActivities") or {}).get(name) or ()


def _type(activity: Mapping[str, Any]) -> str:
    return str((activity.get("definition") or {}).get("type") or "")


@dataclass
class _Found:
    """The first journey, course and occasion activity among a statement's activities (in
    the order of ``_activities``), and the occasion's seats: found in one pass."""

    journey: str = ""
    course: str = ""
    occasion: str = ""
    seats: int | None = None


def _found(statement: Mapping[str, Any]) -> _Found:
    found = _Found()
    occasion_seen = False
    for activity in _activities(statement):
        kind = _type(activity)
        if not found.journey and kind.endswith("/activity-types/journey"):
            found.journey = str(activity["id"])
        elif not found.course and kind.endswith("/activities/course"):
            found.course = str(activity["id"])
        elif not occasion_seen and kind.endswith("/activity-types/occasion"):
            occasion_seen = True
            found.occasion = str(activity["id"])
            found.seats = _seats_of(activity)
    return found


def _seats_of(occasion: Mapping[str, Any]) -> int | None:
    extensions = (occasion.get("definition") or {}).get("extensions") or {}
    value = next((v for k, v in extensions.items() if k.endswith("/seats")), None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _extension(extensions: Mapping[str, Any], suffix: str) -> str:
    value = next((v for k, v in extensions.items() if k.endswith(suffix)), None)
    return str(value) if isinstance(value, str) else ""


def _rating(statement: Mapping[str, Any], object_id: str) -> int | None:
    if not object_id.endswith(OVERALL_QUESTION):
        return None
    result = statement.get("result") or {}
    raw: Any = (result.get("score") or {}).get("raw", result.get("response"))
    try:
        return int(float(raw))
    except (TypeError, ValueError):
        return None


def event_of(statement: Mapping[str, Any]) -> Event:
    """The ledger's view of one statement the tool built (see the module)."""
    verb = VERB_NAMES.get(str((statement.get("verb") or {}).get("id", "")), "")
    target = statement.get("object") or {}
    object_id = str(target.get("id", ""))
    object_type = _type(target)
    kind = _KINDS.get((verb, None)) or _KINDS.get((verb, object_type))
    rating = _rating(statement, object_id) if verb == "answered" else None
    if rating is not None:
        kind = "rating"
    context = statement.get("context") or {}
    extensions = context.get("extensions") or {}
    timestamp = str(statement["timestamp"])
    at = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    found = _found(statement)
    return Event(
        statement_id=str(statement["id"]),
        kind=kind,
        at=at,
        learner=learner_key(statement.get("actor") or {}),
        year=at.astimezone(SWEDEN).year,  # swedish_year(timestamp), not parsed again
        municipality=_extension(extensions, "/municipality-code"),
        county=_extension(extensions, "/county-code"),
        journey=found.journey,
        course=object_id if object_type == COURSE_TYPE else found.course,
        occasion=hash_id(found.occasion),
        object=object_id,
        rating=rating,
        seats=found.seats,
        voids=object_id if verb == "voided" else None,
    )
