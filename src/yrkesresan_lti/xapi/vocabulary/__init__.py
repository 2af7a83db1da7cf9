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
)
from yrkesresan_lti.xapi.vocabulary.concept import Concept, MintedConcept, RegistryConcept
from yrkesresan_lti.xapi.vocabulary.extensions import (
    ALL_EXTENSIONS,
    COUNTY_CODE,
    LTI_DEPLOYMENT,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    PROGRESS,
    SEATS,
    Extension,
)
from yrkesresan_lti.xapi.vocabulary.verbs import (
    ALL_VERBS,
    ANSWERED,
    ATTENDED,
    COMPLETED,
    EXPERIENCED,
    INITIALIZED,
    LAUNCHED,
    PASSED,
    PROGRESSED,
    REGISTERED,
    TERMINATED,
    UNREGISTERED,
    VOIDED,
    Verb,
)

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
    "INITIALIZED",
    "JOURNEY",
    "LAUNCHED",
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
    "REGISTERED",
    "SEATS",
    "STAGE",
    "TERMINATED",
    "UNREGISTERED",
    "VOIDED",
    "Concept",
    "Extension",
    "MintedConcept",
    "RegistryConcept",
    "Verb",
    "profile_iri",
]


def profile_iri(base: str) -> str:
    """Our profile's IRI, the ``category`` activity of every statement."""
    return f"{base}profile"
