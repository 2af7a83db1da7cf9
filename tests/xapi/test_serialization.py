"""statement_bytes: the exact bytes the outbox stores and resends."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yrkesresan_lti.xapi import serialization
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.serialization import statement_bytes

from .events import EVENT_CASES, EventCase

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.parametrize("case", EVENT_CASES, ids=lambda c: c.id)
def test_same_statement_gives_identical_bytes(
    case: EventCase, factory: StatementFactory, learner: Learner
) -> None:
    statement = case.build(factory, learner)
    reordered = json.loads(json.dumps(dict(reversed(list(statement.items())))))
    assert statement_bytes(statement) == statement_bytes(reordered)
    assert statement_bytes(json.loads(statement_bytes(statement))) == statement_bytes(statement)


def test_bytes_are_compact_sorted_utf8_with_swedish_letters_kept() -> None:
    data = statement_bytes({"b": {"sv": "slutförde"}, "a": [1, 2]})
    assert data == '{"a":[1,2],"b":{"sv":"slutförde"}}'.encode()


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_bytes_round_trip_and_do_not_depend_on_key_order(document: dict[str, object]) -> None:
    data = statement_bytes(document)
    assert json.loads(data) == document
    assert statement_bytes(dict(reversed(list(document.items())))) == data


def test_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        statement_bytes({"raw": math.nan})


def _standard_library_form(value: object) -> bytes:
    """The form every release before orjson wrote (``json``'s own encoder)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


@pytest.mark.parametrize("case", EVENT_CASES, ids=lambda c: c.id)
def test_every_statement_we_build_has_the_bytes_earlier_releases_stored(
    case: EventCase, factory: StatementFactory, learner: Learner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an LRS that dedupes compares a resent statement with the one it holds: a statement
    # built again after an upgrade must not change its bytes. And orjson writes it: the
    # standard encoder (slower) is only the fallback.
    statement = case.build(factory, learner)
    expected = _standard_library_form(statement)
    monkeypatch.setattr(serialization, "_CANONICAL", None)  # the fallback would fail
    assert statement_bytes(statement) == expected


json_with_floats = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_with_floats, max_size=6))
def test_bytes_of_any_json_document_read_back_equal_and_are_stable(
    document: dict[str, object],
) -> None:
    data = statement_bytes(document)
    assert json.loads(data) == document
    assert statement_bytes(json.loads(data)) == data


@pytest.mark.parametrize("number", [math.inf, -math.inf])
def test_infinity_is_refused_like_not_a_number(number: float) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        statement_bytes({"result": {"score": {"raw": number}}})


def test_an_integer_beyond_64_bits_and_a_null_are_written() -> None:
    assert statement_bytes({"n": 2**70, "v": None}) == b'{"n":1180591620717411303424,"v":null}'
