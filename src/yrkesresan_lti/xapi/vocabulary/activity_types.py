"""The activity types of our statements, one class per type, values pinned.

Registry types (ADL, TinCan) pin their ``id``; journey, phase, stage and occasion are ours,
minted under the catalog base as ``{base}activity-types/<name>``.
"""

from __future__ import annotations

from typing import Literal

from yrkesresan_lti.xapi.vocabulary.concept import Concept, MintedConcept, RegistryConcept


class CourseType(RegistryConcept):
    id: Literal["http://adlnet.gov/expapi/activities/course"] = (
        "http://adlnet.gov/expapi/activities/course"
    )
    sv: Literal["kurs"] = "kurs"
    en: Literal["course"] = "course"
    definition_sv = "En kurs i en yrkesresa, med kunskapsmål och tre delar."
    definition_en = "A course of a journey, with knowledge goals and three parts."


class ModuleType(RegistryConcept):
    """A course part that is not a checklist: the course days."""

    id: Literal["http://adlnet.gov/expapi/activities/module"] = (
        "http://adlnet.gov/expapi/activities/module"
    )
    sv: Literal["kursdel"] = "kursdel"
    en: Literal["course part"] = "course part"
    definition_sv = "Kursdelen Kursdagar: fysiska eller digitala träffar per kurstillfälle."
    definition_en = "The course-days part: physical or digital sessions per occasion."


class ChecklistType(RegistryConcept):
    """A course part that is a checklist of tasks: preparation and follow-up."""

    id: Literal["http://id.tincanapi.com/activitytype/checklist"] = (
        "http://id.tincanapi.com/activitytype/checklist"
    )
    sv: Literal["checklista"] = "checklista"
    en: Literal["checklist"] = "checklist"
    definition_sv = "Kursdelen Förberedelser eller Efterarbete: en checklista med uppgifter."
    definition_en = "The preparation or follow-up part of a course: a checklist of tasks."


class ChecklistItemType(RegistryConcept):
    """A task (uppgift) of a checklist."""

    id: Literal["http://id.tincanapi.com/activitytype/checklist-item"] = (
        "http://id.tincanapi.com/activitytype/checklist-item"
    )
    sv: Literal["uppgift"] = "uppgift"
    en: Literal["task"] = "task"
    definition_sv = "En uppgift i en checklista; moreInfo leder till resursen."
    definition_en = "A task of a checklist; moreInfo leads to its resource."


class MeetingType(RegistryConcept):
    """A course day of a course occasion."""

    id: Literal["http://adlnet.gov/expapi/activities/meeting"] = (
        "http://adlnet.gov/expapi/activities/meeting"
    )
    sv: Literal["kursdag"] = "kursdag"
    en: Literal["course day"] = "course day"
    definition_sv = "En kursdag under ett kurstillfälle."
    definition_en = "One course day of a course occasion."


class ObjectiveType(RegistryConcept):
    """A knowledge goal (kunskapsmål) of a course."""

    id: Literal["http://adlnet.gov/expapi/activities/objective"] = (
        "http://adlnet.gov/expapi/activities/objective"
    )
    sv: Literal["kunskapsmål"] = "kunskapsmål"
    en: Literal["knowledge goal"] = "knowledge goal"
    definition_sv = "Ett kunskapsmål i en kurs; uppgifter länkar till sina mål."
    definition_en = "A knowledge goal of a course; tasks link to their goals."


class QuestionType(RegistryConcept):
    """A question of a course evaluation."""

    id: Literal["http://adlnet.gov/expapi/activities/question"] = (
        "http://adlnet.gov/expapi/activities/question"
    )
    sv: Literal["utvärderingsfråga"] = "utvärderingsfråga"
    en: Literal["evaluation question"] = "evaluation question"
    definition_sv = "En fråga i utvärderingen av en kurs."
    definition_en = "A question of a course evaluation."


class ProfileType(RegistryConcept):
    """Marks the category activity that says which profile a statement follows."""

    id: Literal["http://adlnet.gov/expapi/activities/profile"] = (
        "http://adlnet.gov/expapi/activities/profile"
    )
    sv: Literal["profil"] = "profil"
    en: Literal["profile"] = "profile"
    definition_sv = "Den xAPI-profil som statementet följer (contextActivities.category)."
    definition_en = "The xAPI profile the statement follows (contextActivities.category)."


class JourneyType(MintedConcept):
    path: Literal["activity-types/journey"] = "activity-types/journey"
    sv: Literal["yrkesresa"] = "yrkesresa"
    en: Literal["journey"] = "journey"
    definition_sv = "En yrkesresa: ett verksamhetsområde, målgrupper och en ansvarig organisation."
    definition_en = "A journey: an area, target groups and a responsible organisation."


class PhaseType(MintedConcept):
    path: Literal["activity-types/phase"] = "activity-types/phase"
    sv: Literal["resväska"] = "resväska"
    en: Literal["phase"] = "phase"
    definition_sv = "En resväska (Ny, Van, Erfaren) efter antal år i yrket."
    definition_en = "A phase ('suitcase': new, experienced, senior) by years in the profession."


class StageType(MintedConcept):
    path: Literal["activity-types/stage"] = "activity-types/stage"
    sv: Literal["steg"] = "steg"
    en: Literal["stage"] = "stage"
    definition_sv = "Ett steg (Bas, Fördjupning, Spets) i en yrkesresa."
    definition_en = "A stage (basic, advanced, expert) of a journey."


class OccasionType(MintedConcept):
    path: Literal["activity-types/occasion"] = "activity-types/occasion"
    sv: Literal["kurstillfälle"] = "kurstillfälle"
    en: Literal["course occasion"] = "course occasion"
    definition_sv = "Ett kurstillfälle: datum, plats eller möteslänk, utbildare och platser."
    definition_en = "A course occasion: dates, place or meeting link, trainers and capacity."


class WaitingListType(MintedConcept):
    path: Literal["activity-types/waiting-list"] = "activity-types/waiting-list"
    sv: Literal["väntelista"] = "väntelista"
    en: Literal["waiting list"] = "waiting list"
    definition_sv = "Väntelistan till ett kurstillfälle (aktiviteten <kurstillfälle>/waiting-list)."
    definition_en = "The waiting list of a course occasion (activity <occasion>/waiting-list)."


COURSE = CourseType()
MODULE = ModuleType()
CHECKLIST = ChecklistType()
CHECKLIST_ITEM = ChecklistItemType()
MEETING = MeetingType()
OBJECTIVE = ObjectiveType()
QUESTION = QuestionType()
PROFILE = ProfileType()
JOURNEY = JourneyType()
PHASE = PhaseType()
STAGE = StageType()
OCCASION = OccasionType()
WAITING_LIST = WaitingListType()

ALL_ACTIVITY_TYPES: tuple[Concept, ...] = (
    COURSE,
    MODULE,
    CHECKLIST,
    CHECKLIST_ITEM,
    MEETING,
    OBJECTIVE,
    QUESTION,
    PROFILE,
    JOURNEY,
    PHASE,
    STAGE,
    OCCASION,
    WAITING_LIST,
)
"""Every activity type of the vocabulary, in the order the profile lists them."""
