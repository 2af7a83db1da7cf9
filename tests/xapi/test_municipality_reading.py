"""Reading the municipality and an occasion's seats back from statements (reports)."""

from __future__ import annotations

import dataclasses

from yrkesresan_lti.municipalities import municipality
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.municipality import activity_seats, statement_municipality

from .events import BASE, OCCASION, TASK


def test_a_statement_names_the_attached_municipality(
    factory: StatementFactory, learner: Learner
) -> None:
    attached = dataclasses.replace(learner, municipality=municipality("1489"))
    statement = factory.task_completed(attached, TASK)
    assert statement_municipality(statement, BASE) == municipality("1489")


def test_unknown_missing_or_foreign_codes_read_as_none(
    factory: StatementFactory, learner: Learner
) -> None:
    unknown = factory.task_completed(learner, TASK)
    assert statement_municipality(unknown, BASE) is None
    assert statement_municipality({}, BASE) is None
    code = f"{BASE}extensions/municipality-code"
    assert statement_municipality({"context": {"extensions": {code: "9999"}}}, BASE) is None
    assert statement_municipality({"context": {"extensions": {code: 1480}}}, BASE) is None


def test_an_occasions_seats_are_read_from_its_activity(
    factory: StatementFactory, learner: Learner
) -> None:
    statement = factory.registered(learner, OCCASION)
    occasion = statement["context"]["contextActivities"]["other"][0]
    assert occasion["id"] == OCCASION
    assert activity_seats(occasion, BASE) == 25
    assert activity_seats(statement["object"], BASE) is None
