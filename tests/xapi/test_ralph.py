"""Every statement the builders make is accepted by a real LRS (Ralph), and a byte-identical
resend is recognised as the same statement."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.ralph_fixtures import ralph  # noqa: F401  (the session-wide Ralph server)
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.serialization import statement_bytes

from .events import DAY, EVENT_CASES, TASK, EventCase

pytestmark = pytest.mark.ralph

HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


def _request(server: RalphServer, method: str, **kwargs: Any) -> requests.Response:
    return requests.request(
        method,
        f"{server.endpoint}statements",
        headers=HEADERS,
        auth=(server.username, server.password),
        timeout=30,
        **kwargs,
    )


def _put(server: RalphServer, statement: dict[str, Any]) -> requests.Response:
    params = {"statementId": statement["id"]}
    return _request(server, "PUT", params=params, data=statement_bytes(statement))


@pytest.mark.parametrize("case", EVENT_CASES, ids=lambda c: c.id)
def test_ralph_accepts_the_statement_and_dedupes_the_identical_resend(
    case: EventCase,
    ralph: RalphServer,  # noqa: F811
    catalog: Catalog,
    pseudonymizer: Pseudonymizer,
    learner: Learner,
) -> None:
    factory = StatementFactory(catalog, pseudonymizer)  # random ids: the server is shared
    if case.method == "task_undone":
        completion = factory.task_completed(learner, TASK)  # the LRS must know what is voided
        assert _put(ralph, completion).status_code == 204
        statement = factory.task_undone(learner, TASK, completion["id"])
    elif case.method == "attendance_withdrawn":
        attended = factory.course_day_attended(learner, DAY)  # the LRS must know it too
        assert _put(ralph, attended).status_code == 204
        statement = factory.attendance_withdrawn(learner, DAY, attended["id"])
    else:
        statement = case.build(factory, learner)
    first = _put(ralph, statement)
    assert first.status_code == 204, first.text
    again = _put(ralph, statement)
    assert again.status_code == 204, again.text
    found = _request(ralph, "GET", params={"statementId": statement["id"]})
    assert found.status_code == 200, found.text
    stored = found.json()
    stored = stored["statements"][0] if "statements" in stored else stored
    assert stored["id"] == statement["id"]
    assert stored["actor"]["account"] == statement["actor"]["account"]
    assert stored["context"]["registration"] == statement["context"]["registration"]
