"""``statement_erased``: the tool voids a learner's statement when their data is erased."""

from __future__ import annotations

from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.profile import build_profile, matching_templates
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.serialization import statement_bytes
from yrkesresan_lti.xapi.validation import validate_statement

from .events import BASE, DAY, TASK

TOOL = "https://yrkesresan.alingsas.se"


def test_the_voiding_statement_refers_to_the_voided_id_and_is_the_tools(
    factory: StatementFactory, learner: Learner
) -> None:
    completed = factory.task_completed(learner, TASK)
    voiding = factory.statement_erased(completed, TOOL)
    assert validate_statement(voiding) is voiding
    assert voiding["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert voiding["object"] == {"objectType": "StatementRef", "id": completed["id"]}
    assert voiding["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": TOOL, "name": "yrkesresan-lti"},
    }
    assert voiding["id"] != completed["id"]


def test_the_voiding_statement_keeps_tenant_and_registration_and_nothing_of_the_person(
    factory: StatementFactory, learner: Learner, pseudonymizer: Pseudonymizer
) -> None:
    trainer = Learner(
        issuer=learner.issuer,
        sub="trainer-7",
        client_id=learner.client_id,
        deployment_id=learner.deployment_id,
        platform_name=learner.platform_name,
    )
    attended = factory.course_day_attended(learner, DAY, instructor=trainer)
    voiding = factory.statement_erased(attended, TOOL)
    for key in ("registration", "language", "extensions"):
        assert voiding["context"][key] == attended["context"][key]
    assert "instructor" not in voiding["context"]
    raw = statement_bytes(voiding).decode()
    for personal in (
        learner.sub,
        "Kim Svensson",
        "kim.svensson@alingsas.se",
        pseudonymizer.pseudonym(learner.issuer, learner.sub),
        pseudonymizer.pseudonym(learner.issuer, "trainer-7"),
    ):
        assert personal not in raw


def test_the_voiding_statement_matches_exactly_the_erasure_template(
    factory: StatementFactory, learner: Learner
) -> None:
    voiding = factory.statement_erased(factory.task_opened(learner, TASK), TOOL)
    assert matching_templates(build_profile(BASE), voiding) == [
        f"{BASE}profile/templates/statement-erased"
    ]
