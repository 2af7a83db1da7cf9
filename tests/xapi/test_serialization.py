"""statement_bytes: the exact bytes the outbox stores and resends."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
