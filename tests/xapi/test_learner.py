"""Learner.from_launch: what a launch and the platform registration tell the statements."""

from __future__ import annotations

from typing import Any

from tests.launch_factory import launch_context
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.xapi.learner import Learner

KIM: dict[str, Any] = {
    "launch_id": "l-1",
    "issuer": "https://moodle.alingsas.se",
    "client_id": "yrkesresan-client",
    "deployment_id": "deployment-1",
    "context_id": None,
    "context_title": None,
    "name": None,
    "given_name": "Kim",
    "family_name": "Svensson",
    "email": "kim@alingsas.se",
    "locale": "sv_SE",
}


def _launch(**changes: Any) -> LaunchContext:
    return launch_context("4711", **{**KIM, **changes})


def _platform(send_names: bool = False) -> PlatformRegistration:
    return PlatformRegistration(
        issuer="https://moodle.alingsas.se",
        client_id="yrkesresan-client",
        name="Alingsås kommun",
        auth_login_url="https://moodle.alingsas.se/mod/lti/auth.php",
        auth_token_url="https://moodle.alingsas.se/mod/lti/token.php",
        key_set_url="https://moodle.alingsas.se/mod/lti/certs.php",
        send_names=send_names,
    )


def test_learner_from_launch_carries_tenant_municipality_and_language() -> None:
    learner = Learner.from_launch(_launch(), _platform())
    assert (learner.issuer, learner.sub, learner.client_id, learner.deployment_id) == (
        "https://moodle.alingsas.se",
        "4711",
        "yrkesresan-client",
        "deployment-1",
    )
    assert learner.platform_name == "Alingsås kommun"
    assert learner.language == "sv-SE"
    assert learner.name == "Kim Svensson"
    assert learner.send_names is False


def test_the_platform_decides_whether_names_are_sent() -> None:
    assert Learner.from_launch(_launch(), _platform(send_names=True)).send_names is True


def test_a_launch_without_locale_or_names_gives_swedish_and_no_name() -> None:
    learner = Learner.from_launch(
        _launch(locale=None, given_name=None, family_name=None, name=None), _platform()
    )
    assert learner.language == "sv"
    assert learner.name is None


def test_repr_hides_personal_data() -> None:
    text = repr(Learner.from_launch(_launch(), _platform()))
    for personal in ("4711", "Kim", "kim@alingsas.se"):
        assert personal not in text


def test_an_unusable_locale_falls_back_to_swedish() -> None:
    assert Learner.from_launch(_launch(locale="sv_SE.UTF-8"), _platform()).language == "sv"
