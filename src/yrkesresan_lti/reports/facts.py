"""From statements to facts: what one statement says about the programme's figures.

A :class:`Fact` is the part of a statement the figures need (:mod:`.figures` says what
each counts): its kind, learner, time, year, county, municipality, journey, course,
occasion, the occasion's seats, and a goal or rating. Statements are recognised by verb
and object type, as the profile defines them, whatever the IRI base. An LRS may hold
statements of other tools: a statement without a course context counts nowhere, unless it
is one of our profile's voiding statements made by a learner (an undo: the learner was
active that year, in that municipality; the tool's own erasures are no one's event).

A :class:`FactSet` collects the facts of a stream of statements and honours voiding: a
voiding statement's target is dropped whether it was read before or after it, so the
result is right even against an LRS that returns voided statements. It also keeps the names
of activities (for labels). Ties in time are broken by statement id, as the tool does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

SWEDEN = ZoneInfo("Europe/Stockholm")

ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
UNREGISTERED = "http://id.tincanapi.com/verb/unregistered"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
MEETING_TYPE = "http://adlnet.gov/expapi/activities/meeting"
OBJECTIVE_TYPE = "http://adlnet.gov/expapi/activities/objective"
JOURNEY_SUFFIX = "/activity-types/journey"
OCCASION_SUFFIX = "/activity-types/occasion"
OVERALL_QUESTION = "/evaluation/questions/helhet"
"""The end of the overall rating question's IRI ("Hur bra var kursen som helhet?")."""
MUNICIPALITY_CODE = "/extensions/municipality-code"
COUNTY_CODE = "/extensions/county-code"
MUNICIPALITY_NAME = "/extensions/municipality-name"
SEATS = "/extensions/seats"
PROFILE_TYPE = "http://adlnet.gov/expapi/activities/profile"
TOOL_ACCOUNT = "yrkesresan-lti"

# Kinds of fact
OTHER, REGISTRATION, CANCELLATION, ATTENDANCE, COMPLETION, GOAL, RATING = range(7)


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement, as the figures see it (``subject``: the goal IRI of a GOAL; ``order``:
    its time and id, for "the latest"; ``seats``: the occasion's, as this statement says)."""

    kind: int
    learner: str
    order: tuple[datetime, str]
    year: str
    county: str | None
    municipality: str | None
    journey: str | None
    course: str | None
    occasion: str | None = None
    seats: int | None = None
    subject: str | None = None
    rating: int | None = None


class FactSet:
    """The standing facts of the statements added (voided ones left out)."""

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}
        self._voided: set[str] = set()
        self.labels: dict[str, str] = {}
        self._lang: tuple[str, ...] = ("sv", "en")
        self._strings: dict[str, str] = {}

    def add_all(self, statements: Iterable[Mapping[str, Any]]) -> FactSet:
        for statement in statements:
            self.add(statement)
        return self

    def add(self, statement: Mapping[str, Any]) -> None:
        """Read one statement; one that is not a valid statement of ours is skipped."""
        try:
            self._add(statement)
        except (KeyError, TypeError, ValueError, AttributeError):
            return  # not a statement of ours: counts nowhere

    def __iter__(self) -> Iterator[Fact]:
        voided = self._voided
        return (fact for sid, fact in self._facts.items() if sid not in voided)

    # --- one statement -----------------------------------------------------------------

    def _add(self, statement: Mapping[str, Any]) -> None:
        verb = statement["verb"]["id"]
        target = statement["object"]
        context = statement.get("context") or {}
        activities = context.get("contextActivities") or {}
        everything = [
            target,
            *(activities.get("parent") or ()),
            *(activities.get("grouping") or ()),
            *(activities.get("other") or ()),
        ]
        for activity in everything:
            self._label(activity)
        course = _first_of_type(everything, COURSE_TYPE)
        voiding = verb == VOIDED and target.get("objectType") == "StatementRef"
        if voiding:
            self._voided.add(str(target["id"]).lower())
            ours = _first_of_type(activities.get("category") or (), PROFILE_TYPE)
            if ours is None or _account_name(statement["actor"]) == TOOL_ACCOUNT:
                return
        elif course is None:
            return  # no course context: not a statement of the programme
        statement_id = str(statement["id"]).lower()
        when = datetime.fromisoformat(statement["timestamp"])
        extensions = context.get("extensions") or {}
        municipality = self._code(extensions, MUNICIPALITY_CODE)
        if municipality is not None:
            name = _extension(extensions, MUNICIPALITY_NAME)
            if isinstance(name, str) and name:
                self.labels.setdefault(municipality, name)
        occasion_activity = _first_activity(everything, OCCASION_SUFFIX)
        kind, subject, rating = (
            (OTHER, None, None) if voiding else _kind(verb, target, statement.get("result") or {})
        )
        journey = _first_of_type(everything, JOURNEY_SUFFIX, suffix=True)
        fact = Fact(
            kind=kind,
            learner=self._intern(_learner(statement["actor"])),
            order=(when, statement_id),
            year=self._intern(str(when.astimezone(SWEDEN).year)),
            county=self._code(extensions, COUNTY_CODE),
            municipality=municipality,
            journey=self._intern(journey) if journey else None,
            course=self._intern(course) if course else None,
            occasion=self._intern(occasion_activity["id"]) if occasion_activity else None,
            seats=_seats(occasion_activity) if occasion_activity else None,
            subject=self._intern(subject) if subject else None,
            rating=rating,
        )
        self._facts[statement_id] = fact

    def _code(self, extensions: Mapping[str, Any], suffix: str) -> str | None:
        value = _extension(extensions, suffix)
        if isinstance(value, Mapping):
            value = value.get("code")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return self._intern(value) if isinstance(value, str) and value.strip() else None

    def _label(self, activity: Mapping[str, Any]) -> None:
        iri = activity.get("id")
        if not isinstance(iri, str) or iri in self.labels:
            return
        names = (activity.get("definition") or {}).get("name") or {}
        for lang in (*self._lang, *names):
            if isinstance(names.get(lang), str):
                self.labels[iri] = names[lang]
                return

    def prefer(self, *languages: str) -> FactSet:
        """Take labels in these languages first (default: Swedish, then English)."""
        self._lang = languages
        return self

    def _intern(self, text: str) -> str:
        return self._strings.setdefault(text, text)


