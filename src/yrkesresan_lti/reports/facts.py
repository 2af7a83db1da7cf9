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
from datetime import datetime
from typing import Any, NamedTuple
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
# What an activity or a context extension is to the figures
_ELSE, _COURSE, _JOURNEY, _OCCASION = range(4)
_MUNICIPALITY_CODE, _COUNTY_CODE, _MUNICIPALITY_NAME = range(1, 4)


class Fact(NamedTuple):
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
        self._roles: dict[str, tuple[int, str, str]] = {}
        self._extension_keys: dict[str, int] = {}

    def add_all(self, statements: Iterable[Mapping[str, Any]]) -> FactSet:
        for statement in statements:
            self.add(statement)
        return self

    def add_pages(self, pages: Iterable[Iterable[Mapping[str, Any]]]) -> FactSet:
        """:meth:`add_all` of each page (the reader's pages, without a generator per
        statement)."""
        add = self.add
        for page in pages:
            for statement in page:
                add(statement)
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
        voiding = verb == VOIDED and target.get("objectType") == "StatementRef"
        course = journey = occasion = None
        occasion_activity: Mapping[str, Any] | None = None
        target_type = ""
        roles = self._roles
        for group in (
            () if voiding else (target,),
            activities.get("parent") or (),
            activities.get("grouping") or (),
            activities.get("other") or (),
        ):
            for activity in group:
                iri = activity["id"]
                role = roles.get(iri)
                if role is None:
                    role = roles[iri] = self._role(activity)
                if activity is target:
                    target_type = role[1]
                if role[0] == _COURSE and course is None:
                    course = role[2]
                elif role[0] == _JOURNEY and journey is None:
                    journey = role[2]
                elif role[0] == _OCCASION and occasion is None:
                    occasion, occasion_activity = role[2], activity
        if voiding:
            self._voided.add(str(target["id"]).lower())
            ours = _first_of_type(activities.get("category") or (), PROFILE_TYPE)
            if ours is None or _account_name(statement["actor"]) == TOOL_ACCOUNT:
                return
        elif course is None:
            return  # no course context: not a statement of the programme
        statement_id = str(statement["id"]).lower()
        when = datetime.fromisoformat(statement["timestamp"])
        municipality = county = name = None
        for key, value in (context.get("extensions") or {}).items():
            which = self._extension_keys.get(key)
            if which is None:
                which = self._extension_keys[key] = _extension_kind(key)
            if which == _MUNICIPALITY_CODE:
                municipality = self._code(value)
            elif which == _COUNTY_CODE:
                county = self._code(value)
            elif which == _MUNICIPALITY_NAME:
                name = value
        if municipality is not None and isinstance(name, str) and name:
            self.labels.setdefault(municipality, name)
        kind, subject, rating = (
            (OTHER, None, None)
            if voiding
            else _kind(verb, target_type, target, statement.get("result") or {})
        )
        self._facts[statement_id] = Fact(
            kind=kind,
            learner=self._intern(_learner(statement["actor"])),
            order=(when, statement_id),
            year=self._year(when),
            county=county,
            municipality=municipality,
            journey=journey,
            course=course,
            occasion=occasion,
            seats=_seats(occasion_activity) if occasion_activity is not None else None,
            subject=self._intern(subject) if subject else None,
            rating=rating,
        )

    def _role(self, activity: Mapping[str, Any]) -> tuple[int, str, str]:
        """What an activity is to the figures (course, journey, occasion or other), its
        type and its interned IRI; its name becomes its label."""
        iri = self._intern(str(activity["id"]))
        kind = _type(activity)
        self._label(activity)
        if kind == COURSE_TYPE:
            return _COURSE, kind, iri
        if kind.endswith(JOURNEY_SUFFIX):
            return _JOURNEY, kind, iri
        if kind.endswith(OCCASION_SUFFIX):
            return _OCCASION, kind, iri
        return _ELSE, kind, iri

    def _year(self, when: datetime) -> str:
        return self._intern(str(when.astimezone(SWEDEN).year))

    def _code(self, value: Any) -> str | None:
        if type(value) is str:
            return self._intern(value) if value.strip() else None
        if value is None:
            return None
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


def _extension_kind(key: str) -> int:
    for suffix, which in (
        (MUNICIPALITY_CODE, _MUNICIPALITY_CODE),
        (COUNTY_CODE, _COUNTY_CODE),
        (MUNICIPALITY_NAME, _MUNICIPALITY_NAME),
    ):
        if key.endswith(suffix):
            return which
    return _ELSE


def _kind(
    verb: str, kind: str, target: Mapping[str, Any], result: Mapping[str, Any]
) -> tuple[int, str | None, int | None]:
    """What the statement is (kind, goal IRI, rating); ``kind``: the object's type."""
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
    if type(account) is dict or isinstance(account, Mapping):
        return f"account:{account['homePage']}|{account['name']}"
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(actor.get(key), str):
            return f"{key}:{actor[key]}"
    raise ValueError("actor without an identifier")
