"""The LRS client against the real Ralph LRS: statements land, read back, dedupe, conflict."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.lrs.conftest import COMPLETED, EXPERIENCED, as_bytes, statement
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.xapi.client import LrsClient, Outcome
from yrkesresan_lti.xapi.transport import RequestsTransport, TransportResponse

pytestmark = pytest.mark.ralph


class RecordingTransport(RequestsTransport):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def request(self, method: str, url: str, **kwargs: Any) -> TransportResponse:
        self.urls.append(url)
        return super().request(method, url, **kwargs)


def client(ralph: RalphServer, **settings: Any) -> LrsClient:
    return LrsClient(ralph.lrs_target(**settings))


def test_statements_land_and_read_back_by_id(ralph: RalphServer) -> None:
    sent = [statement() for _ in range(3)]
    with client(ralph) as lrs:
        results = lrs.send(as_bytes(sent))
        assert [r.outcome for r in results] == [Outcome.DELIVERED] * 3
        stored = lrs.get(sent[1]["id"])
        assert stored is not None
        assert stored["verb"]["id"] == COMPLETED
        assert stored["object"]["id"] == sent[1]["object"]["id"]
        assert lrs.get(str(uuid.uuid4())) is None


def test_query_filters_by_verb_activity_registration_and_time(ralph: RalphServer) -> None:
    registration = str(uuid.uuid4())
    activity = f"https://yrkesresan.se/id/test/{registration}"
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    sent = [
        statement(registration=registration, activity=activity, timestamp=start),
        statement(
            registration=registration, activity=activity, timestamp=start + timedelta(days=1)
        ),
        statement(registration=registration, verb=EXPERIENCED, timestamp=start + timedelta(days=2)),
        statement(activity=activity, timestamp=start),
    ]
    with client(ralph) as lrs:
        assert {r.outcome for r in lrs.send(as_bytes(sent))} == {Outcome.DELIVERED}

        def ids(**filters: object) -> set[str]:
            return {s["id"] for s in lrs.query(**filters)}  # type: ignore[arg-type]

        assert ids(registration=registration) == {s["id"] for s in sent[:3]}
        assert ids(registration=registration, verb=EXPERIENCED) == {sent[2]["id"]}
        assert ids(activity=activity) == {sent[0]["id"], sent[1]["id"], sent[3]["id"]}
        assert ids(registration=registration, since=start) == {sent[1]["id"], sent[2]["id"]}
        until = start + timedelta(hours=1)
        assert ids(registration=registration, until=until) == {sent[0]["id"]}


def test_paging_follows_more_until_every_statement_is_read(ralph: RalphServer) -> None:
    registration = str(uuid.uuid4())
    sent = [statement(registration=registration) for _ in range(7)]
    transport = RecordingTransport()
    with LrsClient(ralph.lrs_target(), transport=transport) as lrs:
        lrs.send(as_bytes(sent))
        transport.urls.clear()
        found = [s["id"] for s in lrs.query(registration=registration, limit=3)]
    assert sorted(found) == sorted(s["id"] for s in sent)
    assert len(found) == len(set(found))
    assert len(transport.urls) >= 3
    assert all(url.startswith(ralph.base_url + "/xAPI/statements") for url in transport.urls)


def test_an_identical_resend_is_accepted_and_a_different_one_under_the_same_id_is_refused(
    ralph: RalphServer,
) -> None:
    original = statement()
    changed: Mapping[str, object] = {**original, "object": {"id": "https://elsewhere.example/x"}}
    with client(ralph) as lrs:
        assert lrs.send(as_bytes([original]))[0].outcome is Outcome.DELIVERED
        assert lrs.send(as_bytes([original]))[0].outcome is Outcome.DELIVERED
        [conflict] = lrs.send(as_bytes([dict(changed)]))
        stored = lrs.get(original["id"])
    assert (conflict.outcome, conflict.status) == (Outcome.REJECTED, 409)
    assert original["id"] in (conflict.reason or "")
    assert stored is not None
    assert stored["object"]["id"] == original["object"]["id"]


def test_a_conflicting_statement_in_a_batch_does_not_hold_back_the_others(
    ralph: RalphServer,
) -> None:
    original = statement()
    with client(ralph, batch_size=10) as lrs:
        lrs.send(as_bytes([original]))
        batch = [statement() for _ in range(4)]
        batch.insert(2, {**original, "verb": {"id": EXPERIENCED}})
        batch.append({**statement(), "actor": None})  # invalid: Ralph answers 422
        results = lrs.send(as_bytes(batch))
        delivered = [r.statement_id for r in results if r.outcome is Outcome.DELIVERED]
        refused = {r.statement_id: r.status for r in results if r.outcome is Outcome.REJECTED}
        assert all(lrs.get(i) is not None for i in delivered)
    assert sorted(delivered) == sorted(s["id"] for i, s in enumerate(batch) if i not in (2, 5))
    assert refused == {original["id"]: 409, batch[5]["id"]: 422}


def test_wrong_credentials_leave_statements_for_later(ralph: RalphServer) -> None:
    with client(ralph, password="wrong") as lrs:
        [result] = lrs.send(as_bytes([statement()]))
    assert (result.outcome, result.status) == (Outcome.RETRY_LATER, 401)
