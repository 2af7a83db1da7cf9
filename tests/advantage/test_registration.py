"""Dynamic Registration core: checks the platform, registers, stores once, Canvas variant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import responses

from tests.advantage.conftest import DictPlatformStore, fixture_json
from yrkesresan_lti.exceptions import RegistrationError
from yrkesresan_lti.lti.advantage.registration import TOOL_CONFIGURATION, DynamicRegistration
from yrkesresan_lti.lti.advantage.tool_urls import ToolUrls
from yrkesresan_lti.lti.stores import Deployment
from yrkesresan_lti.testing.services import FakePlatformServices, serve

URLS = ToolUrls("https://yrkesresan.example.se")


def PUBLIC(host: str) -> list[str]:
    """A resolver that places every host on a public address (no DNS in tests)."""
    return ["93.184.215.14"]


@pytest.fixture
def moodle() -> Iterator[FakePlatformServices]:
    platform = FakePlatformServices(client_id="moodle-client-7", deployment_id="3")
    with serve(platform):
        yield platform


@pytest.fixture
def canvas() -> Iterator[FakePlatformServices]:
    platform = FakePlatformServices(product="canvas", client_id="10000000000042")
    with serve(platform):
        yield platform


def test_moodle_registration_is_stored_with_its_deployment(moodle: FakePlatformServices) -> None:
    store = DictPlatformStore()
    outcome = DynamicRegistration(URLS, store).run(moodle.openid_configuration_url, "reg-token")
    assert outcome.pending is True  # Moodle: an admin must activate the tool
    assert outcome.deployment_id == "3"
    saved = store.find(moodle.issuer, "moodle-client-7")
    assert saved is not None
    assert saved.deployments == (Deployment("3", active=True),)
    assert saved.auth_token_url == moodle.token_url
    assert saved.key_set_url.endswith("/mod/lti/certs.php")
    assert saved.auth_login_url.endswith("/mod/lti/auth.php")
    [sent] = moodle.registrations
    assert sent["client_name"] == "Yrkesresan"
    assert sent["initiate_login_uri"] == "https://yrkesresan.example.se/lti/login"
    assert sent["redirect_uris"] == ["https://yrkesresan.example.se/lti/launch"]
    assert sent["jwks_uri"] == "https://yrkesresan.example.se/.well-known/jwks.json"
    assert set(sent["scope"].split()) == {
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    }
    tool = sent[TOOL_CONFIGURATION]
    assert tool["domain"] == "yrkesresan.example.se"
    assert [(m["type"], m.get("placements")) for m in tool["messages"]] == [
        ("LtiResourceLinkRequest", None),
        ("LtiDeepLinkingRequest", ["ContentArea"]),
    ]
    assert not any(key.startswith("https://canvas.instructure.com/") for key in tool)


def test_canvas_registration_gets_canvas_fields_and_placements(
    canvas: FakePlatformServices,
) -> None:
    outcome = DynamicRegistration(URLS, DictPlatformStore()).run(
        canvas.openid_configuration_url, "reg-token"
    )
    assert outcome.pending is False
    tool = canvas.registrations[0][TOOL_CONFIGURATION]
    assert tool["https://canvas.instructure.com/lti/privacy_level"] == "public"
    placements = {m["type"]: m["placements"] for m in tool["messages"]}
    assert placements == {
        "LtiResourceLinkRequest": ["course_navigation"],
        "LtiDeepLinkingRequest": ["link_selection", "assignment_selection"],
    }


def test_registering_again_keeps_earlier_deployments(moodle: FakePlatformServices) -> None:
    store = DictPlatformStore()
    DynamicRegistration(URLS, store).run(moodle.openid_configuration_url, "reg-token")
    moodle.deployment_id = "4"
    DynamicRegistration(URLS, store).run(moodle.openid_configuration_url, "reg-token")
    saved = store.find(moodle.issuer, "moodle-client-7")
    assert saved is not None
    assert {d.deployment_id for d in saved.deployments} == {"3", "4"}


def test_refused_token_stores_nothing(moodle: FakePlatformServices) -> None:
    store = DictPlatformStore()
    with pytest.raises(RegistrationError, match=r"401.*restart the registration"):
        DynamicRegistration(URLS, store).run(moodle.openid_configuration_url, "wrong-token")
    assert store.saves == 0


@responses.activate
def test_issuer_from_another_origin_is_refused() -> None:
    url = "https://moodle.kommun.se/mod/lti/openid-configuration.php"
    responses.add(responses.GET, url, json=_config("https://evil.example"))
    store = DictPlatformStore()
    with pytest.raises(RegistrationError, match="same origin"):
        DynamicRegistration(URLS, store).run(url, "t")
    assert store.saves == 0
    assert len(responses.calls) == 1  # nothing was posted anywhere


@responses.activate
def test_plain_http_is_refused_in_production() -> None:
    with pytest.raises(RegistrationError, match="HTTPS"):
        DynamicRegistration(URLS, DictPlatformStore(), production=True).run(
            "http://moodle.kommun.se/mod/lti/openid-configuration.php", "t"
        )
    assert len(responses.calls) == 0
    url = "https://moodle.kommun.se/mod/lti/openid-configuration.php"
    config = _config("https://moodle.kommun.se")
    config["token_endpoint"] = "http://moodle.kommun.se/mod/lti/token.php"
    responses.add(responses.GET, url, json=config)
    with pytest.raises(RegistrationError, match="token_endpoint"):
        DynamicRegistration(URLS, DictPlatformStore(), production=True, resolver=PUBLIC).run(
            url, "t"
        )


@responses.activate
@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1"])
def test_internal_addresses_are_refused_in_production(address: str) -> None:
    registration = DynamicRegistration(
        URLS, DictPlatformStore(), production=True, resolver=lambda host: [address]
    )
    with pytest.raises(RegistrationError, match="internal address"):
        registration.run("https://moodle.kommun.se/mod/lti/openid-configuration.php", "t")
    assert len(responses.calls) == 0


@responses.activate
def test_redirects_are_not_followed() -> None:
    url = "https://moodle.kommun.se/mod/lti/openid-configuration.php"
    responses.add(responses.GET, url, status=302, headers={"Location": "http://10.0.0.1/x"})
    with pytest.raises(RegistrationError, match="302"):
        DynamicRegistration(URLS, DictPlatformStore()).run(url, "t")
    assert len(responses.calls) == 1


@responses.activate
def test_oversized_answers_are_refused() -> None:
    url = "https://moodle.kommun.se/mod/lti/openid-configuration.php"
    responses.add(responses.GET, url, body=b"{" + b" " * (1024 * 1024 + 10) + b"}")
    with pytest.raises(RegistrationError, match="too large"):
        DynamicRegistration(URLS, DictPlatformStore()).run(url, "t")


@responses.activate
@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (requests.ReadTimeout("slow"), "did not answer .* within"),
        (requests.ConnectionError("down"), "cannot be reached"),
    ],
)
def test_platform_failures_during_registration_store_nothing(
    fault: Exception, message: str
) -> None:
    url = "https://moodle.kommun.se/mod/lti/openid-configuration.php"
    responses.add(responses.GET, url, json=_config("https://moodle.kommun.se"))
    responses.add(
        responses.POST, "https://moodle.kommun.se/mod/lti/openid-registration.php", body=fault
    )
    store = DictPlatformStore()
    with pytest.raises(RegistrationError, match=message):
        DynamicRegistration(URLS, store).run(url, "t")
    assert store.saves == 0


@responses.activate
def test_answer_without_client_id_stores_nothing() -> None:
    url = "https://moodle.kommun.se/mod/lti/openid-configuration.php"
    responses.add(responses.GET, url, json=_config("https://moodle.kommun.se"))
    responses.add(
        responses.POST,
        "https://moodle.kommun.se/mod/lti/openid-registration.php",
        json={"client_name": "Yrkesresan"},
    )
    store = DictPlatformStore()
    with pytest.raises(RegistrationError, match="client_id"):
        DynamicRegistration(URLS, store).run(url, "t")
    assert store.saves == 0


@responses.activate
def test_configuration_missing_endpoints_is_refused() -> None:
    url = "https://moodle.kommun.se/mod/lti/openid-configuration.php"
    config = _config("https://moodle.kommun.se")
    del config["registration_endpoint"]
    responses.add(responses.GET, url, json=config)
    with pytest.raises(RegistrationError, match="registration_endpoint"):
        DynamicRegistration(URLS, DictPlatformStore()).run(url, "t")


def _config(issuer: str) -> dict[str, object]:
    return {
        "issuer": issuer,
        "authorization_endpoint": "https://moodle.kommun.se/mod/lti/auth.php",
        "token_endpoint": "https://moodle.kommun.se/mod/lti/token.php",
        "jwks_uri": "https://moodle.kommun.se/mod/lti/certs.php",
        "registration_endpoint": "https://moodle.kommun.se/mod/lti/openid-registration.php",
        "https://purl.imsglobal.org/spec/lti-platform-configuration": {
            "product_family_code": "moodle"
        },
    }


@responses.activate
def test_real_moodle_configuration_is_accepted() -> None:
    config = fixture_json("openid-configuration.json")
    url = "http://127.0.0.1:8080/mod/lti/openid-configuration.php"
    responses.add(responses.GET, url, json=config)
    parsed = DynamicRegistration(URLS, DictPlatformStore()).fetch_configuration(url)
    assert parsed.product_family_code == "moodle"
    assert parsed.leaves_tool_pending
    document = DynamicRegistration(URLS, DictPlatformStore()).tool_registration(parsed)
    assert len(document["scope"].split()) == 5
