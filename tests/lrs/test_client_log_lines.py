"""The LRS client's lines: each retry (attempt, wait, reason) and each refused statement."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import responses

from tests.log_fixtures import Lines
from tests.lrs.conftest import STATEMENTS_URL, as_bytes, statement
from yrkesresan_lti.retry import RetryPolicy
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.client import LrsClient


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_retries_and_refusals_are_logged_with_target_and_reason(
    mocked: responses.RequestsMock,
    target: LrsTarget,
    retry: RetryPolicy,
    configure_logs: Callable[..., Lines],
) -> None:
    lines = configure_logs(log_format="json")
    mocked.post(STATEMENTS_URL, status=503, body="busy")
    mocked.post(STATEMENTS_URL, status=400, json={"detail": "bad verb"})
    sent = as_bytes([statement()])
    LrsClient(target, retry=retry).send(sent)
    (again,) = lines.events("lrs_retry")
    assert (again["target"], again["attempt"], again["level"]) == (target.name, 1, "INFO")
    assert "503" in again["reason"]
    assert isinstance(again["wait_seconds"], float)
    (refused,) = lines.events("lrs_rejected")
    assert (refused["status"], refused["reason"], refused["level"]) == (400, "bad verb", "WARNING")
    assert refused["statement_id"] in sent[0].decode()
