"""AGS scores through the outbox: delivered, retried when the LMS is down, dead when gone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from tests.advantage.conftest import DictPlatformStore, registration_for
from yrkesresan_lti.lti.advantage.ags import AgsClient, Score
from yrkesresan_lti.lti.advantage.ags_outbox import (
    AGS_SCORE_KIND,
    AGS_TARGET,
    AgsScoreDeliverer,
    score_payload,
)
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.outbox.deliverer import DeliveryStatus, OutboxItem
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.outbox.schema import DEAD, DELIVERED, PENDING, define_outbox_tables
from yrkesresan_lti.outbox.worker import OutboxWorker
from yrkesresan_lti.testing.services import FakePlatformServices

AT = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


def _item(payload: bytes, n: int = 1, kind: str = AGS_SCORE_KIND) -> OutboxItem:
    return OutboxItem(n, AGS_TARGET, kind, f"d{n}", payload, 0)


@pytest.fixture
def deliverer(fake_platform: FakePlatformServices, signing_key: SigningKey) -> AgsScoreDeliverer:
    ags = AgsClient(ServiceSession(ServiceTokenClient(lambda: signing_key)))
    return AgsScoreDeliverer(ags, DictPlatformStore(registration_for(fake_platform)))


def test_payload_is_canonical_json_of_score_lineitem_and_platform(
    fake_platform: FakePlatformServices,
) -> None:
    score = Score.for_progress("3", 2, 5, AT)
    raw = score_payload(
        registration_for(fake_platform), "https://lms/li?x=1", score, id_factory=lambda: "abc"
    )
    body = json.loads(raw)
    assert body == {
        "id": "abc",
        "lineitem": "https://lms/li?x=1",
        "platform": {"issuer": fake_platform.issuer, "client_id": "probe-client-id"},
        "score": score.to_json(),
    }
    assert raw == json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def test_each_item_gets_its_own_outcome(
    fake_platform: FakePlatformServices, deliverer: AgsScoreDeliverer
) -> None:
    platform = registration_for(fake_platform)
    lineitem = fake_platform.add_line_item("Samtal", 5)
    good = score_payload(platform, lineitem, Score.for_progress("3", 2, 5, AT))
    not_gradable = score_payload(platform, lineitem, Score.for_progress("4", 2, 5, AT))
    gone = score_payload(
        platform, lineitem.replace("/1/", "/9/"), Score.for_progress("3", 1, 5, AT)
    )
    outcomes = deliverer.deliver(
        [
            _item(good, 1),
            _item(b"{not json", 2),
            _item(not_gradable, 3),
            _item(gone, 4),
            _item(good, 5, kind="xapi-statement"),
        ]
    )
    assert [o.status for o in outcomes] == [
        DeliveryStatus.DELIVERED,
        DeliveryStatus.REJECTED,
        DeliveryStatus.RETRY,  # an admin can fix grading in Moodle: keep trying
        DeliveryStatus.REJECTED,
        DeliveryStatus.REJECTED,
    ]
    assert [s["userId"] for _, s in fake_platform.scores] == ["3"]


def test_unknown_platform_is_dead_lettered(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    ags = AgsClient(ServiceSession(ServiceTokenClient(lambda: signing_key)))
    payload = score_payload(
        registration_for(fake_platform), "https://x/li", Score.for_progress("3", 1, 2, AT)
    )
    [outcome] = AgsScoreDeliverer(ags, DictPlatformStore()).deliver([_item(payload)])
    assert outcome.status is DeliveryStatus.REJECTED
    assert "no longer registered" in (outcome.reason or "")


def test_worker_posts_queued_scores_and_retries_when_the_lms_is_down(
    fake_platform: FakePlatformServices, deliverer: AgsScoreDeliverer, tmp_path: Path
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    metadata = MetaData()
    tables = define_outbox_tables(metadata)
    metadata.create_all(engine)
    outbox = Outbox(tables)
    platform = registration_for(fake_platform)
    lineitem = fake_platform.add_line_item("Samtal", 5)
    with engine.begin() as conn:
        outbox.enqueue(
            conn,
            [score_payload(platform, lineitem, Score.for_progress("3", 5, 5, AT))],
            [AGS_TARGET],
            kind=AGS_SCORE_KIND,
        )
    worker = OutboxWorker(engine, {AGS_TARGET: deliverer}, outbox=outbox)
    fake_platform.fail("/scores", 503)
    worker.flush()
    with engine.connect() as conn:
        assert conn.execute(select(tables.entries.c.status)).scalar_one() == PENDING
    worker.flush()
    with engine.connect() as conn:
        assert conn.execute(select(tables.entries.c.status)).scalar_one() == DELIVERED
    assert [s["scoreGiven"] for _, s in fake_platform.scores] == [5]

    with engine.begin() as conn:
        outbox.enqueue(
            conn,
            [
                score_payload(
                    platform, lineitem.replace("/1/", "/7/"), Score.for_progress("3", 1, 5, AT)
                )
            ],
            [AGS_TARGET],
            kind=AGS_SCORE_KIND,
        )
    worker.flush()
    with engine.connect() as conn:
        statuses = sorted(conn.execute(select(tables.entries.c.status)).scalars())
    assert statuses == [DEAD, DELIVERED]
    engine.dispose()


def test_every_platform_answer_is_told_to_the_answer_hook(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    heard: list[tuple[str, int | None]] = []
    ags = AgsClient(ServiceSession(ServiceTokenClient(lambda: signing_key)))
    platform = registration_for(fake_platform)
    deliverer = AgsScoreDeliverer(
        ags, DictPlatformStore(platform), on_answer=lambda *answer: heard.append(answer)
    )
    lineitem = fake_platform.add_line_item("Samtal", 5)
    good = score_payload(platform, lineitem, Score.for_progress("3", 2, 5, AT))
    not_gradable = score_payload(platform, lineitem, Score.for_progress("4", 2, 5, AT))
    gone = score_payload(
        platform, lineitem.replace("/1/", "/9/"), Score.for_progress("3", 1, 5, AT)
    )

    deliverer.deliver([_item(good, 1), _item(b"{not json", 2), _item(not_gradable, 3)])
    deliverer.deliver([_item(gone, 4)])

    assert [outcome for outcome, _ in heard] == ["delivered", "dead", "retry", "dead"]
    assert [status for _, status in heard][:2] == [200, None]
    assert 400 <= (heard[2][1] or 0) < 500
    assert heard[3][1] == 404
