"""An evaluation answer puts one *answered* statement per rating in the outbox, valid for
the profile's ``evaluation-answered`` template, in the transaction of the answer; the
comment never leaves the tool."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.pages import test_evaluation_pages as evaluation_pages
from tests.pages.conftest import COURSE, MOODLE, Launches
from tests.pages.test_evaluation_pages import MARCH_11, answer, learner
from tests.pages.test_occasion_statements import statements
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog.evaluation import OVERALL
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.profile.matcher import matching_templates

ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
TEMPLATE = "https://yrkesresan.se/id/profile/templates/evaluation-answered"

clock_start = evaluation_pages.clock_start
attended = evaluation_pages.attended


@pytest.fixture
def app(make_app: Callable[..., Flask], clock: FakeClock) -> Flask:
    app = make_app(outbox_events=True, clock=clock)
    AdapterState.of(app).services.platforms.add(MOODLE)
    return app


def test_each_rating_is_an_answered_statement_with_response_and_score(
    app: Flask, client: FlaskClient, launches: Launches, attended: str, clock: FakeClock
) -> None:
    clock.set(MARCH_11)
    anna = learner(launches, "anna")
    response = answer(client, anna, **{f"q-{OVERALL}": "4", "comment": "Hemligt omdöme"})
    assert response.status_code == 303
    answered = [s for s in statements(app) if s["verb"]["id"] == ANSWERED]
    assert len(answered) == 1
    (statement,) = answered
    assert statement["object"]["id"] == f"{COURSE}/evaluation/questions/{OVERALL}"
    assert statement["result"]["response"] == "4"
    assert statement["result"]["score"] == {"raw": 4, "min": 1, "max": 5, "scaled": 0.75}
    profile = build_profile("https://yrkesresan.se/id/")
    assert matching_templates(profile, statement) == [TEMPLATE]
    assert all("Hemligt" not in str(s) for s in statements(app))


def test_a_refused_answer_enqueues_nothing(
    app: Flask, client: FlaskClient, launches: Launches, attended: str, clock: FakeClock
) -> None:
    clock.set(MARCH_11)
    before = len(statements(app))
    assert answer(client, learner(launches, "anna"), **{f"q-{OVERALL}": "9"}).status_code == 422
    assert len(statements(app)) == before
