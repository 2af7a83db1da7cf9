"""Delivering AGS scores to a Moodle-strict platform: latest wins, every answer handled.

The platform answers 400/401/403/404/409/415/5xx; each is typed, logged on
``yrkesresan.ags`` without the learner, and retried or dead-lettered; nothing escapes.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from tests.advantage.conftest import DictPlatformStore, registration_for
from tests.conftest import FakeClock
from yrkesresan_lti.lti.advantage.ags import AgsClient, Score
from yrkesresan_lti.lti.advantage.ags_outbox import (
    AGS_SCORE_KIND,
    AGS_TARGET,
    AgsScoreDeliverer,
    score_head_key,
    score_payload,
)
from yrkesresan_lti.lti.advantage.score_heads import MemoryScoreHeads
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.outbox.deliverer import DeliveryStatus, OutboxItem
from yrkesresan_lti.testing.services import FakePlatformServices

AT = datetime(2026, 12, 6, 9, 0, 0, 400_000, tzinfo=UTC)
LEARNER = "3"


def _item(payload: bytes, n: int = 1) -> OutboxItem:
    return OutboxItem(n, AGS_TARGET, AGS_SCORE_KIND, json.loads(payload)["id"], payload, 0)


class Gone:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, issuer: str, client_id: str, lineitem: str) -> None:
        self.calls.append((issuer, client_id, lineitem))


@pytest.fixture
def heads() -> MemoryScoreHeads:
    return MemoryScoreHeads()


@pytest.fixture
def gone() -> Gone:
    return Gone()


@pytest.fixture
def deliverer(
    fake_platform: FakePlatformServices,
    signing_key: SigningKey,
    heads: MemoryScoreHeads,
    gone: Gone,
) -> AgsScoreDeliverer:
    ags = AgsClient(ServiceSession(ServiceTokenClient(lambda: signing_key)))
    store = DictPlatformStore(registration_for(fake_platform))
    return AgsScoreDeliverer(ags, store, heads=heads, on_gone=gone, clock=FakeClock(AT))


def _queued(
    platform: FakePlatformServices, heads: MemoryScoreHeads, lineitem: str, done: int, at: datetime
) -> OutboxItem:
    """A score as a click queues it: the payload, made the newest of its key."""
    payload = score_payload(
        registration_for(platform), lineitem, Score.for_progress(LEARNER, done, 6, at)
    )
    heads.set_head(score_head_key(payload), json.loads(payload)["id"])
    return _item(payload)


@pytest.mark.parametrize(
    ("status", "times", "outcome", "event"),
    [
        (400, 1, DeliveryStatus.RETRY, "ags_score_retry"),  # user not gradable (yet)
        (401, 2, DeliveryStatus.RETRY, "ags_score_retry"),  # service switched off
        (403, 1, DeliveryStatus.RETRY, "ags_score_retry"),  # scope missing
        (404, 1, DeliveryStatus.REJECTED, "ags_score_dead"),  # line item deleted
        (409, 1, DeliveryStatus.DELIVERED, "ags_score_delivered"),  # resent a second later
        (409, 3, DeliveryStatus.RETRY, "ags_score_retry"),  # still refused: later
        (415, 1, DeliveryStatus.REJECTED, "ags_score_dead"),
        (422, 1, DeliveryStatus.REJECTED, "ags_score_dead"),
        (500, 1, DeliveryStatus.RETRY, "ags_score_retry"),
        (503, 1, DeliveryStatus.RETRY, "ags_score_retry"),
    ],
)
def test_each_platform_answer_is_typed_logged_and_retried_or_dead(
    fake_platform: FakePlatformServices,
    deliverer: AgsScoreDeliverer,
    heads: MemoryScoreHeads,
    gone: Gone,
    caplog: pytest.LogCaptureFixture,
    status: int,
    times: int,
    outcome: DeliveryStatus,
    event: str,
) -> None:
    lineitem = fake_platform.add_line_item("Handläggning", 6)
    item = _queued(fake_platform, heads, lineitem, 2, AT)
    fake_platform.fail("/scores", status, {"status": status}, times=times)
    with caplog.at_level(logging.INFO, logger="yrkesresan.ags"):
        [result] = deliverer.deliver([item])
    assert result.status is outcome
    records = [r for r in caplog.records if r.name == "yrkesresan.ags"]
    last = records[-1]
    fields = vars(last)
    assert last.getMessage() == event
    assert fields["event"] == event
    assert fields["issuer"] == fake_platform.issuer
    assert fields["client_id"] == fake_platform.client_id
    assert fields["lineitem_path"] == "/mod/lti/services.php/2/lineitems/1/lineitem"
    assert fields["lineitem_host"].startswith("127.0.0.1:")
    assert fields["status"] == (200 if outcome is DeliveryStatus.DELIVERED else status)
    for record in records:  # never the learner
        assert LEARNER not in {v for v in vars(record).values() if isinstance(v, str)}
    assert gone.calls == (
        [(fake_platform.issuer, "probe-client-id", lineitem)] if status == 404 else []
    )
    if outcome is DeliveryStatus.DELIVERED:
        assert fake_platform.grade(lineitem, LEARNER) == 2


def test_only_the_newest_queued_score_is_posted(
    fake_platform: FakePlatformServices,
    deliverer: AgsScoreDeliverer,
    heads: MemoryScoreHeads,
    caplog: pytest.LogCaptureFixture,
) -> None:
    lineitem = fake_platform.add_line_item("Handläggning", 6)
    older = _queued(fake_platform, heads, lineitem, 6, AT)
    newer = _queued(fake_platform, heads, lineitem, 5, AT + timedelta(milliseconds=200))
    with caplog.at_level(logging.INFO, logger="yrkesresan.ags"):
        outcomes = deliverer.deliver([older, newer])
    assert [o.status for o in outcomes] == [DeliveryStatus.DELIVERED] * 2
    assert [s["scoreGiven"] for _, s in fake_platform.scores] == [5]
    assert [r.getMessage() for r in caplog.records] == [
        "ags_score_superseded",
        "ags_score_delivered",
    ]


def test_timestamps_strictly_increase_in_whole_seconds(
    fake_platform: FakePlatformServices, deliverer: AgsScoreDeliverer, heads: MemoryScoreHeads
) -> None:
    lineitem = fake_platform.add_line_item("Handläggning", 6)
    deliverer.deliver([_queued(fake_platform, heads, lineitem, 6, AT)])
    deliverer.deliver(
        [_queued(fake_platform, heads, lineitem, 5, AT + timedelta(milliseconds=300))]
    )
    stamps = [s["timestamp"] for _, s in fake_platform.scores]
    assert stamps == ["2026-12-06T09:00:00.400+00:00", "2026-12-06T09:00:01.000+00:00"]
    assert fake_platform.grade(lineitem, LEARNER) == 5


def test_a_conflict_for_a_score_superseded_meanwhile_is_dropped(
    fake_platform: FakePlatformServices, deliverer: AgsScoreDeliverer, heads: MemoryScoreHeads
) -> None:
    lineitem = fake_platform.add_line_item("Handläggning", 6)
    item = _queued(fake_platform, heads, lineitem, 6, AT)
    key = score_head_key(item.payload)
    recorded = heads.record_sent

    def newer_click_meanwhile(k: str, at: datetime) -> None:
        recorded(k, at)
        heads.set_head(key, "a-newer-score")

    heads.record_sent = newer_click_meanwhile  # type: ignore[method-assign]
    fake_platform.fail("/scores", 409, times=5)
    [result] = deliverer.deliver([item])
    assert result.status is DeliveryStatus.DELIVERED  # done: superseded, not sent again
    assert fake_platform.requests[-1][1].endswith("/scores?type_id=1")
    assert len([r for r in fake_platform.requests if "/scores" in r[1]]) == 1


def test_no_exception_escapes_for_broken_payloads_or_a_failing_store(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    class BrokenHeads(MemoryScoreHeads):
        def state(self, key: str) -> object:  # type: ignore[override]
            raise RuntimeError("database is gone")

    ags = AgsClient(ServiceSession(ServiceTokenClient(lambda: signing_key)))
    store = DictPlatformStore(registration_for(fake_platform))
    deliverer = AgsScoreDeliverer(ags, store, heads=BrokenHeads())
    lineitem = fake_platform.add_line_item("Handläggning", 6)
    good = score_payload(
        registration_for(fake_platform), lineitem, Score.for_progress("3", 1, 6, AT)
    )
    outcomes = deliverer.deliver(
        [_item(good), OutboxItem(2, AGS_TARGET, AGS_SCORE_KIND, "x", b"{nope", 0)]
    )
    assert [o.status for o in outcomes] == [DeliveryStatus.RETRY, DeliveryStatus.REJECTED]
