"""The xAPI Profile: valid JSON-LD (expanded offline); every built statement fits its template."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from pyld import jsonld

from yrkesresan_lti.exceptions import XapiError
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.profile import (
    PROFILE_CONTEXT_URL,
    build_profile,
    matching_templates,
    offline_document_loader,
    template_iri,
    template_problems,
)
from yrkesresan_lti.xapi.profile.jsonpath import evaluate
from yrkesresan_lti.xapi.templates import EVENT_TEMPLATES, TEMPLATES_BY_NAME
from yrkesresan_lti.xapi.vocabulary import ALL_ACTIVITY_TYPES, ALL_EXTENSIONS, ALL_VERBS

from .events import BASE, EVENT_CASES, TASK, EventCase

PROFILE_NS = "https://w3id.org/xapi/profiles/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OPTIONS = {"documentLoader": offline_document_loader}
CASES = [pytest.param(case, id=case.id) for case in EVENT_CASES]


@pytest.fixture(scope="module")
def profile() -> dict[str, Any]:
    return build_profile(BASE)


@pytest.fixture(scope="module")
def expanded(profile: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = jsonld.expand(copy.deepcopy(profile), OPTIONS)
    return result


def _by_id(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in profile["concepts"]}


def test_profile_expands_offline_with_every_concept_and_template(
    expanded: list[dict[str, Any]],
) -> None:
    (node,) = expanded
    assert node["@id"] == f"{BASE}profile"
    assert node["@type"] == [f"{PROFILE_NS}Profile"]
    assert len(node[f"{PROFILE_NS}templates"]) == len(EVENT_TEMPLATES)
    concepts = node[f"{PROFILE_NS}concepts"]
    assert len(concepts) == len(ALL_VERBS) + len(ALL_ACTIVITY_TYPES) + len(ALL_EXTENSIONS)
    labels = {v["@language"]: v["@value"] for v in node[f"{SKOS}prefLabel"]}
    assert labels == {"sv": "Yrkesresans xAPI-profil", "en": "Yrkesresan xAPI Profile"}


def test_no_property_is_lost_in_expansion(
    profile: dict[str, Any], expanded: list[dict[str, Any]]
) -> None:
    # JSON-LD silently drops terms its context does not define: compacting the expanded
    # form again must give back exactly the document we publish.
    compacted = jsonld.compact(expanded, PROFILE_CONTEXT_URL, OPTIONS)
    assert compacted == profile


def test_the_offline_loader_refuses_every_other_url() -> None:
    with pytest.raises(XapiError, match="offline"):
        offline_document_loader("https://www.w3.org/ns/activitystreams")
    with pytest.raises(jsonld.JsonLdError) as caught:
        jsonld.expand({"@context": "https://example.org/context", "a": 1}, OPTIONS)
    assert isinstance(caught.value.__cause__, XapiError)


def test_profile_has_the_required_profile_properties(profile: dict[str, Any]) -> None:
    assert profile["@context"] == "https://w3id.org/xapi/profiles/context"
    assert profile["type"] == "Profile"
    assert profile["conformsTo"] == "https://w3id.org/xapi/profiles#1.0"
    assert profile["author"]["type"] == "Organization"
    version, v14, v13, earlier, older, first = profile["versions"]  # newest first
    assert version["id"] == f"{BASE}profile/v1.5"
    assert version["wasRevisionOf"] == [v14["id"]] == [f"{BASE}profile/v1.4"]
    assert v14["wasRevisionOf"] == [v13["id"]] == [f"{BASE}profile/v1.3"]
    assert v13["wasRevisionOf"] == [earlier["id"]] == [f"{BASE}profile/v1.2"]
    assert earlier["wasRevisionOf"] == [older["id"]] == [f"{BASE}profile/v1.1"]
    assert older["wasRevisionOf"] == [first["id"]] == [f"{BASE}profile/v1.0"]
    assert "wasRevisionOf" not in first
    times = [v["generatedAtTime"] for v in (version, v14, v13, earlier, older, first)]
    assert times == sorted(times, reverse=True)
    assert len(set(times)) == 6
    assert all(t.endswith("Z") for t in times)
    for item in (*profile["concepts"], *profile["templates"]):
        assert item["inScheme"] == version["id"]
        assert set(item["prefLabel"]) == {"sv", "en"}
        assert set(item["definition"]) == {"sv", "en"}


def test_profile_is_reproducible_and_follows_the_base() -> None:
    assert json.dumps(build_profile(BASE)) == json.dumps(build_profile(BASE))
    other = json.dumps(build_profile("https://kommun.example/id/"))
    assert BASE not in other
    assert "https://kommun.example/id/activity-types/journey" in other


def test_templates_only_use_concepts_the_profile_defines(profile: dict[str, Any]) -> None:
    concepts = _by_id(profile)
    for template in profile["templates"]:
        assert concepts[template["verb"]]["type"] == "Verb"
        types = [template.get("objectActivityType")]
        for key in ("Parent", "Grouping", "Category", "Other"):
            types.extend(template.get(f"context{key}ActivityType", []))
        for kind in filter(None, types):
            assert concepts[kind]["type"] == "ActivityType"
        for rule in template["rules"]:
            if "extensions['" in rule["location"]:
                iri = rule["location"].split("['")[1].rstrip("']")
                kind = concepts[iri]["type"]
                assert kind in ("ContextExtension", "ResultExtension", "ActivityExtension")
                if kind == "ActivityExtension":  # 1.5: an occasion's seats
                    assert ".definition.extensions['" in rule["location"]


def test_template_ids_are_unique_and_named_after_the_events(profile: dict[str, Any]) -> None:
    ids = [t["id"] for t in profile["templates"]]
    assert ids == [template_iri(BASE, t) for t in EVENT_TEMPLATES]
    assert len(set(ids)) == len(ids)
    assert f"{BASE}profile/templates/task-completed" in ids


@pytest.mark.parametrize("case", CASES)
def test_built_statement_matches_its_own_template_and_no_other(
    case: EventCase, factory: StatementFactory, learner: Learner, profile: dict[str, Any]
) -> None:
    statement = case.build(factory, learner)
    own = template_iri(BASE, TEMPLATES_BY_NAME[case.method])
    template = next(t for t in profile["templates"] if t["id"] == own)
    assert template_problems(template, statement) == []
    assert matching_templates(profile, statement) == [own]


@pytest.mark.parametrize("case", CASES)
def test_extension_values_follow_their_published_schemas(
    case: EventCase, factory: StatementFactory, learner: Learner, profile: dict[str, Any]
) -> None:
    statement = case.build(factory, learner)
    concepts = _by_id(profile)
    found = {
        **statement["context"].get("extensions", {}),
        **statement.get("result", {}).get("extensions", {}),
    }
    assert found
    for iri, value in found.items():
        jsonschema.validate(value, json.loads(concepts[iri]["inlineSchema"]))


def _mutate(statement: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(statement)
    *head, last = path.split(".")
    node = changed
    for key in head:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("verb.id", "http://adlnet.gov/expapi/verbs/passed", "verb is not"),
        ("object.definition.type", f"{BASE}activity-types/journey", "object type"),
        ("context.registration", None, "$.context.registration is required"),
        ("context.platform", None, "$.context.platform is required"),
        ("context.contextActivities.category", None, "category has no activity"),
        ("context.contextActivities.other", None, "other has no activity"),
        ("context.extensions", {}, "extensions['"),
        ("result.completion", False, "$.result.completion has values outside [True]"),
    ],
)
def test_matcher_reports_what_breaks_the_template(
    path: str,
    value: Any,
    problem: str,
    factory: StatementFactory,
    learner: Learner,
    profile: dict[str, Any],
) -> None:
    statement = _mutate(factory.task_completed(learner, TASK), path, value)
    template = next(t for t in profile["templates"] if t["id"].endswith("/task-completed"))
    problems = template_problems(template, statement)
    assert any(problem in p for p in problems), problems


def test_a_grouping_without_phase_or_stage_breaks_the_any_rule(
    factory: StatementFactory, learner: Learner, profile: dict[str, Any]
) -> None:
    statement = factory.task_opened(learner, TASK)
    grouping = statement["context"]["contextActivities"]["grouping"]
    statement["context"]["contextActivities"]["grouping"] = [grouping[0], grouping[-1]]
    assert matching_templates(profile, statement) == []


def test_a_single_context_activity_counts_like_a_list(
    factory: StatementFactory, learner: Learner, profile: dict[str, Any]
) -> None:
    statement = factory.task_opened(learner, TASK)
    activities = statement["context"]["contextActivities"]
    activities["parent"] = activities["parent"][0]
    assert matching_templates(profile, statement) == [f"{BASE}profile/templates/task-opened"]


@pytest.mark.parametrize(
    ("rule", "statement", "ok"),
    [
        ({"location": "$.a", "presence": "excluded"}, {"b": 1}, True),
        ({"location": "$.a", "presence": "excluded"}, {"a": 1}, False),
        ({"location": "$.a", "presence": "recommended", "any": [1]}, {}, True),
        ({"location": "$.a[*]", "any": [1, 2]}, {"a": [3, 2]}, True),
        ({"location": "$.a[*]", "any": [1]}, {"a": [3, 2]}, False),
        ({"location": "$.a[*]", "all": [1, 2]}, {"a": [1, 2, 1]}, True),
        ({"location": "$.a[*]", "all": [1, 2]}, {"a": [1, 3]}, False),
        ({"location": "$.a[*]", "none": [3]}, {"a": [1, 2]}, True),
        ({"location": "$.a[*]", "none": [3]}, {"a": [1, 3]}, False),
        ({"location": "$.a", "all": [True]}, {"a": 1}, False),
        ({"location": "$.a[*]", "selector": "$.id", "all": ["x"]}, {"a": [{"id": "x"}]}, True),
        ({"location": "$.a[*]", "selector": "$.id", "all": ["x"]}, {"a": [{"id": "y"}]}, False),
    ],
)
def test_rule_semantics(rule: dict[str, Any], statement: dict[str, Any], ok: bool) -> None:
    assert (template_problems({"rules": [rule]}, statement) == []) is ok


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("$.a.b", [1]),
        ("$['a']['b']", [1]),
        ('$["x.y"]', ["dotted"]),
        ("$.list[*].id", ["p", "q"]),
        ("$.list[1].id", ["q"]),
        ("$.list[5].id", []),
        ("$.missing.id", []),
        ("$.a.b | $.list[0].id", [1, "p"]),
        ("$.a.*", [1]),
        ("$['a', 'x.y']", [{"b": 1}, "dotted"]),
    ],
)
def test_jsonpath_subset(location: str, expected: list[Any]) -> None:
    document = {"a": {"b": 1}, "x.y": "dotted", "list": [{"id": "p"}, {"id": "q"}]}
    assert evaluate(location, document) == expected


@pytest.mark.parametrize("location", ["a.b", "$..a", "$.a[?(@.b)]"])
def test_jsonpath_outside_the_subset_is_a_typed_error(location: str) -> None:
    with pytest.raises(XapiError, match="JSONPath"):
        evaluate(location, {})


@pytest.mark.parametrize("kept", ["profile", "version"])
def test_a_template_needs_both_the_profile_and_its_version_in_category(
    kept: str, factory: StatementFactory, learner: Learner, profile: dict[str, Any]
) -> None:
    statement = factory.task_opened(learner, TASK)
    category = statement["context"]["contextActivities"]["category"]
    assert matching_templates(profile, statement) == [f"{BASE}profile/templates/task-opened"]
    wanted = f"{BASE}profile" if kept == "profile" else f"{BASE}profile/v1.2"
    statement["context"]["contextActivities"]["category"] = [
        a for a in category if a["id"] == wanted
    ]
    assert matching_templates(profile, statement) == []


def test_from_1_4_no_template_is_reserved_the_evaluation_is_sent(profile: dict[str, Any]) -> None:
    answered = next(t for t in profile["templates"] if t["id"].endswith("/evaluation-answered"))
    assert answered["verb"] == "http://adlnet.gov/expapi/verbs/answered"
    assert not any("not sent yet" in t["definition"]["en"] for t in profile["templates"])
