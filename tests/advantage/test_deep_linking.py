"""Deep Linking: request checks, picker tree and filter, the signed response."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
import requests

from tests.advantage.conftest import BASE, SAMTAL, fixture_json
from tests.conftest import FakeClock
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.exceptions import DeepLinkingError, UnknownCatalogNode
from yrkesresan_lti.lti.advantage.deep_linking import (
    CONTENT_ITEMS_CLAIM,
    DATA_CLAIM,
    DeepLinkingSettings,
    deep_linking_response,
)
from yrkesresan_lti.lti.advantage.picker import entries, filtered, item_for, task_count
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.testing.services import FakePlatformServices

LAUNCH = "https://tool.example/lti/launch"


def _settings(**changes: Any) -> DeepLinkingSettings:
    return DeepLinkingSettings.from_claim({**fixture_json("deep-linking-settings.json"), **changes})


def _decode(token: str, key: SigningKey, audience: str) -> dict[str, Any]:
    public = jwt.PyJWK(dict(key.public_jwk), algorithm="RS256")
    claims: dict[str, Any] = jwt.decode(
        token, public, algorithms=["RS256"], audience=audience, options={"verify_exp": False}
    )
    return claims


def test_moodle_settings_are_accepted() -> None:
    settings = _settings()
    assert settings.return_url.startswith("http://127.0.0.1:8080/mod/lti/contentitem_return.php")
    assert settings.accept_multiple is True
    assert settings.data is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"deep_link_return_url": ""}, "no_return_url"),
        ({"deep_link_return_url": "javascript:alert(1)"}, "no_return_url"),
        ({"accept_types": ["file", "html"]}, "unsupported_types"),
    ],
)
def test_bad_requests_are_refused(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(DeepLinkingError, match=r"deep_link_return_url|file, html") as raised:
        _settings(**change)
    assert raised.value.reason == reason
    with pytest.raises(DeepLinkingError, match="deep_linking_settings") as raised:
        DeepLinkingSettings.from_claim(None)
    assert raised.value.reason == "no_settings"


@pytest.mark.parametrize(
    ("change", "read"),
    [
        ({"accept_types": "ltiResourceLink"}, (True, "DL test")),
        ({"accept_multiple": "false"}, (False, "DL test")),
        ({"accept_multiple": "true", "title": {"sv": "x"}}, (True, None)),
    ],
    ids=["one type as a string", "multiple as the string false", "title not text"],
)
def test_odd_settings_are_read_as_the_platform_meant_them(
    change: dict[str, Any], read: tuple[object, ...]
) -> None:
    """``bool("false")`` is true: a platform that sends the string allowed several items."""
    settings = _settings(**change)
    assert settings.accept_types == ("ltiResourceLink",)
    assert (settings.accept_multiple, settings.title) == read


@pytest.mark.parametrize("types", [5, None, [{"type": "ltiResourceLink"}]])
def test_accept_types_that_are_no_list_of_types_are_refused_as_unsupported(types: object) -> None:
    """``5`` raised ``TypeError`` (a 500 for the deep-linking launch)."""
    with pytest.raises(DeepLinkingError) as raised:
        _settings(accept_types=types)
    assert raised.value.reason == "unsupported_types"


def test_task_counts_per_level(catalog: Catalog) -> None:
    assert task_count(catalog.node(BASE.rstrip("/"))) == 4
    assert task_count(catalog.node(BASE + "phases/ny")) == 3
    assert task_count(catalog.node(BASE + "stages/bas")) == 1
    assert task_count(catalog.node(SAMTAL)) == 3
    assert task_count(catalog.node(SAMTAL + "/preparation")) == 2
    assert task_count(catalog.node(SAMTAL + "/course-days")) == 0
    assert task_count(catalog.node(SAMTAL + "/follow-up/tasks/reflektera")) == 1


def test_picker_lists_the_tree_in_order(catalog: Catalog) -> None:
    tree = [(e.depth, e.kind, e.title) for e in entries(catalog)]
    assert tree[:5] == [
        (0, "journey", "Barn och unga"),
        (1, "phase", "Ny"),
        (2, "course", "Samtal med barn"),
        (3, "part", "Förberedelser"),
        (4, "task", "Läs handboken om barnsamtal"),
    ]
    assert (1, "stage", "Bas") in tree
    assert [e.title for e in entries(catalog, "en")][:2] == ["Children and young people", "New"]


def test_filter_keeps_matches_with_their_ancestors(catalog: Catalog) -> None:
    titles = [e.title for e in filtered(catalog, "  SAMTALSMETODER ")]
    assert titles == [
        "Barn och unga",
        "Ny",
        "Samtal med barn",
        "Förberedelser",
        "Se filmen om samtalsmetoder",
    ]
    assert filtered(catalog, "finns inte") == []
    assert len(filtered(catalog, "")) == len(list(entries(catalog)))


def test_item_carries_node_iri_context_and_score_maximum(catalog: Catalog) -> None:
    item = item_for(catalog, SAMTAL, launch_url=LAUNCH)
    body = item.to_json(with_line_item=True)
    assert body == {
        "type": "ltiResourceLink",
        "title": "Samtal med barn",
        "url": LAUNCH,
        "text": "Barn och unga › Ny — Att samtala med barn i utredningar.",
        "custom": {"yrkesresan_node": SAMTAL},
        "lineItem": {
            "scoreMaximum": 3,
            "label": "Samtal med barn",
            "resourceId": SAMTAL,
            "tag": "yrkesresan",
        },
    }
    assert "lineItem" not in item.to_json(with_line_item=False)
    days = item_for(catalog, SAMTAL + "/course-days", launch_url=LAUNCH)
    assert "lineItem" not in days.to_json(with_line_item=True)  # no tasks, nothing to grade
    with pytest.raises(UnknownCatalogNode):
        item_for(catalog, BASE + "courses/finns-inte", launch_url=LAUNCH)


def test_response_is_signed_with_our_key_and_echoes_data(
    catalog: Catalog, signing_key: SigningKey, clock: FakeClock
) -> None:
    settings = _settings(data="opaque-123")
    token = deep_linking_response(
        settings,
        [
            item_for(catalog, SAMTAL, launch_url=LAUNCH),
            item_for(catalog, BASE + "stages/bas", launch_url=LAUNCH),
        ],
        issuer="http://127.0.0.1:8080",
        client_id="probe-client-id",
        deployment_id="1",
        signing_key=signing_key,
        with_line_items=True,
        clock=clock,
        id_factory=lambda: "nonce-1",
    )
    assert jwt.get_unverified_header(token)["kid"] == signing_key.kid
    claims = _decode(token, signing_key, "http://127.0.0.1:8080")
    assert claims["iss"] == "probe-client-id"
    assert claims["nonce"] == "nonce-1"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == (
        "LtiDeepLinkingResponse"
    )
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == "1"
    assert claims[DATA_CLAIM] == "opaque-123"
    items = claims[CONTENT_ITEMS_CLAIM]
    assert [i["custom"]["yrkesresan_node"] for i in items] == [SAMTAL, BASE + "stages/bas"]
    assert [i["lineItem"]["scoreMaximum"] for i in items] == [3, 1]


def test_single_item_platform_refuses_two(catalog: Catalog, signing_key: SigningKey) -> None:
    items = [item_for(catalog, SAMTAL, launch_url=LAUNCH)] * 2
    with pytest.raises(DeepLinkingError, match="one item only"):
        deep_linking_response(
            _settings(accept_multiple=False),
            items,
            issuer="i",
            client_id="c",
            deployment_id="1",
            signing_key=signing_key,
            with_line_items=False,
        )


def test_platform_accepts_the_posted_response(
    fake_platform: FakePlatformServices, catalog: Catalog, signing_key: SigningKey
) -> None:
    return_url = f"{fake_platform.base_url}/mod/lti/contentitem_return.php?course=2&id=1"
    token = deep_linking_response(
        _settings(deep_link_return_url=return_url),
        [item_for(catalog, SAMTAL + "/preparation", launch_url=LAUNCH)],
        issuer=fake_platform.issuer,
        client_id=fake_platform.client_id,
        deployment_id="1",
        signing_key=signing_key,
        with_line_items=True,
    )
    response = requests.post(return_url, data={"JWT": token}, timeout=5)
    assert response.status_code == 200
    [received] = fake_platform.deep_link_responses
    assert received[CONTENT_ITEMS_CLAIM][0]["lineItem"]["resourceId"] == SAMTAL + "/preparation"
