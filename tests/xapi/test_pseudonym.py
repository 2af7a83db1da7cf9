"""Pseudonyms and registrations: stable where they must be, different where they must differ."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.registration import registration_uuid

KEY = "a-long-enough-pseudonym-key-for-tests"
OTHER_KEY = "another-long-enough-pseudonym-key-xyz"
ISSUER = "https://moodle.alingsas.se"
BASE = "https://yrkesresan.se/id/"
COURSE = f"{BASE}journeys/barn-och-unga/courses/samtal-med-barn"
OCCASION = f"{COURSE}/occasions/goteborg-ht-2027"

texts = st.text(min_size=1, max_size=40)


@given(texts, texts)
def test_same_issuer_sub_and_key_give_the_same_pseudonym(issuer: str, sub: str) -> None:
    assert Pseudonymizer(KEY).pseudonym(issuer, sub) == Pseudonymizer(KEY).pseudonym(issuer, sub)


@given(texts, texts, texts)
def test_other_issuers_give_other_pseudonyms(issuer: str, other: str, sub: str) -> None:
    if issuer != other:
        pseudonymizer = Pseudonymizer(KEY)
        assert pseudonymizer.pseudonym(issuer, sub) != pseudonymizer.pseudonym(other, sub)


@given(texts, texts)
def test_other_keys_give_other_pseudonyms(issuer: str, sub: str) -> None:
    assert Pseudonymizer(KEY).pseudonym(issuer, sub) != Pseudonymizer(OTHER_KEY).pseudonym(
        issuer, sub
    )


def test_issuer_and_sub_cannot_be_shifted_into_each_other() -> None:
    pseudonymizer = Pseudonymizer(KEY)
    assert pseudonymizer.pseudonym("https://a.se/1", "2") != pseudonymizer.pseudonym(
        "https://a.se/", "12"
    )


def test_pseudonym_fits_the_50_characters_every_lrs_stores_and_hides_the_sub() -> None:
    value = Pseudonymizer(KEY).pseudonym(ISSUER, "4711")
    assert len(value) == 32  # 128 bits; ADL's LRS keeps account names in varchar(50)
    int(value, 16)
    assert "4711" not in value


@given(texts, texts)
def test_the_pseudonym_is_the_start_of_the_one_before_profile_1_2(issuer: str, sub: str) -> None:
    """LRS consumers map an old actor to the new one without the key: the first 32 hex."""
    pseudonymizer = Pseudonymizer(KEY)
    old = pseudonymizer.digest(issuer, sub)
    assert len(old) == 64
    assert pseudonymizer.pseudonym(issuer, sub) == old[:32]


@pytest.mark.parametrize("key", [KEY, KEY.encode(), SecretStr(KEY)])
def test_the_key_may_be_text_bytes_or_secret(key: str | bytes | SecretStr) -> None:
    assert Pseudonymizer(key).pseudonym(ISSUER, "1") == Pseudonymizer(KEY).pseudonym(ISSUER, "1")


def test_a_short_key_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigurationError, match="YRKESRESAN_PSEUDONYM_KEY"):
        Pseudonymizer("short")


def test_from_settings_uses_the_pseudonym_key() -> None:
    settings = Settings(_env_file=None, pseudonym_key=SecretStr(KEY))
    assert Pseudonymizer.from_settings(settings).pseudonym(ISSUER, "1") == Pseudonymizer(
        KEY
    ).pseudonym(ISSUER, "1")


def test_from_settings_without_any_key_says_how_to_set_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("YRKESRESAN_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("YRKESRESAN_SECRET_KEY", raising=False)
    settings = Settings(_env_file=None, instance_path=tmp_path / "instance")
    with pytest.raises(ConfigurationError, match="YRKESRESAN_PSEUDONYM_KEY"):
        Pseudonymizer.from_settings(settings)
    assert not (tmp_path / "instance").exists()  # nothing created behind the adapter's back


def test_from_settings_without_a_pseudonym_key_derives_it_from_the_secret_key() -> None:
    settings = Settings(_env_file=None, secret_key=SecretStr("s" * 32))
    derived = Pseudonymizer.from_settings(settings).pseudonym(ISSUER, "1")
    assert derived == Pseudonymizer.from_secret(b"s" * 32).pseudonym(ISSUER, "1")
    assert derived != Pseudonymizer("s" * 32).pseudonym(ISSUER, "1")


def test_the_key_never_shows_in_repr() -> None:
    assert KEY not in repr(Pseudonymizer(KEY))


def test_registration_is_deterministic_uuid5() -> None:
    first = registration_uuid(BASE, "p" * 64, COURSE)
    assert first == registration_uuid(BASE, "p" * 64, COURSE)
    assert uuid.UUID(first).version == 5


@pytest.mark.parametrize(
    "changed",
    [
        (BASE, "q" * 64, COURSE, None),
        (BASE, "p" * 64, f"{BASE}journeys/barn-och-unga/courses/annan", None),
        (BASE, "p" * 64, COURSE, OCCASION),
        ("https://annan.example/id/", "p" * 64, COURSE, None),
    ],
)
def test_registration_differs_per_learner_course_occasion_and_catalog(
    changed: tuple[str, str, str, str | None],
) -> None:
    assert registration_uuid(*changed) != registration_uuid(BASE, "p" * 64, COURSE)
