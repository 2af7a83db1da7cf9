"""Launch tokens: signed, bound to a launch id, short-lived."""

from __future__ import annotations

import pytest

from tests.conftest import FakeClock
from yrkesresan_lti.exceptions import LaunchExpired, LaunchTokenTampered
from yrkesresan_lti.lti.launch_token import LaunchTokens

from .conftest import START

SECRET = b"0123456789abcdef0123456789abcdef"


def test_a_token_resolves_to_its_launch_until_it_expires() -> None:
    clock = FakeClock(START)
    tokens = LaunchTokens(SECRET, ttl_seconds=600, clock=clock)
    token = tokens.issue("launch-0001")
    clock.advance(seconds=599)
    assert tokens.resolve(token) == "launch-0001"
    clock.advance(seconds=1)
    with pytest.raises(LaunchExpired) as info:
        tokens.resolve(token)
    assert type(info.value) is LaunchExpired


def test_another_secret_does_not_accept_the_token() -> None:
    token = LaunchTokens(SECRET, 600).issue("launch-0001")
    with pytest.raises(LaunchTokenTampered):
        LaunchTokens(b"another-secret-of-32-bytes-xxxxx", 600).resolve(token)


def _swap_launch(token: str) -> str:
    return token.replace("launch-0001", "launch-0002")


def _extend(token: str) -> str:
    parts = token.split(".")
    parts[2] = str(int(parts[2]) + 3600)
    return ".".join(parts)


@pytest.mark.parametrize(
    "edit",
    [
        _swap_launch,
        _extend,
        lambda t: t[:-2],
        lambda t: t + "A",
        lambda t: "v2" + t[2:],
        lambda t: t.replace(".", "", 1),
        lambda t: t + "." + "x" * 300,
        lambda t: "å" + t,
    ],
)
def test_an_edited_token_is_refused(edit: object) -> None:
    tokens = LaunchTokens(SECRET, 600)
    token = tokens.issue("launch-0001")
    assert callable(edit)
    with pytest.raises(LaunchTokenTampered):
        tokens.resolve(edit(token))


@pytest.mark.parametrize("token", [None, ""])
def test_no_token_is_an_expired_launch(token: str | None) -> None:
    with pytest.raises(LaunchExpired):
        LaunchTokens(SECRET, 600).resolve(token)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        LaunchTokens(b"short", 600)
