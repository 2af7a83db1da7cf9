"""Validation before send: a corpus of good and bad statements, and properties of the rules."""

from __future__ import annotations

import copy
import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yrkesresan_lti.exceptions import InvalidStatement, XapiError
from yrkesresan_lti.xapi.validation import validate_statement
from yrkesresan_lti.xapi.validation.syntax import is_iri, is_language_tag

CORPUS = Path(__file__).parent / "corpus"
GOOD = sorted((CORPUS / "good").glob("*.json"))
BAD = sorted((CORPUS / "bad").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


def test_the_corpus_is_not_empty() -> None:
    assert len(GOOD) >= 20
    assert len(BAD) >= 40


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_statement_is_accepted(path: Path) -> None:
    statement = _load(path)["statement"]
    assert validate_statement(statement) is statement


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_statement_is_refused_naming_the_field(path: Path) -> None:
    case = _load(path)
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(case["statement"])
    assert caught.value.field == case["field"]
    assert case["field"] in str(caught.value)
    assert isinstance(caught.value, XapiError)


def _base() -> dict[str, Any]:
    statement: dict[str, Any] = _load(CORPUS / "good" / "hand-full-activity-statement.json")[
        "statement"
    ]
    return statement


@given(st.floats(min_value=-1, max_value=1))
def test_scaled_scores_within_minus_one_and_one_pass(scaled: float) -> None:
    statement = _base()
    statement["result"]["score"] = {"scaled": scaled}
    validate_statement(statement)


@given(
    st.one_of(
        st.floats(min_value=1, exclude_min=True, allow_infinity=False),
        st.floats(max_value=-1, exclude_max=True, allow_infinity=False),
    )
)
def test_scaled_scores_outside_minus_one_and_one_fail(scaled: float) -> None:
    statement = _base()
    statement["result"]["score"] = {"scaled": scaled}
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement)
    assert caught.value.field == "result.score.scaled"


@given(st.integers(-1000, 1000), st.integers(1, 1000), st.integers(-2000, 2000))
def test_raw_score_must_lie_within_min_and_max(low: int, width: int, raw: int) -> None:
    statement = _base()
    statement["result"]["score"] = {"raw": raw, "min": low, "max": low + width}
    if low <= raw <= low + width:
        validate_statement(statement)
    else:
        with pytest.raises(InvalidStatement) as caught:
            validate_statement(statement)
        assert caught.value.field == "result.score.raw"


@pytest.mark.parametrize("number", [math.nan, math.inf])
def test_scores_must_be_finite(number: float) -> None:
    statement = _base()
    statement["result"]["score"] = {"raw": number}
    with pytest.raises(InvalidStatement):
        validate_statement(statement)


ZONES = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@given(st.datetimes(timezones=ZONES))
def test_any_aware_timestamp_is_accepted(moment: datetime) -> None:
    statement = _base()
    statement["timestamp"] = moment.isoformat()
    validate_statement(statement)


@given(st.datetimes())
def test_naive_timestamps_are_refused(moment: datetime) -> None:
    statement = _base()
    statement["timestamp"] = moment.isoformat()
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement)
    assert caught.value.field == "timestamp"


@given(st.uuids())
def test_any_uuid_is_a_valid_statement_id(value: Any) -> None:
    statement = _base()
    statement["id"] = str(value)
    validate_statement(statement)


@given(st.text(alphabet="0123456789abcdef-", max_size=40))
def test_ids_that_are_not_8_4_4_4_12_hex_are_refused(text: str) -> None:
    statement = _base()
    statement["id"] = text
    parts = text.split("-")
    if [len(p) for p in parts] == [8, 4, 4, 4, 12]:
        validate_statement(statement)
    else:
        with pytest.raises(InvalidStatement) as caught:
            validate_statement(statement)
        assert caught.value.field == "id"


@pytest.mark.parametrize(
    "tag",
    ["sv", "sv-SE", "en-US", "zh-Hant-TW", "de-CH-1901", "x-private", "i-klingon", "sgn-BE-FR"],
)
def test_well_formed_language_tags(tag: str) -> None:
    assert is_language_tag(tag)


@pytest.mark.parametrize(
    "tag", ["", "sv_SE", "s", "sv-", "-sv", "svenska språket", "en-US-", "123"]
)
def test_malformed_language_tags(tag: str) -> None:
    assert not is_language_tag(tag)


@given(st.text(alphabet=st.characters(categories=["Zs", "Cc"]), min_size=1))
def test_iris_never_contain_white_space_or_controls(junk: str) -> None:
    assert not is_iri(f"https://yrkesresan.se/{junk}x")


def test_validation_does_not_change_the_statement() -> None:
    statement = _base()
    before = copy.deepcopy(statement)
    validate_statement(statement)
    assert statement == before


def test_a_statement_must_be_an_object() -> None:
    with pytest.raises(InvalidStatement, match="JSON object"):
        validate_statement([])  # type: ignore[arg-type]


def test_offsets_other_than_utc_count_as_time_zones() -> None:
    statement = _base()
    statement["timestamp"] = datetime(
        2026, 11, 22, 7, tzinfo=timezone(timedelta(hours=1))
    ).isoformat()
    validate_statement(statement)
