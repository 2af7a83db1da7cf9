"""The verbs our statements use, one class per verb, values pinned (ADL / TinCan registry)."""

from __future__ import annotations

from typing import Literal

from yrkesresan_lti.xapi.vocabulary.concept import MintedConcept, RegistryConcept


class Verb(RegistryConcept):
    """An xAPI verb; :meth:`as_xapi` gives the statement's ``verb`` object."""

    def as_xapi(self) -> dict[str, object]:
        """The verb as it appears in a statement: ``id`` and ``display``."""
        return {"id": self.id, "display": self.display}


class MintedVerb(MintedConcept):
    """A verb of our own (no registry verb says it), minted under the catalog base."""


AnyVerb = Verb | MintedVerb
"""A registry verb or one of ours: both give their IRI with ``iri(base)``."""


class LaunchedVerb(Verb):
    """The learner started a course or a course part from the LMS (an LTI launch)."""

    id: Literal["http://adlnet.gov/expapi/verbs/launched"] = (
        "http://adlnet.gov/expapi/verbs/launched"
    )
    sv: Literal["startade"] = "startade"
    en: Literal["launched"] = "launched"
    definition_sv = "Startade en kurs eller kursdel från lärplattformen (LTI-start)."
    definition_en = "Started a course or course part from the learning platform (LTI launch)."


class InitializedVerb(Verb):
    """Reserved: the learner began an attempt (not sent yet)."""

    id: Literal["http://adlnet.gov/expapi/verbs/initialized"] = (
        "http://adlnet.gov/expapi/verbs/initialized"
    )
    sv: Literal["påbörjade"] = "påbörjade"
    en: Literal["initialized"] = "initialized"
    definition_sv = "Påbörjade ett arbetspass i en kursdel."
    definition_en = "Began a session with a course part."


class ExperiencedVerb(Verb):
    """The learner opened a task's resource."""

    id: Literal["http://adlnet.gov/expapi/verbs/experienced"] = (
        "http://adlnet.gov/expapi/verbs/experienced"
    )
    sv: Literal["tog del av"] = "tog del av"
    en: Literal["experienced"] = "experienced"
    definition_sv = "Öppnade en uppgifts resurs (föreskrift, handbok, film, ...)."
    definition_en = "Opened the resource of a task (regulation, handbook, film, ...)."


class CompletedVerb(Verb):
    """The learner marked a task done, or finished a whole course."""

    id: Literal["http://adlnet.gov/expapi/verbs/completed"] = (
        "http://adlnet.gov/expapi/verbs/completed"
    )
    sv: Literal["slutförde"] = "slutförde"
    en: Literal["completed"] = "completed"
    definition_sv = "Markerade en uppgift som klar, eller slutförde alla delar av en kurs."
    definition_en = "Marked a task done, or finished every part of a course."


class ProgressedVerb(Verb):
    """The learner's progress (0–100 %) in a checklist, course part or course changed."""

    id: Literal["http://adlnet.gov/expapi/verbs/progressed"] = (
        "http://adlnet.gov/expapi/verbs/progressed"
    )
    sv: Literal["gjorde framsteg i"] = "gjorde framsteg i"
    en: Literal["progressed"] = "progressed"
    definition_sv = "Framstegen i en checklista, kursdel eller kurs ändrades."
    definition_en = "Progress in a checklist, course part or course changed."


class AttendedVerb(Verb):
    """A trainer recorded the learner as present at a course day."""

    id: Literal["http://adlnet.gov/expapi/verbs/attended"] = (
        "http://adlnet.gov/expapi/verbs/attended"
    )
    sv: Literal["deltog i"] = "deltog i"
    en: Literal["attended"] = "attended"
    definition_sv = "Var närvarande vid en kursdag under ett kurstillfälle."
    definition_en = "Was present at a course day of a course occasion."


class RegisteredVerb(Verb):
    """The learner was registered for a course occasion."""

    id: Literal["http://adlnet.gov/expapi/verbs/registered"] = (
        "http://adlnet.gov/expapi/verbs/registered"
    )
    sv: Literal["anmälde sig till"] = "anmälde sig till"
    en: Literal["registered"] = "registered"
    definition_sv = "Anmäldes till ett kurstillfälle."
    definition_en = "Was registered for a course occasion."


class UnregisteredVerb(Verb):
    """The learner's registration for a course occasion was withdrawn."""

    id: Literal["http://id.tincanapi.com/verb/unregistered"] = (
        "http://id.tincanapi.com/verb/unregistered"
    )
    sv: Literal["avanmälde sig från"] = "avanmälde sig från"
    en: Literal["unregistered"] = "unregistered"
    definition_sv = "En anmälan till ett kurstillfälle togs tillbaka."
    definition_en = "A registration for a course occasion was withdrawn."


