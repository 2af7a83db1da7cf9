"""The deep-linking picker and response through the real adapter and launch flow."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import jwt
import pytest
from flask import Flask

from tests.advantage.conftest import BASE, SAMTAL
from tests.lti_fixtures import LaunchedClient, attach_simulator, launch, make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.advantage.deep_linking import CONTENT_ITEMS_CLAIM
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

CATALOG = Path(__file__).with_name("catalog.yaml")


@pytest.fixture
def app(tmp_path: Path, simulator: PlatformSimulator) -> Iterator[Flask]:
    app = make_app(tmp_path, catalog_path=CATALOG)
    attach_simulator(app, simulator)
    yield app
    AdapterState.of(app).services.db.dispose()


def _launch(
    app: Flask, simulator: PlatformSimulator, role: str, message: str = "deep", **custom: str
) -> LaunchedClient:
    return launch(
        app, simulator, SimLaunch(user=role, message=message, custom=tuple(custom.items()))
    )


def _form_of(html: str) -> tuple[str, str]:
    action = re.search(r'<form id="deep-link-return" method="post" action="([^"]+)"', html)
    token = re.search(r'name="JWT" value="([^"]+)"', html)
    assert action is not None, html[:500]
    assert token is not None
    return unescape(action.group(1)), token.group(1)


def _verify(app: Flask, token: str, audience: str) -> dict[str, Any]:
    jwks = app.test_client().get("/.well-known/jwks.json").get_json()
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwks["keys"] if k["kid"] == kid)
    claims: dict[str, Any] = jwt.decode(
        token, jwt.PyJWK(key, algorithm="RS256"), algorithms=["RS256"], audience=audience
    )
    return claims


def test_deep_linking_launch_lands_on_the_picker(app: Flask, simulator: PlatformSimulator) -> None:
    manager = _launch(app, simulator, "manager")
    assert manager.response.headers["Location"].startswith("/lti/deep-link?lt=")
    page = manager.get("/lti/deep-link")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert 'type="checkbox" name="node" value="' + SAMTAL + '"' in html
    assert "Samtal med barn" in html
    assert "3 uppgifter" in html
    assert '<label for="q">Sök i katalogen</label>' in html
    assert "script-src 'nonce-" in page.headers["Content-Security-Policy"]


def test_the_picker_speaks_the_language_of_the_launch(
    app: Flask, simulator: PlatformSimulator
) -> None:
    """A teacher whose Moodle is in English gets the picker in English (Swedish-only catalog
    texts stay Swedish)."""
    manager = launch(app, simulator, SimLaunch(user="manager", message="deep", locale="en"))
    html = manager.get("/lti/deep-link").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<label for="q">Search the catalog</label>' in html
    assert "3 tasks" in html
    assert "Sök i katalogen" not in html


def test_plain_get_filter_works_without_javascript(
    app: Flask, simulator: PlatformSimulator
) -> None:
    manager = _launch(app, simulator, "manager")
    html = manager.get("/lti/deep-link?q=lagstiftning").get_data(as_text=True)
    assert "Lagstiftning" in html
    assert "Bas" in html  # the match and its ancestors
    assert "Samtal med barn" not in html
    assert "3 träffar" in html


def test_selection_is_posted_back_signed_with_line_items(
    app: Flask, simulator: PlatformSimulator
) -> None:
    manager = _launch(app, simulator, "manager")
    response = manager.post(
        "/lti/deep-link", {"node": [SAMTAL, BASE + "stages/bas"], "action": "add"}
    )
    assert response.status_code == 200
    action, token = _form_of(response.get_data(as_text=True))
    assert action.startswith(simulator.services_url + "/deep-linking/return")
    assert f"form-action 'self' {simulator.issuer}" in response.headers["Content-Security-Policy"]
    claims = _verify(app, token, simulator.issuer)
    assert claims["iss"] == simulator.client_id
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == "1"
    items = claims[CONTENT_ITEMS_CLAIM]
    assert [(i["custom"]["yrkesresan_node"], i["lineItem"]["scoreMaximum"]) for i in items] == [
        (SAMTAL, 3),
        (BASE + "stages/bas", 1),
    ]
    assert items[0]["url"] == "http://localhost/lti/launch"


def test_a_resent_selection_is_refused(app: Flask, simulator: PlatformSimulator) -> None:
    manager = _launch(app, simulator, "manager")
    assert manager.post("/lti/deep-link", {"node": SAMTAL}).status_code == 200
    again = manager.post("/lti/deep-link", {"node": SAMTAL})
    assert again.status_code == 409
    assert "redan skickat" in again.get_data(as_text=True)


def test_cancel_sends_an_empty_selection(app: Flask, simulator: PlatformSimulator) -> None:
    manager = _launch(app, simulator, "admin")
    response = manager.post("/lti/deep-link", {"node": SAMTAL, "action": "cancel"})
    _, token = _form_of(response.get_data(as_text=True))
    assert _verify(app, token, simulator.issuer)[CONTENT_ITEMS_CLAIM] == []


def test_unknown_node_is_a_clear_400(app: Flask, simulator: PlatformSimulator) -> None:
    manager = _launch(app, simulator, "manager")
    response = manager.post("/lti/deep-link", {"node": BASE + "courses/finns-inte"})
    assert response.status_code == 400
    assert "finns inte i katalogen" in response.get_data(as_text=True)
    # the failed attempt did not use up the request
    assert manager.post("/lti/deep-link", {"node": SAMTAL}).status_code == 200


def test_learners_cannot_open_the_picker(app: Flask, simulator: PlatformSimulator) -> None:
    learner = _launch(app, simulator, "learner")
    assert learner.get("/lti/deep-link").status_code == 403


def test_resource_link_launch_is_not_a_deep_linking_request(
    app: Flask, simulator: PlatformSimulator
) -> None:
    manager = _launch(app, simulator, "manager", message="resource")
    response = manager.get("/lti/deep-link")
    assert response.status_code == 400
    assert "innehållsval" in response.get_data(as_text=True)


def test_placed_link_carries_its_node_into_the_launch(
    app: Flask, simulator: PlatformSimulator
) -> None:
    learner = _launch(app, simulator, "learner", message="resource", yrkesresan_node=SAMTAL)
    assert learner.context.custom["yrkesresan_node"] == SAMTAL


def test_unreadable_catalog_is_a_clear_503(tmp_path: Path, simulator: PlatformSimulator) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("iri_base: https://yrkesresan.se/id/\njourneys: []\n", encoding="utf-8")
    app = make_app(tmp_path, catalog_path=broken)
    attach_simulator(app, simulator)
    manager = _launch(app, simulator, "manager")
    response = manager.get("/lti/deep-link")
    assert response.status_code == 503
    assert "Katalogen kan inte läsas" in response.get_data(as_text=True)
    AdapterState.of(app).services.db.dispose()
