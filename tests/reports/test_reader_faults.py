"""The LRS reader against a misbehaving LRS (``responses``): every fault is a typed error
that says what happened, never an endless loop or a request to another host."""

from __future__ import annotations

import base64
import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from tests.lrs.conftest import statement
from tests.reports.conftest import FakeTime
from yrkesresan_lti.exceptions import (
    LrsAccessDenied,
    LrsBadAnswer,
    LrsNotFound,
    LrsPagingError,
    LrsRejected,
    LrsUnavailable,
)
from yrkesresan_lti.reports.lrs_report import figures_from_lrs
from yrkesresan_lti.reports.reader import LrsReader, StatementQuery
from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget

ENDPOINT = "https://lrs.test:8443/tenant/xAPI/"
STATEMENTS = ENDPOINT + "statements"


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def reader(retry: RetryPolicy) -> Iterator[LrsReader]:
    target = LrsTarget(endpoint=ENDPOINT, username="analys", password="hemligt-lösen")
    with LrsReader(target, retry=retry, max_pages=5) as made:
        yield made


def test_sends_filters_version_and_basic_auth_and_follows_relative_and_absolute_more(
    mocked: responses.RequestsMock, reader: LrsReader
) -> None:
    pages = [[statement()], [statement()], [statement()]]
    mocked.get(STATEMENTS, json={"statements": pages[0], "more": "/tenant/xAPI/statements?p=2"})
    mocked.get(STATEMENTS + "?p=2", json={"statements": pages[1], "more": STATEMENTS + "?p=3"})
    mocked.get(STATEMENTS + "?p=3", json={"statements": pages[2], "more": ""})
    query = StatementQuery(
        verb="http://adlnet.gov/expapi/verbs/attended",
        activity="https://yrkesresan.se/id/journeys/bou",
        related_activities=True,
        since=datetime(2026, 1, 1, tzinfo=UTC),
        until=datetime(2027, 1, 1, tzinfo=UTC),
        limit=2,
    )

    read = list(reader.statements(query))

    assert read == [*pages[0], *pages[1], *pages[2]]
    first = mocked.calls[0].request
    assert parse_qs(urlsplit(str(first.url)).query) == {
        "verb": ["http://adlnet.gov/expapi/verbs/attended"],
        "activity": ["https://yrkesresan.se/id/journeys/bou"],
        "related_activities": ["true"],
        "since": ["2026-01-01T00:00:00+00:00"],
        "until": ["2027-01-01T00:00:00+00:00"],
        "limit": ["2"],
    }
    assert first.headers["X-Experience-API-Version"] == "1.0.3"
    expected = base64.b64encode("analys:hemligt-lösen".encode()).decode()
    assert all(c.request.headers["Authorization"] == f"Basic {expected}" for c in mocked.calls)
    assert reader.pages_read == 3


def test_a_more_link_to_another_host_is_refused_before_any_request(
    mocked: responses.RequestsMock, reader: LrsReader
) -> None:
    mocked.get(STATEMENTS, json={"statements": [], "more": "https://evil.example/steal?p=2"})
    with pytest.raises(LrsPagingError) as caught:
        list(reader.statements())
    assert caught.value.reason == "foreign_more"
    assert len(mocked.calls) == 1


def test_a_more_link_that_comes_back_is_a_loop(
    mocked: responses.RequestsMock, reader: LrsReader
) -> None:
    mocked.get(STATEMENTS, json={"statements": [statement()], "more": "/tenant/xAPI/statements?a"})
    mocked.get(STATEMENTS + "?a", json={"statements": [], "more": "/tenant/xAPI/statements?b"})
    mocked.get(STATEMENTS + "?b", json={"statements": [], "more": "/tenant/xAPI/statements?a"})
    with pytest.raises(LrsPagingError) as caught:
        list(reader.statements())
    assert caught.value.reason == "loop"


def test_a_server_that_pages_forever_stops_at_the_page_limit(
    mocked: responses.RequestsMock, reader: LrsReader
) -> None:
    counter = iter(range(1000))

    def endless(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        return 200, {}, f'{{"statements": [], "more": "/tenant/xAPI/statements?n={next(counter)}"}}'

    mocked.add_callback(responses.GET, STATEMENTS, callback=endless)
    with pytest.raises(LrsPagingError) as caught:
        list(reader.statements())
    assert caught.value.reason == "too_many_pages"
    assert len(mocked.calls) == 5


@pytest.mark.parametrize(
    ("status", "error", "reason"),
    [
        (401, LrsAccessDenied, "unauthorized"),
        (403, LrsAccessDenied, "forbidden"),
        (404, LrsNotFound, ""),
        (400, LrsRejected, "status"),
    ],
)
def test_a_refusal_is_a_typed_error_without_retries(
    mocked: responses.RequestsMock,
    reader: LrsReader,
    fake_time: FakeTime,
    status: int,
    error: type[LrsRejected],
    reason: str,
) -> None:
    mocked.get(STATEMENTS, status=status, json={"message": "nope"})
    with pytest.raises(error) as caught:
        list(reader.statements())
    assert caught.value.reason == reason
    assert fake_time.slept == []
    assert "hemligt" not in str(caught.value)


def test_5xx_and_a_dropped_connection_are_retried_then_the_page_is_read(
    mocked: responses.RequestsMock, reader: LrsReader, fake_time: FakeTime
) -> None:
    mocked.get(STATEMENTS, status=503)
    mocked.get(STATEMENTS, body=requests.ConnectionError("reset"))
    mocked.get(STATEMENTS, json={"statements": [statement()]})
    assert len(list(reader.statements())) == 1
    assert len(fake_time.slept) == 2


def test_a_server_that_keeps_failing_is_unavailable_after_the_retries(
    mocked: responses.RequestsMock, reader: LrsReader, fake_time: FakeTime
) -> None:
    mocked.get(STATEMENTS, status=500)
    with pytest.raises(LrsUnavailable) as caught:
        list(reader.statements())
    assert caught.value.details["attempts"] == "4"
    assert len(mocked.calls) == 4


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<html>Login</html>", "json"),
        ('{"statements": "none"}', "not_result"),
        ("[1, 2]", "not_result"),
        ('{"statements": [], "more": 7}', "not_result"),
    ],
)
def test_an_answer_that_is_no_statement_result_is_bad(
    mocked: responses.RequestsMock, reader: LrsReader, body: str, reason: str
) -> None:
    mocked.get(STATEMENTS, body=body)
    with pytest.raises(LrsBadAnswer) as caught:
        list(reader.statements())
    assert caught.value.reason == reason


def test_a_page_is_only_asked_for_when_the_previous_one_is_used(
    mocked: responses.RequestsMock, reader: LrsReader
) -> None:
    mocked.get(STATEMENTS, json={"statements": [statement()], "more": "/tenant/xAPI/statements?2"})
    pages = reader.pages()
    assert len(next(pages)) == 1
    assert len(mocked.calls) == 1


def test_the_garbage_collector_is_on_again_after_a_report_even_a_failed_one(
    mocked: responses.RequestsMock, reader: LrsReader
) -> None:
    mocked.get(STATEMENTS, json={"statements": [statement()]})
    mocked.get(STATEMENTS, status=404)
    assert figures_from_lrs(reader).total.users == 0  # not a statement of the programme
    with pytest.raises(LrsNotFound):
        figures_from_lrs(reader)
    assert gc.isenabled()
