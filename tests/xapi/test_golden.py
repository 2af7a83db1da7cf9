"""The exact bytes of statements: speeding up the factory must not change a single byte.

``golden_statements.json`` holds :func:`statement_bytes` of builder calls with a fixed clock
and id factory, as the factory produced them before it was optimised. Regenerate only for an
intended change of the statements' content (and say so in the commit):
``.venv/bin/python -m tests.xapi.test_golden``.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import FakeClock
from yrkesresan_lti.catalog import Catalog, load_catalog
from yrkesresan_lti.municipalities import municipality
from yrkesresan_lti.xapi.assembly import RECENT_ACTORS
from yrkesresan_lti.xapi.evaluation import EvaluationAnswer
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.serialization import statement_bytes

from .conftest import HERE, KEY, NOW, SequentialIds
from .events import (
    COMPLETION_ID,
    COURSE,
    DAY,
    EVENT_CASES,
    FOLLOW_UP_TASK,
    GOAL_BEST,
    OCCASION,
    PREPARATION,
    TASK,
    EventCase,
)

GOLDEN = HERE / "golden_statements.json"

PSEUDONYMOUS = Learner(
    issuer="https://moodle.alingsas.se",
    sub="learner-sub-4711",
    client_id="yrkesresan-client",
    deployment_id="deployment-1",
    platform_name="Alingsås kommun",
    name="Kim Svensson",
    email="kim.svensson@alingsas.se",
)
NAMED = Learner(
    issuer="https://lms.boras.se/moodle",
    sub="42",
    client_id="client-2",
    deployment_id="dep-9",
    platform_name="Borås stad",
    name="Åsa Öberg",
    email="asa.oberg@boras.se",
    send_names=True,
    language="en-GB",
    municipality=municipality("1490"),  # Borås: SCB's codes and name (profile 1.5)
)
NAME_ONLY = Learner(
    issuer="https://lms.boras.se/moodle",
    sub="43",
    client_id="client-2",
    deployment_id="dep-9",
    platform_name="Borås stad",
    name="Ümit Ek",
    send_names=True,
    municipality=municipality("1490"),
)
TRAINER = Learner(
    issuer="https://moodle.alingsas.se",
    sub="trainer-7",
    client_id="yrkesresan-client",
    deployment_id="deployment-1",
    platform_name="Alingsås kommun",
)
UNSCORED = EvaluationAnswer(
    question="ovrigt", text={"sv": "Något mer du vill säga?"}, response="Bra kurs — tack!"
)

Call = Callable[[StatementFactory], dict[str, Any]]


def _bound(case: EventCase, who: Learner) -> Call:
    return lambda factory: case.build(factory, who)


def _calls() -> dict[str, Call]:
    calls: dict[str, Call] = {}
    for case in EVENT_CASES:
        for who_name, who in (("pseudonymous", PSEUDONYMOUS), ("named", NAMED)):
            calls[f"{case.id}/{who_name}"] = _bound(case, who)
    calls["task_completed/name-only"] = lambda f: f.task_completed(NAME_ONLY, FOLLOW_UP_TASK)
    calls["task_undone/uuid"] = lambda f: f.task_undone(NAMED, TASK, uuid.UUID(COMPLETION_ID))
    calls["progress_changed/0"] = lambda f: f.progress_changed(NAME_ONLY, PREPARATION, 0)
    calls["course_day_attended/instructor"] = lambda f: f.course_day_attended(
        PSEUDONYMOUS, DAY, instructor=TRAINER
    )
    calls["course_day_attended/named-instructor"] = lambda f: f.course_day_attended(
        NAMED, DAY, instructor=NAMED
    )
    calls["registered/name-only"] = lambda f: f.registered(NAME_ONLY, OCCASION)
    calls["goal_reached/other"] = lambda f: f.goal_reached(NAMED, GOAL_BEST)
    calls["evaluation_answered/unscored"] = lambda f: f.evaluation_answered(
        PSEUDONYMOUS, COURSE, UNSCORED
    )
    calls["statement_erased/completed"] = lambda f: f.statement_erased(
        f.task_completed(PSEUDONYMOUS, TASK), "https://yrkesresan.alingsas.se"
    )
    calls["statement_erased/attended"] = lambda f: f.statement_erased(
        f.course_day_attended(NAMED, DAY, instructor=TRAINER), "https://yrkesresan.boras.se"
    )
    return calls


CALLS = _calls()


def _catalog() -> Catalog:
    return load_catalog(HERE / "catalog.yaml")


def _factory(catalog: Catalog) -> StatementFactory:
    return StatementFactory(
        catalog, Pseudonymizer(KEY), clock=FakeClock(NOW), id_factory=SequentialIds()
    )


def _golden() -> dict[str, str]:
    data: dict[str, str] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


def test_golden_file_covers_every_call() -> None:
    assert set(_golden()) == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_statement_bytes_are_unchanged(name: str, catalog: Catalog) -> None:
    built = CALLS[name](_factory(catalog))
    assert statement_bytes(built).decode("utf-8") == _golden()[name]


def test_bytes_unchanged_when_one_factory_builds_everything_twice(catalog: Catalog) -> None:
    """Whatever the factory caches, the second round gives the same bytes (new ids only)."""
    factory = StatementFactory(
        catalog, Pseudonymizer(KEY), clock=FakeClock(NOW), id_factory=_one_id
    )
    first = {name: statement_bytes(call(factory)) for name, call in CALLS.items()}
    second = {name: statement_bytes(call(factory)) for name, call in CALLS.items()}
    assert first == second


def test_changing_a_built_statement_does_not_change_the_next(catalog: Catalog) -> None:
    factory = _factory(catalog)
    statement = factory.task_opened(PSEUDONYMOUS, TASK)
    statement["object"]["definition"]["name"]["sv"] = "ändrad"
    statement["context"]["contextActivities"]["grouping"].clear()
    statement["context"]["contextActivities"]["category"][0]["definition"]["type"] = "urn:x"
    statement["context"]["extensions"].clear()
    statement["actor"]["account"]["name"] = "someone else"
    statement["verb"]["display"]["sv"] = "ändrad"
    again = _factory(catalog).task_opened(PSEUDONYMOUS, TASK)
    repeat = factory.task_opened(PSEUDONYMOUS, TASK)
    repeat["id"] = again["id"]
    assert statement_bytes(repeat) == statement_bytes(again)
    assert statement_bytes(again).decode("utf-8") == _golden()["task_opened/pseudonymous"]


def _one_id() -> uuid.UUID:
    return uuid.UUID("00000000-0000-4000-8000-000000000001")


def write_golden() -> None:
    """Rewrite the golden file from the current factory (an intended change only)."""
    catalog = _catalog()
    data = {
        name: statement_bytes(call(_factory(catalog))).decode("utf-8")
        for name, call in CALLS.items()
    }
    GOLDEN.write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8"
    )


if __name__ == "__main__":
    write_golden()


def test_bytes_unchanged_after_more_learners_than_the_factory_remembers(
    catalog: Catalog,
) -> None:
    factory = StatementFactory(
        catalog, Pseudonymizer(KEY), clock=FakeClock(NOW), id_factory=_one_id
    )
    first = statement_bytes(factory.task_completed(NAMED, FOLLOW_UP_TASK))
    for n in range(RECENT_ACTORS + 10):
        factory.task_opened(dataclasses.replace(PSEUDONYMOUS, sub=f"other-{n}"), TASK)
    again = statement_bytes(factory.task_completed(NAMED, FOLLOW_UP_TASK))
    assert again == first
    assert json.loads(again)["actor"]["name"] == "Åsa Öberg"