def _kind(
    verb: str, target: Mapping[str, Any], result: Mapping[str, Any]
) -> tuple[int, str | None, int | None]:
    """What the statement is (kind, goal IRI, rating)."""
    kind = _type(target)
    if verb == ATTENDED and kind == MEETING_TYPE:
        return ATTENDANCE, None, None
    if verb == REGISTERED and kind == COURSE_TYPE:
        return REGISTRATION, None, None
    if verb == UNREGISTERED and kind == COURSE_TYPE:
        return CANCELLATION, None, None
    if verb == COMPLETED and kind == COURSE_TYPE:
        return COMPLETION, None, None
    if verb == PASSED and kind == OBJECTIVE_TYPE:
        return GOAL, str(target["id"]), None
    if verb == ANSWERED and str(target.get("id", "")).endswith(OVERALL_QUESTION):
        raw = (result.get("score") or {}).get("raw")
        if isinstance(raw, int | float) and float(raw).is_integer() and 1 <= raw <= 5:
            return RATING, None, int(raw)
    return OTHER, None, None


def _type(activity: Mapping[str, Any]) -> str:
    definition = activity.get("definition") or {}
    kind = definition.get("type")
    return kind if isinstance(kind, str) else ""


def _first_activity(
    activities: Iterable[Mapping[str, Any]], suffix: str
) -> Mapping[str, Any] | None:
    return next((a for a in activities if _type(a).endswith(suffix)), None)


def _seats(activity: Mapping[str, Any]) -> int | None:
    seats = _extension((activity.get("definition") or {}).get("extensions") or {}, SEATS)
    return seats if isinstance(seats, int) and not isinstance(seats, bool) else None


def _account_name(actor: Mapping[str, Any]) -> str | None:
    account = actor.get("account") or {}
    name = account.get("name") if isinstance(account, Mapping) else None
    return name if isinstance(name, str) else None


def _first_of_type(
    activities: Iterable[Mapping[str, Any]], kind: str, *, suffix: bool = False
) -> str | None:
    for activity in activities:
        found = _type(activity)
        if found.endswith(kind) if suffix else found == kind:
            return str(activity["id"])
    return None


def _extension(extensions: Mapping[str, Any], suffix: str) -> Any:
    for key, value in extensions.items():
        if key.endswith(suffix):
            return value
    return None


def _learner(actor: Mapping[str, Any]) -> str:
    """The learner's inverse functional identifier as one string."""
    account = actor.get("account")
    if isinstance(account, Mapping):
        return f"account:{account['homePage']}|{account['name']}"
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(actor.get(key), str):
            return f"{key}:{actor[key]}"
    raise ValueError("actor without an identifier")
