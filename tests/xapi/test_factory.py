"""StatementFactory: every builder method yields a valid, pseudonymous, well-placed statement."""

from __future__ import annotations

import dataclasses
import inspect
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from tincan import Statement

from tests.conftest import FakeClock
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import InvalidStatement, UnknownCatalogNode
from yrkesresan_lti.municipalities import municipality
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.registration import registration_uuid
from yrkesresan_lti.xapi.serialization import statement_bytes
from yrkesresan_lti.xapi.templates import TEMPLATES_BY_NAME
from yrkesresan_lti.xapi.validation import validate_statement

from .conftest import NOW, SequentialIds
from .events import (
    BASE,
    COMPLETION_ID,
    COURSE,
    DAY,
    EVENT_CASES,
    OCCASION,
    TASK,
    TOOL_EVENTS,
    EventCase,
)

CASES = [pytest.param(case, id=case.id) for case in EVENT_CASES]
PROFILE = f"{BASE}profile"


def _ids(activities: list[dict[str, Any]] | None) -> tuple[str, ...]:
    return tuple(a["id"] for a in activities or [])


def test_every_builder_method_has_a_case_and_a_template() -> None:
    methods = {
        name
        for name, _ in inspect.getmembers(StatementFactory, inspect.isfunction)
        if not name.startswith("_")
    }
    assert methods == {case.method for case in EVENT_CASES} | TOOL_EVENTS
    assert methods == set(TEMPLATES_BY_NAME)


