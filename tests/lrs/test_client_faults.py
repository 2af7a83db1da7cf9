"""The LRS client against injected faults (``responses``): what a caller sees per statement."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator

import pytest
import requests
import responses
from responses import matchers

from tests.lrs.conftest import STATEMENTS_URL, FakeTime, as_bytes, statement
from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import LrsClient, Outcome


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def client_for(target: LrsTarget, retry: RetryPolicy, **changes: object) -> LrsClient:
    return LrsClient(target.model_copy(update=changes), retry=retry)


def posted_bodies(mocked: responses.RequestsMock) -> list[bytes]:
    bodies = [call.request.body or b"" for call in mocked.calls]
    return [b.encode() if isinstance(b, str) else bytes(b) for b in bodies]


def test_statements_go_in_batches_of_the_targets_size_as_the_exact_bytes(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.post(STATEMENTS_URL, status=200, json=[])
    items = as_bytes([statement() for _ in range(250)])

    results = client_for(target, retry, batch_size=100).send(items)

    assert [r.outcome for r in results] == [Outcome.DELIVERED] * 250
    assert posted_bodies(mocked) == [
        b"[" + b",".join(items[i : i + 100]) + b"]" for i in (0, 100, 200)
    ]
    headers = mocked.calls[0].request.headers
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"user:s3cret-pw").decode()


def test_a_bearer_token_is_sent_instead_of_basic_auth(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.post(
        STATEMENTS_URL,
        status=204,
        match=[matchers.header_matcher({"Authorization": "Bearer tok-123"})],
    )
    bearer = LrsTarget(name="b", endpoint=target.endpoint, token="tok-123")
    [result] = LrsClient(bearer, retry=retry).send(as_bytes([statement()]))
    assert result.outcome is Outcome.DELIVERED


def test_server_errors_are_retried_with_growing_backoff_and_identical_bytes(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    mocked.post(STATEMENTS_URL, status=500, body="boom")
    mocked.post(STATEMENTS_URL, status=503, body="down")
    mocked.post(STATEMENTS_URL, status=200, json=[])
    items = as_bytes([statement(), statement()])

    results = client_for(target, retry).send(items)

    assert [r.outcome for r in results] == [Outcome.DELIVERED] * 2
    bodies = posted_bodies(mocked)
    assert len(bodies) == 3
    assert len(set(bodies)) == 1
    first, second = fake_time.slept
    assert 0.25 <= first <= 0.5
    assert 0.5 <= second <= 1.0


def test_a_timeout_is_retried_and_then_delivered(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    mocked.post(STATEMENTS_URL, body=requests.ReadTimeout("slow"))
    mocked.post(STATEMENTS_URL, status=200, json=[])
    [result] = client_for(target, retry).send(as_bytes([statement()]))
    assert result.outcome is Outcome.DELIVERED
    assert len(fake_time.slept) == 1


def test_an_unreachable_lrs_leaves_every_statement_for_later_after_max_attempts(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    mocked.post(STATEMENTS_URL, body=requests.ConnectionError("refused"))
    results = client_for(target, retry, batch_size=2).send(as_bytes([statement()] * 5))
    assert {r.outcome for r in results} == {Outcome.RETRY_LATER}
    assert len(results) == 5
    assert "gave up after 4 attempt" in (results[0].reason or "")
    assert len(mocked.calls) == 4  # one batch tried 4 times, the rest not hammered
    assert len(fake_time.slept) == 3


def test_429_waits_exactly_the_retry_after_seconds(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    mocked.post(STATEMENTS_URL, status=429, headers={"Retry-After": "7"})
    mocked.post(STATEMENTS_URL, status=204)
    [result] = client_for(target, retry).send(as_bytes([statement()]))
    assert result.outcome is Outcome.DELIVERED
    assert fake_time.slept == [7.0]


def test_429_with_an_http_date_waits_until_that_moment(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    # the fake clock says 2026-11-22 08:00:00 UTC
    mocked.post(
        STATEMENTS_URL, status=429, headers={"Retry-After": "Sun, 22 Nov 2026 08:00:42 GMT"}
    )
    mocked.post(STATEMENTS_URL, status=204)
    client_for(target, retry).send(as_bytes([statement()]))
    assert fake_time.slept == [42.0]


def test_429_asking_for_too_long_a_wait_is_left_for_later_without_sleeping(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    mocked.post(STATEMENTS_URL, status=429, headers={"Retry-After": "3600"})
    [result] = client_for(target, retry).send(as_bytes([statement()]))
    assert result.outcome is Outcome.RETRY_LATER
    assert fake_time.slept == []


def test_413_splits_the_batch_until_it_fits(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    def too_large_over_two(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        count = len(json.loads(request.body or b"[]"))
        return (413, {}, "too large") if count > 2 else (200, {}, "[]")

    mocked.add_callback(responses.POST, STATEMENTS_URL, callback=too_large_over_two)
    items = as_bytes([statement() for _ in range(5)])
    results = client_for(target, retry, batch_size=5).send(items)
    assert [r.outcome for r in results] == [Outcome.DELIVERED] * 5
    sizes = [len(json.loads(b)) for b in posted_bodies(mocked)]
    assert sizes == [5, 2, 3, 1, 2]


def test_400_on_one_statement_delivers_the_rest_and_reports_the_lrs_message(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    good = [statement() for _ in range(7)]
    bad = statement()
    batch = [*good[:3], bad, *good[3:]]

    def refuse_bad(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        ids = [s["id"] for s in json.loads(request.body or b"[]")]
        if bad["id"] in ids:
            return 400, {}, json.dumps({"detail": f"verb is invalid in {bad['id']}"})
        return 200, {}, json.dumps(ids)

    mocked.add_callback(responses.POST, STATEMENTS_URL, callback=refuse_bad)
    results = client_for(target, retry).send(as_bytes(batch))

    assert [r.statement_id for r in results] == [s["id"] for s in batch]
    rejected = [r for r in results if r.outcome is Outcome.REJECTED]
    assert [(r.statement_id, r.status) for r in rejected] == [(bad["id"], 400)]
    assert rejected[0].reason == f"verb is invalid in {bad['id']}"
    assert sum(r.outcome is Outcome.DELIVERED for r in results) == 7
    assert len(mocked.calls) <= 1 + 2 * 3  # bisection, not one request per statement


def test_409_for_a_different_stored_statement_is_a_conflict_with_the_lrs_message(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    ours = statement()
    mocked.post(STATEMENTS_URL, status=409, json={"detail": "Differing statements already exist"})
    mocked.get(STATEMENTS_URL, json={**ours, "verb": {"id": "http://example.org/other"}})
    [result] = client_for(target, retry).send(as_bytes([ours]))
    assert (result.outcome, result.status) == (Outcome.REJECTED, 409)
    assert result.reason == (
        "Differing statements already exist (a different statement has this id: verb)"
    )
    assert fake_time.slept == []


def test_409_for_a_statement_the_lrs_does_not_show_is_posted_once_more_then_waits(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.post(STATEMENTS_URL, status=409, body="A statement with ID x already exists")
    mocked.get(STATEMENTS_URL, status=404)
    [result] = client_for(target, retry).send(as_bytes([statement()]))
    assert (result.outcome, result.status) == (Outcome.RETRY_LATER, 409)
    assert [c.request.method for c in mocked.calls] == ["POST", "GET", "GET", "POST", "GET", "GET"]


def test_409_whose_read_back_fails_waits_instead_of_dead_lettering(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.post(STATEMENTS_URL, status=409, body="A statement with ID x already exists")
    mocked.get(STATEMENTS_URL, status=403, json={"detail": "no read permission"})
    [result] = client_for(target, retry).send(as_bytes([statement()]))
    assert result.outcome is Outcome.RETRY_LATER
    assert "no read permission" in (result.reason or "")


def test_an_lrs_answering_500_to_everything_is_not_blamed_on_the_statements(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.post(STATEMENTS_URL, status=500, body="database is down")
    results = client_for(target, retry, batch_size=8).send(as_bytes([statement()] * 16))
    assert {(r.outcome, r.status) for r in results} == {(Outcome.RETRY_LATER, 500)}
    assert len(results) == 16
    assert len(mocked.calls) == 4 + 4  # the batch's retries, then 4 halves/quarters: down


def test_a_single_statement_failing_with_500_is_not_dead_lettered_without_evidence(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.post(STATEMENTS_URL, status=500, body="value too long")
    [result] = client_for(target, retry).send(as_bytes([statement()]))
    assert (result.outcome, result.status) == (Outcome.RETRY_LATER, 500)


def test_a_statement_failing_with_500_is_isolated_and_rejected_with_status_and_body(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy, fake_time: FakeTime
) -> None:
    batch = [statement() for _ in range(6)]
    poison = batch[4]["id"]

    def fail_on_poison(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        ids = [s["id"] for s in json.loads(request.body or b"[]")]
        if poison in ids:
            return 500, {}, "value too long for type character varying(50)\n" + "x" * 1000
        return 200, {}, json.dumps(ids)

    mocked.add_callback(responses.POST, STATEMENTS_URL, callback=fail_on_poison)
    mocked.get(STATEMENTS_URL, status=404)
    results = client_for(target, retry).send(as_bytes(batch))

    assert [r.outcome for r in results] == [Outcome.DELIVERED] * 4 + [
        Outcome.REJECTED,
        Outcome.DELIVERED,
    ]
    assert results[4].status == 500
    assert (results[4].reason or "").startswith("value too long for type character varying(50)")
    assert len(results[4].reason or "") <= 500
    assert len(fake_time.slept) == 3  # only the whole batch was retried with backoff


def test_wrong_credentials_are_not_blamed_on_the_statements(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.post(STATEMENTS_URL, status=401, json={"detail": "Invalid authentication credentials"})
    results = client_for(target, retry, batch_size=2).send(as_bytes([statement()] * 4))
    assert {(r.outcome, r.status) for r in results} == {(Outcome.RETRY_LATER, 401)}
    assert len(mocked.calls) == 1


def test_credentials_never_reach_the_logs_or_the_repr(
    mocked: responses.RequestsMock,
    target: LrsTarget,
    retry: RetryPolicy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    mocked.post(STATEMENTS_URL, status=500, body="boom")
    mocked.post(STATEMENTS_URL, status=400, json={"detail": "bad"})
    client = client_for(target, retry)
    client.send(as_bytes([statement()]))
    secret_forms = ("s3cret-pw", base64.b64encode(b"user:s3cret-pw").decode())
    assert caplog.records, "the retry and the rejection are logged"
    assert not any(secret in caplog.text or secret in repr(client) for secret in secret_forms)
