"""AGS: scores from progress, line items found or created, typed errors an admin can act on."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
import requests
import responses

from tests.advantage.conftest import MOODLE, fixture_json, registration_for
from yrkesresan_lti.exceptions import (
    ServiceNotEnabled,
    ServiceNotFound,
    ServiceRejected,
    ServiceUnavailable,
)
from yrkesresan_lti.lti.advantage.ags import (
    ENDPOINT_CLAIM,
    ActivityProgress,
    AgsClient,
    AgsEndpoint,
    GradingProgress,
    LineItem,
    Score,
    rfc3339,
)
from yrkesresan_lti.lti.advantage.service_token import ServiceTokenClient
from yrkesresan_lti.lti.advantage.transport import ServiceSession
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.testing.services import FakePlatformServices

NODE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal"
AT = datetime(2026, 11, 22, 5, 34, 26, 120000, tzinfo=UTC)


def _ags(key: SigningKey) -> AgsClient:
    return AgsClient(ServiceSession(ServiceTokenClient(lambda: key)))


@pytest.mark.parametrize(
    ("completed", "activity", "grading"),
    [
        # FullyGraded even with some or none done: Moodle keeps scoreGiven of nothing else.
        (0, ActivityProgress.INITIALIZED, GradingProgress.FULLY_GRADED),
        (3, ActivityProgress.IN_PROGRESS, GradingProgress.FULLY_GRADED),
        (7, ActivityProgress.COMPLETED, GradingProgress.FULLY_GRADED),
    ],
)
def test_score_follows_task_progress(
    completed: int, activity: ActivityProgress, grading: GradingProgress
) -> None:
    body = Score.for_progress("3", completed, 7, AT).to_json()
    assert body == {
        "userId": "3",
        "scoreGiven": completed,
        "scoreMaximum": 7,
        "activityProgress": activity.value,
        "gradingProgress": grading.value,
        "timestamp": "2026-11-22T05:34:26.120+00:00",
    }


def test_timestamp_is_utc_with_milliseconds_and_colon_offset() -> None:
    stockholm = AT.astimezone(timezone(timedelta(hours=1)))
    assert rfc3339(stockholm) == "2026-11-22T05:34:26.120+00:00"
    with pytest.raises(ValueError, match="timezone"):
        rfc3339(datetime(2026, 1, 1))


def test_impossible_progress_is_refused() -> None:
    with pytest.raises(ValueError, match="completed"):
        Score.for_progress("3", 8, 7, AT)


def test_endpoint_claim_from_moodle_launch() -> None:
    claim = fixture_json("id_token.resource-link.claims.json")[ENDPOINT_CLAIM]
    endpoint = AgsEndpoint.from_claim(claim)
    assert endpoint is not None
    assert endpoint.lineitem is not None
    assert endpoint.lineitem.endswith("/lineitem?type_id=1")
    assert endpoint.can("https://purl.imsglobal.org/spec/lti-ags/scope/score")
    assert AgsEndpoint.from_claim(None) is None


def test_score_reaches_moodle_shaped_line_item_with_query(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    platform = registration_for(fake_platform)
    lineitem = fake_platform.add_line_item("Samtal", 7)
    ags = _ags(signing_key)
    ags.post_score(platform, lineitem, Score.for_progress("3", 7, 7, AT))
    assert fake_platform.scores == [(1, Score.for_progress("3", 7, 7, AT).to_json())]
    assert ("POST", "/mod/lti/services.php/2/lineitems/1/lineitem/scores?type_id=1") in (
        fake_platform.requests
    )
    results = ags.results(platform, lineitem, user_id="3")
    assert [(r["userId"], r["resultScore"]) for r in results] == [("3", 100)]


def test_line_item_is_created_once_then_found_by_resource_id(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    platform = registration_for(fake_platform)
    endpoint = AgsEndpoint(lineitems=fake_platform.lineitems_url())
    fake_platform.add_line_item("Annat", 3, resourceId="https://other/node")
    ags = _ags(signing_key)
    first = ags.find_or_create_line_item(
        platform, endpoint, resource_id=NODE, label="Samtal", score_maximum=7
    )
    again = ags.find_or_create_line_item(
        platform, endpoint, resource_id=NODE, label="Samtal", score_maximum=7
    )
    assert first == again
    assert first.endswith("/lineitems/2/lineitem?type_id=1")
    created = fake_platform.line_items[2]
    assert created["resourceId"] == NODE
    assert created["scoreMaximum"] == 7


@pytest.mark.parametrize(
    ("body", "read"),
    [
        (
            {"id": "https://lms.example/li/9?type_id=1", "label": "Samtal", "scoreMaximum": 7,
             "resourceId": NODE, "resourceLinkId": 12, "tag": "yrkesresan"},
            ("https://lms.example/li/9?type_id=1", "Samtal", 7.0, NODE, "12", "yrkesresan"),
        ),
        (
            {"id": 9, "label": {"sv": "x"}, "scoreMaximum": "100", "resourceId": ["x"]},
            (None, "", 0.0, None, None, None),
        ),
        ({"id": "http://[", "scoreMaximum": True, "tag": "a\x00b"},
         (None, "", 0.0, None, None, None)),
        ({"id": "javascript:alert(1)", "label": "L" * 300},
         (None, "L" * 254 + "…", 0.0, None, None, None)),
    ],
    ids=["moodle", "wrong types", "unreachable and unsafe", "script and long label"],
)  # fmt: skip
def test_a_line_item_from_the_platform_is_read_as_untrusted(
    body: dict[str, object], read: tuple[object, ...]
) -> None:
    """Before, ``id`` and the other fields were kept as sent (an int or a dict became the URL
    scores were posted to) and ``"scoreMaximum": {}`` raised ``TypeError``."""
    item = LineItem.from_json(body)
    assert (
        item.id,
        item.label,
        item.score_maximum,
        item.resource_id,
        item.resource_link_id,
        item.tag,
    ) == read


def test_a_line_item_without_a_usable_id_is_not_taken(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    platform = registration_for(fake_platform)
    fake_platform.add_line_item("Samtal", 7, resourceId=NODE)
    fake_platform.line_items[1]["id"] = 17  # a platform that answers with a number
    created = _ags(signing_key).find_or_create_line_item(
        platform,
        AgsEndpoint(lineitems=fake_platform.lineitems_url()),
        resource_id=NODE,
        label="Samtal",
        score_maximum=7,
    )
    assert created.endswith("/lineitems/2/lineitem?type_id=1")  # a new one, not "17"


def test_launch_line_item_is_used_as_is(signing_key: SigningKey) -> None:
    url = "https://lms.example/li/9?type_id=1"
    endpoint = AgsEndpoint(lineitem=url, lineitems="https://lms.example/li?type_id=1")
    assert (
        _ags(signing_key).find_or_create_line_item(
            MOODLE, endpoint, resource_id=NODE, label="x", score_maximum=1
        )
        == url
    )


def test_no_ags_in_launch_explains_how_to_enable_it(signing_key: SigningKey) -> None:
    with pytest.raises(ServiceNotEnabled, match="Assignment and Grade Services"):
        _ags(signing_key).find_or_create_line_item(
            MOODLE, AgsEndpoint(), resource_id=NODE, label="x", score_maximum=1
        )


def test_user_who_cannot_be_graded_gets_moodle_advice(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    lineitem = fake_platform.add_line_item("Samtal", 7)
    with pytest.raises(ServiceNotEnabled, match=r"Manage tools.*gradable student"):
        _ags(signing_key).post_score(
            registration_for(fake_platform), lineitem, Score.for_progress("4", 1, 7, AT)
        )


def test_service_switched_off_in_moodle_is_reported_with_the_menu_path(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    fake_platform.enabled_scopes = {
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
    }
    lineitem = fake_platform.add_line_item("Samtal", 7)
    with pytest.raises(ServiceNotEnabled, match="invalid_scope"):
        _ags(signing_key).post_score(
            registration_for(fake_platform), lineitem, Score.for_progress("3", 1, 7, AT)
        )


def test_deleted_line_item_is_not_found(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    gone = f"{fake_platform.base_url}/mod/lti/services.php/2/lineitems/99/lineitem?type_id=1"
    with pytest.raises(ServiceNotFound, match="place the activity again"):
        _ags(signing_key).post_score(
            registration_for(fake_platform), gone, Score.for_progress("3", 1, 7, AT)
        )


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, ServiceNotEnabled.__mro__[1]), (422, ServiceRejected), (503, ServiceUnavailable)],
)
def test_other_statuses_are_typed(
    fake_platform: FakePlatformServices, signing_key: SigningKey, status: int, error: type
) -> None:
    lineitem = fake_platform.add_line_item("Samtal", 7)
    fake_platform.fail("/scores", status, {"reason": "nej"})
    with pytest.raises(error):
        _ags(signing_key).post_score(
            registration_for(fake_platform), lineitem, Score.for_progress("3", 1, 7, AT)
        )


def test_stale_token_is_refreshed_once(
    fake_platform: FakePlatformServices, signing_key: SigningKey
) -> None:
    lineitem = fake_platform.add_line_item("Samtal", 7)
    fake_platform.fail("/scores", 401)
    _ags(signing_key).post_score(
        registration_for(fake_platform), lineitem, Score.for_progress("3", 2, 7, AT)
    )
    assert len(fake_platform.scores) == 1
    assert len(fake_platform.token_requests) == 2


@responses.activate
def test_score_post_timeout_is_retryable(signing_key: SigningKey) -> None:
    responses.add(responses.POST, MOODLE.auth_token_url, json={"access_token": "t"})
    url = "http://127.0.0.1:8080/mod/lti/services.php/2/lineitems/2/lineitem/scores?type_id=1"
    responses.add(responses.POST, url, body=requests.ConnectTimeout("slow"))
    with pytest.raises(ServiceUnavailable, match="The grade service"):
        _ags(signing_key).post_score(
            MOODLE, url.replace("/scores", ""), Score.for_progress("3", 1, 2, AT)
        )


@responses.activate
def test_score_is_sent_with_the_score_media_type(signing_key: SigningKey) -> None:
    responses.add(responses.POST, MOODLE.auth_token_url, json={"access_token": "t"})
    url = "http://127.0.0.1:8080/li/2/lineitem/scores?type_id=1"
    responses.add(responses.POST, url, status=204)
    _ags(signing_key).post_score(
        MOODLE, url.replace("/scores", ""), Score.for_progress("3", 1, 2, AT)
    )
    sent = responses.calls[1].request
    assert sent.headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
    assert sent.headers["Authorization"] == "Bearer t"
    assert json.loads(sent.body)["timestamp"] == "2026-11-22T05:34:26.120+00:00"  # type: ignore[arg-type]