@pytest.mark.parametrize("case", CASES)
def test_statement_is_valid_and_has_no_lrs_properties(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    statement = case.build(factory, learner)
    assert validate_statement(statement) is statement
    assert not {"version", "stored", "authority"} & set(statement)


@pytest.mark.parametrize("case", CASES)
def test_statement_has_client_id_and_utc_millisecond_timestamp(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    statement = case.build(factory, learner)
    assert statement["id"] == "00000000-0000-4000-8000-000000000001"
    assert statement["timestamp"] == "2026-11-22T06:01:02.123Z"


@pytest.mark.parametrize("case", CASES)
def test_statement_verb_is_the_templates_verb_with_swedish_and_english_display(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    verb = case.build(factory, learner)["verb"]
    assert verb["id"] == TEMPLATES_BY_NAME[case.method].verb.iri(factory.catalog.iri_base)
    assert set(verb["display"]) == {"sv", "en-US"}


@pytest.mark.parametrize("case", CASES)
def test_statement_object_and_context_activities_follow_the_catalog(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    statement = case.build(factory, learner)
    activities = statement["context"]["contextActivities"]
    assert statement["object"]["id"] == case.object_id
    assert _ids(activities.get("parent")) == case.parents
    assert _ids(activities.get("grouping")) == case.grouping
    assert _ids(activities.get("other")) == case.other
    # the profile version the statement follows (xAPI Profiles, part two) and the profile
    assert _ids(activities["category"]) == (f"{PROFILE}/v1.5", PROFILE)
    assert {a["definition"]["type"] for a in activities["category"]} == {
        "http://adlnet.gov/expapi/activities/profile"
    }
    for key in ("parent", "grouping", "other"):
        for activity in activities.get(key, []):
            assert activity["definition"]["type"].startswith(("http://", "https://"))
            assert activity["definition"]["name"]["sv"]


@pytest.mark.parametrize("case", CASES)
def test_statement_context_carries_the_attached_municipality_as_scb_codes_and_name(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    attached = dataclasses.replace(learner, municipality=municipality("1489"))
    extensions = case.build(factory, attached)["context"]["extensions"]
    assert extensions[f"{BASE}extensions/municipality-code"] == "1489"
    assert extensions[f"{BASE}extensions/municipality-name"] == "Alingsås"
    assert extensions[f"{BASE}extensions/county-code"] == "14"
    assert extensions[f"{BASE}extensions/municipality"] == "Alingsås kommun"  # as before


@pytest.mark.parametrize("case", CASES)
def test_statement_context_names_platform_language_municipality_and_deployment(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    context = case.build(factory, learner)["context"]
    assert context["language"] == "sv"
    assert context["extensions"] == {
        f"{BASE}extensions/municipality": "Alingsås kommun",
        f"{BASE}extensions/lti-deployment": {
            "issuer": "https://moodle.alingsas.se",
            "clientId": "yrkesresan-client",
            "deploymentId": "deployment-1",
        },
        # profile 1.5: no municipality attached is explicit, never guessed from the name
        f"{BASE}extensions/municipality-code": None,
        f"{BASE}extensions/municipality-name": "okänd kommun",
        f"{BASE}extensions/county-code": None,
        **{f"{BASE}{path}": value for path, value in case.extensions.items()},
    }
    # xAPI allows "platform" only when the object is an activity (not a StatementRef).
    if TEMPLATES_BY_NAME[case.method].statement_ref:
        assert "platform" not in context
    else:
        assert context["platform"] == "Yrkesresan LTI"


@pytest.mark.parametrize("case", CASES)
def test_statement_registration_is_per_learner_course_and_occasion(
    case: EventCase, catalog: Catalog, pseudonymizer: Pseudonymizer, learner: Learner
) -> None:
    def registration(who: Learner, key: Pseudonymizer = pseudonymizer) -> str:
        factory = StatementFactory(catalog, key, id_factory=SequentialIds())
        value: str = case.build(factory, who)["context"]["registration"]
        return value

    first = registration(learner)
    assert uuid.UUID(first).version == 5
    assert registration(learner) == first
    assert registration(dataclasses.replace(learner, sub="someone-else")) != first
    assert registration(dataclasses.replace(learner, issuer="https://canvas.kommun.se")) != first


def test_registrations_did_not_change_when_the_actor_name_got_shorter(
    factory: StatementFactory, learner: Learner, pseudonymizer: Pseudonymizer
) -> None:
    """From profile 1.2 the actor name is 32 characters; a course's registration is still
    the one derived from the full HMAC, so a learner's statements before and after the
    change share it (and an LRS consumer can join the old and the new actor through it)."""
    statement = factory.task_completed(learner, TASK)
    full = pseudonymizer.digest(learner.issuer, learner.sub)
    assert statement["context"]["registration"] == registration_uuid(BASE, full, COURSE)
    assert statement["actor"]["account"]["name"] == full[:32]


def test_each_learners_registration_stays_their_own_when_built_again(
    factory: StatementFactory, pseudonymizer: Pseudonymizer, learner: Learner
) -> None:
    """The assembler keeps recent registrations: a learner's next statements, and another
    learner with the same ``sub`` on another platform, get the registration of their own
    pseudonym, course and occasion as the first time."""
    other = dataclasses.replace(learner, issuer="https://moodle.annan-kommun.se")
    for who in (learner, other, learner, other):
        full = pseudonymizer.digest(who.issuer, who.sub)
        for case in EVENT_CASES:
            if case.course != COURSE:
                continue
            registration = case.build(factory, who)["context"]["registration"]
            assert registration == registration_uuid(BASE, full, COURSE, case.occasion), case.id


def test_registration_is_shared_by_events_of_one_course_and_split_by_occasion(
    factory: StatementFactory, learner: Learner
) -> None:
    by_case = {
        case.id: case.build(factory, learner)["context"]["registration"] for case in EVENT_CASES
    }
    course_level = {by_case[c.id] for c in EVENT_CASES if c.course == COURSE and not c.occasion}
    occasion_level = {by_case[c.id] for c in EVENT_CASES if c.occasion == OCCASION}
    assert len(course_level) == 1
    assert len(occasion_level) == 1
    assert course_level != occasion_level


@pytest.mark.parametrize("case", CASES)
def test_actor_is_a_pseudonymous_account_by_default(
    case: EventCase, factory: StatementFactory, learner: Learner, pseudonymizer: Pseudonymizer
) -> None:
    statement = case.build(factory, learner)
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {
            "homePage": "https://moodle.alingsas.se",
            "name": pseudonymizer.pseudonym("https://moodle.alingsas.se", "learner-sub-4711"),
        },
    }
    raw = statement_bytes(statement).decode()
    for personal in ("learner-sub-4711", "Kim Svensson", "kim.svensson@alingsas.se"):
        assert personal not in raw


def test_names_are_sent_only_when_the_platform_allows_it(
    factory: StatementFactory, learner: Learner, pseudonymizer: Pseudonymizer
) -> None:
    named = dataclasses.replace(learner, send_names=True)
    assert factory.task_opened(named, TASK)["actor"] == {
        "objectType": "Agent",
        "mbox": "mailto:kim.svensson@alingsas.se",
        "name": "Kim Svensson",
    }
    no_mail = dataclasses.replace(named, email=None)
    actor = factory.task_opened(no_mail, TASK)["actor"]
    assert actor["name"] == "Kim Svensson"
    assert actor["account"]["name"] == pseudonymizer.pseudonym(learner.issuer, learner.sub)
    assert "mbox" not in actor


def test_task_object_links_to_its_resource(factory: StatementFactory, learner: Learner) -> None:
    definition = factory.task_opened(learner, TASK)["object"]["definition"]
    assert definition == {
        "name": {
            "sv": "Läs handboken om samtal med barn",
            "en": "Read the handbook on talking with children",
        },
        "type": "http://id.tincanapi.com/activitytype/checklist-item",
        "moreInfo": "https://kunskapsguiden.se/samtal-med-barn",
    }


def test_undoing_a_task_voids_the_completion_statement(
    factory: StatementFactory, learner: Learner
) -> None:
    completion = factory.task_completed(learner, TASK)
    voiding = factory.task_undone(learner, TASK, completion["id"])
    assert voiding["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert voiding["object"] == {"objectType": "StatementRef", "id": completion["id"]}
    assert voiding["context"]["registration"] == completion["context"]["registration"]


def test_withdrawing_attendance_voids_the_attended_statement_in_its_registration(
    factory: StatementFactory, learner: Learner
) -> None:
    attended = factory.course_day_attended(learner, DAY, instructor=learner)
    voiding = factory.attendance_withdrawn(learner, DAY, attended["id"])
    assert voiding["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert voiding["object"] == {"objectType": "StatementRef", "id": attended["id"]}
    assert voiding["context"]["registration"] == attended["context"]["registration"]
    assert [a["id"] for a in voiding["context"]["contextActivities"]["other"]] == [DAY]
    with pytest.raises(InvalidStatement):
        factory.attendance_withdrawn(learner, DAY, "not-a-uuid")
    with pytest.raises(UnknownCatalogNode):
        factory.attendance_withdrawn(learner, TASK, attended["id"])


def test_undoing_with_a_malformed_statement_id_is_refused(
    factory: StatementFactory, learner: Learner
) -> None:
    with pytest.raises(InvalidStatement) as caught:
        factory.task_undone(learner, TASK, "not-a-uuid")
    assert caught.value.field == "object.id"


@pytest.mark.parametrize(
    ("result_of", "expected"),
    [
        ("task_completed", {"completion": True}),
        ("goal_reached", {"success": True}),
        ("course_completed", {"completion": True}),
        ("progress_changed-checklist", {"extensions": {f"{BASE}extensions/progress": 50}}),
        (
            "evaluation_answered",
            {"response": "4", "score": {"raw": 4.0, "min": 1.0, "max": 5.0, "scaled": 0.75}},
        ),
    ],
)
def test_result_says_what_happened(
    result_of: str, expected: dict[str, Any], factory: StatementFactory, learner: Learner
) -> None:
    case = next(c for c in EVENT_CASES if c.id == result_of)
    assert case.build(factory, learner)["result"] == expected


@pytest.mark.parametrize("progress", [-1, 101, 50.5, True])
def test_progress_outside_whole_percent_is_refused(
    progress: Any, factory: StatementFactory, learner: Learner
) -> None:
    with pytest.raises(InvalidStatement) as caught:
        factory.progress_changed(learner, COURSE, progress)
    assert caught.value.field == "result.extensions"


@pytest.mark.parametrize(
    ("method", "iri"),
    [
        ("task_opened", COURSE),
        ("course_completed", TASK),
        ("registered", COURSE),
        ("part_launched", f"{BASE}journeys/okand"),
    ],
)
def test_an_iri_of_another_kind_or_unknown_is_a_typed_error(
    method: str, iri: str, factory: StatementFactory, learner: Learner
) -> None:
    with pytest.raises(UnknownCatalogNode, match=r"'https://test\.yrkesresan\.se/id/journeys/"):
        getattr(factory, method)(learner, iri)


def test_timestamp_is_converted_to_utc(
    catalog: Catalog, pseudonymizer: Pseudonymizer, learner: Learner
) -> None:
    stockholm = NOW.astimezone(timezone(timedelta(hours=1)))
    factory = StatementFactory(catalog, pseudonymizer, clock=FakeClock(stockholm))
    assert factory.task_opened(learner, TASK)["timestamp"] == "2026-11-22T06:01:02.123Z"


def test_a_naive_clock_is_refused(
    catalog: Catalog, pseudonymizer: Pseudonymizer, learner: Learner
) -> None:
    factory = StatementFactory(catalog, pseudonymizer, clock=FakeClock(datetime(2026, 11, 22)))
    with pytest.raises(InvalidStatement) as caught:
        factory.task_opened(learner, TASK)
    assert caught.value.field == "timestamp"


def test_default_ids_are_fresh_random_uuids(
    catalog: Catalog, pseudonymizer: Pseudonymizer, learner: Learner
) -> None:
    factory = StatementFactory(catalog, pseudonymizer)
    first, second = (factory.task_opened(learner, TASK)["id"] for _ in range(2))
    assert first != second
    assert uuid.UUID(first).version == 4


@pytest.mark.parametrize("case", CASES)
def test_tincan_reads_the_statement_back_without_loss(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    statement = case.build(factory, learner)
    again = Statement.from_json(statement_bytes(statement).decode()).as_version()
    assert again.pop("version") == "1.0.3"  # tincan adds it; we never send it
    stamp = again.pop("timestamp")
    assert datetime.fromisoformat(stamp) == NOW.replace(microsecond=123000)
    expected = json.loads(statement_bytes({**statement, "timestamp": None}))
    del expected["timestamp"]
    # tincan leaves out an extension whose value is null (an unknown municipality's codes):
    # a reader sees "absent", which means the same (docs/xapi.md)
    extensions = expected["context"]["extensions"]
    nulls = [key for key, value in extensions.items() if value is None]
    assert sorted(nulls) == [f"{BASE}extensions/county-code", f"{BASE}extensions/municipality-code"]
    for key in nulls:
        del extensions[key]
    assert json.loads(json.dumps(again)) == expected


@pytest.mark.parametrize("case", CASES)
def test_tincan_reads_a_known_municipality_back_without_loss(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    attached = dataclasses.replace(learner, municipality=municipality("1489"))
    statement = case.build(factory, attached)
    again = Statement.from_json(statement_bytes(statement).decode()).as_version()
    assert again["context"]["extensions"] == statement["context"]["extensions"]


def test_completion_id_may_be_given_as_uuid(factory: StatementFactory, learner: Learner) -> None:
    voiding = factory.task_undone(learner, TASK, uuid.UUID(COMPLETION_ID))
    assert voiding["object"]["id"] == COMPLETION_ID
