"""One contract, every LRS transport: the in-memory LRS, the real Ralph and an LRS as strict
as ADL's reference LRS (:mod:`tests.lrs.adl_double`) behave alike for a client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.lrs.adl_double import AdlStrictServer
from tests.lrs.conftest import EXPERIENCED, as_bytes, statement
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import LrsClient, Outcome
from yrkesresan_lti.xapi.transport_memory import MemoryLrs


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("ralph", marks=pytest.mark.ralph),
        pytest.param("adl-strict"),
    ]
)
def lrs(request: pytest.FixtureRequest) -> Iterator[LrsClient]:
    if request.param == "adl-strict":
        server = AdlStrictServer()
        with server.running(), LrsClient(server.lrs_target(batch_size=50)) as client:
            yield client
        return
    if request.param == "memory":
        target = LrsTarget(name="memory", endpoint="http://memory.test/xAPI/", batch_size=50)
        with LrsClient(target, transport=MemoryLrs()) as client:
            yield client
        return
    ralph: RalphServer = request.getfixturevalue("ralph")
    with LrsClient(ralph.lrs_target(batch_size=50)) as client:
        yield client


def test_a_resent_statement_is_accepted_again(lrs: LrsClient) -> None:
    sent = as_bytes([statement(), statement()])
    assert {r.outcome for r in lrs.send(sent)} == {Outcome.DELIVERED}
    assert {r.outcome for r in lrs.send(sent)} == {Outcome.DELIVERED}


def test_another_statement_under_a_known_id_is_rejected_and_the_rest_delivered(
    lrs: LrsClient,
) -> None:
    known = statement()
    lrs.send(as_bytes([known]))
    others = [statement() for _ in range(5)]
    results = lrs.send(as_bytes([*others[:2], {**known, "verb": {"id": EXPERIENCED}}, *others[2:]]))
    assert [(r.outcome, r.status) for r in results if r.outcome is not Outcome.DELIVERED] == [
        (Outcome.REJECTED, 409)
    ]
    assert all(lrs.get(s["id"]) is not None for s in others)


def test_an_invalid_statement_is_rejected_alone(lrs: LrsClient) -> None:
    broken = {k: v for k, v in statement().items() if k != "verb"}
    results = lrs.send(as_bytes([statement(), broken, statement()]))
    assert [r.outcome for r in results] == [Outcome.DELIVERED, Outcome.REJECTED, Outcome.DELIVERED]
    assert results[1].status in {400, 422}


def test_query_pages_through_every_statement_of_a_registration(lrs: LrsClient) -> None:
    registration = str(uuid.uuid4())
    sent = [statement(registration=registration) for _ in range(5)]
    sent.append(statement(registration=registration, verb=EXPERIENCED))
    lrs.send(as_bytes(sent))
    found = [s["id"] for s in lrs.query(registration=registration, limit=2)]
    assert sorted(found) == sorted(s["id"] for s in sent)
    assert [s["id"] for s in lrs.query(registration=registration, verb=EXPERIENCED)] == [
        sent[-1]["id"]
    ]
