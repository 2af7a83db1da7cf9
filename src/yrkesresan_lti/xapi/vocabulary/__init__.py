"""The Yrkesresan xAPI vocabulary: verbs, activity types and extensions, values pinned.

Builders and the profile document both read these objects, so the IRIs in statements and
in the published profile cannot drift apart.
"""

from yrkesresan_lti.xapi.vocabulary.activity_types import (
    ALL_ACTIVITY_TYPES,
    CHECKLIST,
    CHECKLIST_ITEM,
    COURSE,
    JOURNEY,
    MEETING,
    MODULE,
    OBJECTIVE,
    OCCASION,
    PHASE,
    PROFILE,
    QUESTION,
    STAGE,
    WAITING_LIST,
)
from yrkesresan_lti.xapi.vocabulary.concept import Concept, MintedConcept, RegistryConcept
from yrkesresan_lti.xapi.vocabulary.extensions import ALL_EXTENSIONS as CORE_EXTENSIONS
from yrkesresan_lti.xapi.vocabulary.extensions import (
    COUNTY_CODE,
    LTI_DEPLOYMENT,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    PROGRESS,
    SEATS,
    Extension,
)
from yrkesresan_lti.xapi.vocabulary.occasion_extensions import (
    FROM_WAITING_LIST,
    OCCASION_EXTENSIONS,
    REASON,
    REASONS,
    SCHEDULE_CHANGE,
    WAITING_LIST_POSITION,
)
from yrkesresan_lti.xapi.vocabulary.verbs import (
    ALL_VERBS,
    ANSWERED,
    ATTENDED,
    COMPLETED,
    EXPERIENCED,
    INITIALIZED,
    JOINED,
    LAUNCHED,
    LEFT,
    PASSED,
    PROGRESSED,
    REGISTERED,
    RESCHEDULED,
    TERMINATED,
    UNREGISTERED,
    VOIDED,
    AnyVerb,
    MintedVerb,
    Verb,
)

ALL_EXTENSIONS: tuple[Extension, ...] = (*CORE_EXTENSIONS, *OCCASION_EXTENSIONS)
"""Every extension of the vocabulary, in the order the profile lists them."""

__all__ = [
    "ALL_ACTIVITY_TYPES",
    "ALL_EXTENSIONS",
    "ALL_VERBS",
    "ANSWERED",
    "ATTENDED",
    "CHECKLIST",
    "CHECKLIST_ITEM",
    "COMPLETED",
    "COUNTY_CODE",
    "COURSE",
    "EXPERIENCED",
    "FROM_WAITING_LIST",
    "INITIALIZED",
    "JOINED",
    "JOURNEY",
    "LAUNCHED",
    "LEFT",
    "LTI_DEPLOYMENT",
    "MEETING",
    "MODULE",
    "MUNICIPALITY",
    "MUNICIPALITY_CODE",
    "MUNICIPALITY_NAME",
    "OBJECTIVE",
    "OCCASION",
    "PASSED",
    "PHASE",
    "PROFILE",
    "PROGRESS",
    "PROGRESSED",
    "QUESTION",
    "REASON",
    "REASONS",
    "REGISTERED",
    "RESCHEDULED",
    "SCHEDULE_CHANGE",
    "SEATS",
    "STAGE",
    "TERMINATED",
    "UNREGISTERED",
    "VOIDED",
    "WAITING_LIST",
    "WAITING_LIST_POSITION",
    "AnyVerb",
    "Concept",
    "Extension",
    "MintedConcept",
    "MintedVerb",
    "RegistryConcept",
    "Verb",
    "profile_iri",
]


def profile_iri(base: str) -> str:
    """Our profile's IRI, the ``category`` activity of every statement."""
    return f"{base}profile"
