"""One statement template per domain event: the single source for builders and the profile.

The :class:`~yrkesresan_lti.xapi.factory.StatementFactory` takes each event's verb from here
and the profile document (:mod:`yrkesresan_lti.xapi.profile`) turns the same specs into
xAPI Profile statement templates, so the published profile and the statements cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from yrkesresan_lti.xapi.vocabulary import (
    ANSWERED,
    ATTENDED,
    CHECKLIST,
    CHECKLIST_ITEM,
    COMPLETED,
    COURSE,
    EXPERIENCED,
    FROM_WAITING_LIST,
    JOINED,
    JOURNEY,
    LAUNCHED,
    LEFT,
    MEETING,
    MODULE,
    OBJECTIVE,
    OCCASION,
    PASSED,
    PHASE,
    PROGRESS,
    PROGRESSED,
    QUESTION,
    REASON,
    REGISTERED,
    RESCHEDULED,
    SCHEDULE_CHANGE,
    STAGE,
    UNREGISTERED,
    VOIDED,
    WAITING_LIST,
    WAITING_LIST_POSITION,
    AnyVerb,
    Concept,
    Extension,
)

STEP_TYPES: tuple[Concept, ...] = (PHASE, STAGE)
TOOL_ACCOUNT_NAME = "yrkesresan-lti"
"""``account.name`` of the tool when it is the actor (voiding on erasure)."""


@dataclass(frozen=True)
class EventTemplate:
    """What every statement of one event looks like.

    Tuples of more than one type are alternatives (the profile says ``any``); ``grouping``
    types are all required; ``grouping_step`` adds "a phase or a stage" to the grouping.
    """

    name: str
    """Template slug and the name of the StatementFactory method."""
    verb: AnyVerb
    sv: str
    en: str
    object_types: tuple[Concept, ...] = ()
    statement_ref: bool = False
    parent_types: tuple[Concept, ...] = ()
    grouping_types: tuple[Concept, ...] = ()
    grouping_step: bool = False
    other_types: tuple[Concept, ...] = ()
    result_extensions: tuple[Extension, ...] = ()
    result_true: tuple[str, ...] = ()
    """Result properties that are always ``true`` (``completion``, ``success``)."""
    result_response: bool = False
    occasion_registration: bool = False
    """The registration is per learner × course × occasion (else learner × course)."""
    reserved: bool = False
    """Published for a coming feature; the tool does not send statements of it yet."""
    tool_actor: bool = False
    """The actor is the tool itself (account ``yrkesresan-lti``), not a learner."""
    context_extensions: tuple[Extension, ...] = ()
    """Context extensions every statement of the event has."""
    extension_values: tuple[tuple[Extension, tuple[str, ...]], ...] = ()
    """Context extensions whose value is one of these (the profile's ``any``)."""
    excluded_extensions: tuple[Extension, ...] = ()
    """Context extensions a statement of the event never has (they mark another event)."""


EVENT_TEMPLATES: tuple[EventTemplate, ...] = (
    EventTemplate(
        "task_opened",
        EXPERIENCED,
        "Uppgift öppnad",
        "Task opened",
        object_types=(CHECKLIST_ITEM,),
        parent_types=(CHECKLIST,),
        grouping_types=(COURSE, JOURNEY),
        grouping_step=True,
        other_types=(OBJECTIVE,),
    ),
    EventTemplate(
        "task_completed",
        COMPLETED,
        "Uppgift klar",
        "Task completed",
        object_types=(CHECKLIST_ITEM,),
        parent_types=(CHECKLIST,),
        grouping_types=(COURSE, JOURNEY),
        grouping_step=True,
        other_types=(OBJECTIVE,),
        result_true=("completion",),
    ),
    EventTemplate(
        "task_undone",
        VOIDED,
        "Uppgift ångrad (makulerar slutförandet)",
        "Task undone (voids the completion)",
        statement_ref=True,
        other_types=(CHECKLIST_ITEM,),
    ),
    EventTemplate(
        "progress_changed",
        PROGRESSED,
        "Framsteg ändrade",
        "Progress changed",
        object_types=(CHECKLIST, MODULE, COURSE),
        parent_types=(COURSE, PHASE, STAGE),
        grouping_types=(JOURNEY,),
        result_extensions=(PROGRESS,),
    ),
    EventTemplate(
        "part_launched",
        LAUNCHED,
        "Kursdel startad från lärplattformen",
        "Course part launched from the learning platform",
        object_types=(CHECKLIST, MODULE),
        parent_types=(COURSE,),
        grouping_types=(JOURNEY,),
        grouping_step=True,
    ),
    EventTemplate(
        "course_launched",
        LAUNCHED,
        "Kurs startad från lärplattformen",
        "Course launched from the learning platform",
        object_types=(COURSE,),
        parent_types=STEP_TYPES,
        grouping_types=(JOURNEY,),
    ),
    EventTemplate(
        "course_day_attended",
        ATTENDED,
        "Närvaro på kursdag",
        "Course day attended",
        object_types=(MEETING,),
        parent_types=(OCCASION,),
        grouping_types=(COURSE, JOURNEY),
        grouping_step=True,
        occasion_registration=True,
    ),
    EventTemplate(
        "attendance_withdrawn",
        VOIDED,
        "Närvaro på kursdag återkallad (makulerar närvaron)",
        "Course day attendance withdrawn (voids the attendance)",
        statement_ref=True,
        other_types=(MEETING,),
        occasion_registration=True,
    ),
    EventTemplate(
        "registered",
        REGISTERED,
        "Anmäld till kurstillfälle",
        "Registered for a course occasion",
        object_types=(COURSE,),
        parent_types=STEP_TYPES,
        grouping_types=(JOURNEY,),
        other_types=(OCCASION,),
        occasion_registration=True,
        excluded_extensions=(FROM_WAITING_LIST,),
    ),
    EventTemplate(
        "unregistered",
        UNREGISTERED,
        "Avanmäld från kurstillfälle",
        "Unregistered from a course occasion",
        object_types=(COURSE,),
        parent_types=STEP_TYPES,
        grouping_types=(JOURNEY,),
        other_types=(OCCASION,),
        occasion_registration=True,
        excluded_extensions=(REASON,),
    ),
    EventTemplate(
        "registered_from_waiting_list",
        REGISTERED,
        "Anmäld till kurstillfälle från väntelistan",
        "Registered for a course occasion from its waiting list",
        object_types=(COURSE,),
        parent_types=STEP_TYPES,
        grouping_types=(JOURNEY,),
        other_types=(OCCASION,),
        occasion_registration=True,
        context_extensions=(FROM_WAITING_LIST,),
    ),
    EventTemplate(
        "occasion_cancelled",
        UNREGISTERED,
        "Avanmäld för att kurstillfället ställdes in",
        "Unregistered because the course occasion was cancelled",
        object_types=(COURSE,),
        parent_types=STEP_TYPES,
        grouping_types=(JOURNEY,),
        other_types=(OCCASION,),
        occasion_registration=True,
        extension_values=((REASON, ("occasion-cancelled",)),),
    ),
    EventTemplate(
        "waiting_list_joined",
        JOINED,
        "Ställd på väntelistan till kurstillfälle",
        "Put on the waiting list of a course occasion",
        object_types=(WAITING_LIST,),
        parent_types=(OCCASION,),
        grouping_types=(COURSE, JOURNEY),
        grouping_step=True,
        occasion_registration=True,
        context_extensions=(WAITING_LIST_POSITION,),
    ),
    EventTemplate(
        "waiting_list_left",
        LEFT,
        "Lämnade väntelistan till kurstillfälle",
        "Left the waiting list of a course occasion",
        object_types=(WAITING_LIST,),
        parent_types=(OCCASION,),
        grouping_types=(COURSE, JOURNEY),
        grouping_step=True,
        occasion_registration=True,
        context_extensions=(REASON,),
    ),
    EventTemplate(
        "course_day_moved",
        RESCHEDULED,
        "Kursdag flyttad",
        "Course day moved",
        object_types=(MEETING,),
        parent_types=(OCCASION,),
        grouping_types=(COURSE, JOURNEY),
        grouping_step=True,
        occasion_registration=True,
        context_extensions=(SCHEDULE_CHANGE,),
    ),
    EventTemplate(
        "goal_reached",
        PASSED,
        "Kunskapsmål uppnått",
        "Knowledge goal reached",
        object_types=(OBJECTIVE,),
        parent_types=(COURSE,),
        grouping_types=(JOURNEY,),
        grouping_step=True,
        result_true=("success",),
    ),
    EventTemplate(
        "course_completed",
        COMPLETED,
        "Kurs slutförd",
        "Course completed",
        object_types=(COURSE,),
        parent_types=STEP_TYPES,
        grouping_types=(JOURNEY,),
        result_true=("completion",),
    ),
    EventTemplate(
        "goal_revoked",
        VOIDED,
        "Kunskapsmål inte längre uppnått (makulerar uppnått)",
        "Knowledge goal no longer reached (voids the passed statement)",
        statement_ref=True,
        other_types=(OBJECTIVE,),
    ),
    EventTemplate(
        "course_completion_revoked",
        VOIDED,
        "Kurs inte längre slutförd (makulerar slutförandet)",
        "Course no longer completed (voids the course completion)",
        statement_ref=True,
        other_types=(COURSE,),
    ),
    EventTemplate(
        "statement_erased",
        VOIDED,
        "Statement makulerat när en deltagares uppgifter raderas",
        "Statement voided when a learner's data is erased",
        statement_ref=True,
        tool_actor=True,
    ),
    EventTemplate(
        "evaluation_answered",
        ANSWERED,
        "Kursutvärdering besvarad",
        "Course evaluation answered",
        object_types=(QUESTION,),
        parent_types=(COURSE,),
        grouping_types=(JOURNEY,),
        grouping_step=True,
        result_response=True,
    ),
)

TEMPLATES_BY_NAME: dict[str, EventTemplate] = {t.name: t for t in EVENT_TEMPLATES}
