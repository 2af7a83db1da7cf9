"""Reading statements back: filters, paging through ``more``, single statements, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from tests.lrs.conftest import COMPLETED, statement
from yrkesresan_lti.exceptions import LrsRejected, LrsUnavailable
from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import LrsClient

TENANT_ENDPOINT = "https://lrs.test:8443/tenant/xapi/"


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def test_query_sends_every_filter_and_follows_more_from_the_server_root(
    mocked: responses.RequestsMock, retry: RetryPolicy
) -> None:
    pages = [[statement() for _ in range(2)], [statement()]]
    mocked.get(
        TENANT_ENDPOINT + "statements",
        json={"statements": pages[0], "more": "/tenant/xapi/statements?cursor=abc"},
        match=[responses.matchers.query_param_matcher({}, strict_match=False)],
    )
    mocked.get(
        "https://lrs.test:8443/tenant/xapi/statements?cursor=abc", json={"statements": pages[1]}
    )
    target = LrsTarget(name="t", endpoint=TENANT_ENDPOINT)
    since = datetime(2026, 1, 1, tzinfo=UTC)
    until = datetime(2026, 2, 1, tzinfo=UTC)
    agent = {"account": {"homePage": "https://yrkesresan.se", "name": "x"}}

    found = list(
        LrsClient(target, retry=retry).query(
            since=since,
            until=until,
            verb=COMPLETED,
            activity="https://a/1",
            agent=agent,
            registration="r-1",
            limit=2,
        )
    )

    assert [s["id"] for s in found] == [s["id"] for page in pages for s in page]
    first = parse_qs(urlsplit(mocked.calls[0].request.url or "").query)
    assert first == {
        "since": ["2026-01-01T00:00:00+00:00"],
        "until": ["2026-02-01T00:00:00+00:00"],
        "verb": [COMPLETED],
        "activity": ["https://a/1"],
        "agent": [json.dumps(agent, separators=(",", ":"))],
        "registration": ["r-1"],
        "limit": ["2"],
    }
    assert mocked.calls[1].request.url == "https://lrs.test:8443/tenant/xapi/statements?cursor=abc"


def test_get_returns_the_statement_or_none(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    known = statement()
    url = target.endpoint + "statements"
    mocked.get(
        url,
        json=known,
        match=[responses.matchers.query_param_matcher({"statementId": known["id"]})],
    )
    mocked.get(
        url, status=404, match=[responses.matchers.query_param_matcher({"statementId": "nope"})]
    )
    client = LrsClient(target, retry=retry)
    assert client.get(known["id"]) == known
    assert client.get("nope") is None


def test_a_refused_query_raises_lrs_rejected_with_the_lrs_message(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.get(target.endpoint + "statements", status=400, json={"detail": "bad agent"})
    with pytest.raises(LrsRejected, match="bad agent"):
        list(LrsClient(target, retry=retry).query(agent={"name": "x"}))


def test_a_query_to_an_lrs_that_stays_down_raises_lrs_unavailable(
    mocked: responses.RequestsMock, target: LrsTarget, retry: RetryPolicy
) -> None:
    mocked.get(target.endpoint + "statements", body=requests.ConnectionError("refused"))
    with pytest.raises(LrsUnavailable, match="gave up after 4"):
        list(LrsClient(target, retry=retry).query())
    assert "s3cret" not in str(mocked.calls[0])
