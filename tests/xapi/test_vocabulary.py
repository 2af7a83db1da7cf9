"""The vocabulary: pinned values, registry IRIs from the design notes, our IRIs under the base."""

from __future__ import annotations

import pydantic
import pytest

from yrkesresan_lti.xapi.vocabulary import (
    ALL_ACTIVITY_TYPES,
    ALL_EXTENSIONS,
    ALL_VERBS,
    Concept,
    MintedConcept,
    RegistryConcept,
)
from yrkesresan_lti.xapi.vocabulary.verbs import CompletedVerb

BASE = "https://yrkesresan.se/id/"
ALL: tuple[Concept, ...] = (*ALL_VERBS, *ALL_ACTIVITY_TYPES, *ALL_EXTENSIONS)

# The contract of design.md §6 and the issue: these IRIs are what LRS consumers query.
EXPECTED_VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "progressed": "http://adlnet.gov/expapi/verbs/progressed",
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "unregistered": "http://id.tincanapi.com/verb/unregistered",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
}
EXPECTED_ACTIVITY_TYPES = {
    "http://adlnet.gov/expapi/activities/course",
    "http://adlnet.gov/expapi/activities/module",
    "http://id.tincanapi.com/activitytype/checklist",
    "http://id.tincanapi.com/activitytype/checklist-item",
    "http://adlnet.gov/expapi/activities/meeting",
    "http://adlnet.gov/expapi/activities/objective",
    "http://adlnet.gov/expapi/activities/question",
    "http://adlnet.gov/expapi/activities/profile",
    f"{BASE}activity-types/journey",
    f"{BASE}activity-types/phase",
    f"{BASE}activity-types/stage",
    f"{BASE}activity-types/occasion",
}


def test_verbs_are_the_registry_verbs_of_the_design() -> None:
    assert {verb.en: verb.iri(BASE) for verb in ALL_VERBS} == EXPECTED_VERBS


def test_activity_types_are_the_registry_types_and_ours_under_the_base() -> None:
    assert {kind.iri(BASE) for kind in ALL_ACTIVITY_TYPES} == EXPECTED_ACTIVITY_TYPES


def test_extensions_are_minted_under_the_base() -> None:
    assert {ext.iri(BASE) for ext in ALL_EXTENSIONS} == {
        f"{BASE}extensions/municipality",
        f"{BASE}extensions/lti-deployment",
        f"{BASE}extensions/progress",
        f"{BASE}extensions/municipality-code",
        f"{BASE}extensions/municipality-name",
        f"{BASE}extensions/county-code",
        f"{BASE}extensions/seats",
    }
    assert {ext.where for ext in ALL_EXTENSIONS} == {"context", "result", "activity"}


@pytest.mark.parametrize("concept", ALL, ids=lambda c: type(c).__name__)
def test_every_concept_has_swedish_and_english_labels_and_definitions(concept: Concept) -> None:
    assert concept.display == {"sv": concept.sv, "en-US": concept.en}
    assert concept.definition == {"sv": concept.definition_sv, "en": concept.definition_en}
    assert concept.definition_sv.endswith(".")
    assert concept.definition_en.endswith(".")


@pytest.mark.parametrize("concept", ALL, ids=lambda c: type(c).__name__)
def test_registry_iris_ignore_the_base_and_minted_iris_follow_it(concept: Concept) -> None:
    other = "https://kommun.example/id/"
    if isinstance(concept, RegistryConcept):
        assert concept.iri(BASE) == concept.iri(other)
    else:
        assert isinstance(concept, MintedConcept)
        assert concept.iri(other).startswith(other)


def test_iris_are_unique() -> None:
    iris = [concept.iri(BASE) for concept in ALL]
    assert len(iris) == len(set(iris))


@pytest.mark.parametrize(
    "override",
    [
        {"id": "http://adlnet.gov/expapi/verbs/passed"},
        {"sv": "klar"},
        {"en": "done"},
    ],
)
def test_pinned_values_cannot_be_changed(override: dict[str, str]) -> None:
    with pytest.raises(pydantic.ValidationError):
        CompletedVerb(**override)


def test_verb_as_xapi_is_the_statement_verb() -> None:
    assert CompletedVerb().as_xapi() == {
        "id": "http://adlnet.gov/expapi/verbs/completed",
        "display": {"sv": "slutförde", "en-US": "completed"},
    }
