"""Profile 1.5 statements in the real Ralph LRS: an unknown municipality's null codes and an
occasion's seats are accepted and read back unchanged."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

from tests.lrs.conftest import as_bytes
from tests.xapi.conftest import KEY
from tests.xapi.events import OCCASION, TASK
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.municipalities import municipality
from yrkesresan_lti.xapi.client import LrsClient, Outcome
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

pytestmark = pytest.mark.ralph

XAPI_TESTS = Path(__file__).resolve().parents[1] / "xapi"


def test_unknown_and_known_municipalities_and_seats_are_stored_as_sent(
    ralph: RalphServer,
) -> None:
    factory = StatementFactory(load_catalog(XAPI_TESTS / "catalog.yaml"), Pseudonymizer(KEY))
    unknown = Learner(
        issuer="https://moodle.alingsas.se",
        sub=f"learner-{uuid.uuid4()}",
        client_id="yrkesresan-client",
        deployment_id="deployment-1",
        platform_name="Alingsås kommun",
    )
    known = dataclasses.replace(unknown, municipality=municipality("1489"))
    sent = [factory.task_completed(unknown, TASK), factory.registered(known, OCCASION)]
    with LrsClient(ralph.lrs_target()) as lrs:
        assert [r.outcome for r in lrs.send(as_bytes(sent))] == [Outcome.DELIVERED] * 2
        for statement in sent:
            stored = lrs.get(statement["id"])
            assert stored is not None
            assert stored["context"]["extensions"] == statement["context"]["extensions"]
            assert (
                stored["context"]["contextActivities"] == statement["context"]["contextActivities"]
            )