class PassedVerb(Verb):
    """The learner reached a knowledge goal."""

    id: Literal["http://adlnet.gov/expapi/verbs/passed"] = "http://adlnet.gov/expapi/verbs/passed"
    sv: Literal["uppnådde"] = "uppnådde"
    en: Literal["passed"] = "passed"
    definition_sv = "Uppnådde ett kunskapsmål i en kurs."
    definition_en = "Reached a knowledge goal of a course."


class TerminatedVerb(Verb):
    """Reserved: the learner ended an attempt (not sent yet)."""

    id: Literal["http://adlnet.gov/expapi/verbs/terminated"] = (
        "http://adlnet.gov/expapi/verbs/terminated"
    )
    sv: Literal["avslutade"] = "avslutade"
    en: Literal["terminated"] = "terminated"
    definition_sv = "Avslutade ett arbetspass i en kursdel."
    definition_en = "Ended a session with a course part."


class VoidedVerb(Verb):
    """Takes back an earlier statement (a task marked undone voids its completion, and the
    goals' *passed* and the course *completed* the undo made unfinished)."""

    id: Literal["http://adlnet.gov/expapi/verbs/voided"] = "http://adlnet.gov/expapi/verbs/voided"
    sv: Literal["makulerade"] = "makulerade"
    en: Literal["voided"] = "voided"
    definition_sv = "Tar tillbaka ett tidigare statement (objekt av typen StatementRef)."
    definition_en = "Takes back an earlier statement (StatementRef object)."


class AnsweredVerb(Verb):
    """The learner answered a question of a course evaluation (one statement per question)."""

    id: Literal["http://adlnet.gov/expapi/verbs/answered"] = (
        "http://adlnet.gov/expapi/verbs/answered"
    )
    sv: Literal["besvarade"] = "besvarade"
    en: Literal["answered"] = "answered"
    definition_sv = "Besvarade en fråga i en kursutvärdering."
    definition_en = "Answered a question of a course evaluation."


class JoinedVerb(Verb):
    """The learner was put on the waiting list of a course occasion (Activity Streams)."""

    id: Literal["http://activitystrea.ms/schema/1.0/join"] = (
        "http://activitystrea.ms/schema/1.0/join"
    )
    sv: Literal["ställdes i kö på"] = "ställdes i kö på"
    en: Literal["joined"] = "joined"
    definition_sv = "Ställdes på väntelistan till ett fullbokat kurstillfälle."
    definition_en = "Was put on the waiting list of a full course occasion."


class LeftVerb(Verb):
    """The learner left the waiting list of a course occasion (Activity Streams)."""

    id: Literal["http://activitystrea.ms/schema/1.0/leave"] = (
        "http://activitystrea.ms/schema/1.0/leave"
    )
    sv: Literal["lämnade"] = "lämnade"
    en: Literal["left"] = "left"
    definition_sv = (
        "Lämnade väntelistan till ett kurstillfälle utan att få en plats därifrån "
        "(tillägget reason säger varför)."
    )
    definition_en = (
        "Left the waiting list of a course occasion without getting a seat from it "
        "(the reason extension says why)."
    )


class RescheduledVerb(MintedVerb):
    """A course day of the learner's occasion moved (no registry verb says it)."""

    path: Literal["verbs/rescheduled"] = "verbs/rescheduled"
    sv: Literal["fick ny tid för"] = "fick ny tid för"
    en: Literal["was rescheduled for"] = "was rescheduled for"
    definition_sv = (
        "En kursdag i kurstillfället som deltagaren är anmäld till flyttades (nytt datum "
        "eller ny tid); tillägget schedule-change har tiden före och efter."
    )
    definition_en = (
        "A course day of the occasion the learner is registered for moved (new date or "
        "time); the schedule-change extension has the time before and after."
    )


LAUNCHED = LaunchedVerb()
INITIALIZED = InitializedVerb()
EXPERIENCED = ExperiencedVerb()
COMPLETED = CompletedVerb()
PROGRESSED = ProgressedVerb()
ATTENDED = AttendedVerb()
REGISTERED = RegisteredVerb()
UNREGISTERED = UnregisteredVerb()
PASSED = PassedVerb()
TERMINATED = TerminatedVerb()
VOIDED = VoidedVerb()
ANSWERED = AnsweredVerb()
JOINED = JoinedVerb()
LEFT = LeftVerb()
RESCHEDULED = RescheduledVerb()

ALL_VERBS: tuple[AnyVerb, ...] = (
    LAUNCHED,
    INITIALIZED,
    EXPERIENCED,
    COMPLETED,
    PROGRESSED,
    ATTENDED,
    REGISTERED,
    UNREGISTERED,
    PASSED,
    TERMINATED,
    VOIDED,
    ANSWERED,
    JOINED,
    LEFT,
    RESCHEDULED,
)
"""Every verb of the vocabulary, in the order the profile lists them."""
