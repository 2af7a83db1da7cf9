"""Activities checked once (the factory's catalog activities) are trusted only when equal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import InvalidStatement
from yrkesresan_lti.xapi.activities import NodeActivities
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.validation import validate_statement

from .events import BASE, TASK

BAD = sorted((Path(__file__).parent / "corpus" / "bad").glob("*.json"))


@pytest.fixture
def known(catalog: Catalog) -> dict[str, Any]:
    activities = NodeActivities(BASE)
    for node in catalog.walk():
        activities.of(node)
    return activities.validated


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_statement_is_still_refused_with_known_activities(
    path: Path, known: dict[str, Any]
) -> None:
    statement = json.loads(path.read_text("utf-8"))["statement"]
    with pytest.raises(InvalidStatement):
        validate_statement(statement, valid_activities=known)


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("object", lambda a: a["definition"]["name"].update({"not a tag!": "x"})),
        ("parent", lambda a: a["definition"].update({"moreInfo": "ftp://example.se/x"})),
        ("grouping", lambda a: a["definition"].update({"type": "not an iri"})),
        ("other", lambda a: a.update({"objectType": "Agent"})),
        ("category", lambda a: a["definition"]["name"].update({"sv": 7})),
    ],
)
def test_a_changed_catalog_activity_is_checked_again(
    where: str, change: Any, factory: StatementFactory, learner: Learner, known: dict[str, Any]
) -> None:
    statement = factory.task_opened(learner, TASK)
    activities = statement["context"]["contextActivities"]
    target = statement["object"] if where == "object" else activities[where][0]
    assert known.get(target["id"]) == target
    change(target)
    with pytest.raises(InvalidStatement):
        validate_statement(statement, valid_activities=known)
