"""Comparing what we sent with what an LRS holds: by meaning, not by bytes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.lrs.adl_double import _as_stored
from tests.lrs.conftest import EXPERIENCED, statement
from yrkesresan_lti.xapi.sameness import differing_fields, same_statement


def sent() -> dict[str, Any]:
    made = statement(registration="5D2B7E10-3C4F-4A6B-8D9E-1F2A3B4C5D6E")
    made["context"]["contextActivities"] = {
        "parent": {"id": "https://yrkesresan.se/id/x", "objectType": "Activity"}
    }
    return made


def test_the_statement_as_adl_returns_it_is_the_one_we_sent() -> None:
    ours = sent()
    theirs = _as_stored(ours, "lrs-user")
    assert theirs["timestamp"] != ours["timestamp"]  # …123000+00:00 for …123+00:00
    assert {"version", "stored", "authority"} <= theirs.keys()
    assert same_statement(ours, theirs)
    assert differing_fields(ours, theirs) == []


def test_a_z_timestamp_equals_the_same_instant_with_an_offset() -> None:
    ours = {**sent(), "timestamp": "2026-11-22T06:01:02.123Z"}
    theirs = {**ours, "timestamp": "2026-11-22T07:01:02.123000+01:00"}
    assert same_statement(ours, theirs)


def test_lists_defaults_and_upper_case_ids_are_forms_not_differences() -> None:
    ours = sent()
    theirs = copy.deepcopy(ours)
    theirs["id"] = ours["id"].upper()
    theirs["context"]["registration"] = ours["context"]["registration"].lower()
    theirs["context"]["contextActivities"]["parent"] = [{"id": "https://yrkesresan.se/id/x"}]
    del theirs["object"]["objectType"]
    theirs["actor"]["objectType"] = "Agent"
    assert same_statement(ours, theirs)


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("verb", {"id": EXPERIENCED}),
        ("timestamp", "2020-01-01T00:00:00.000Z"),
        ("actor", {"account": {"homePage": "https://yrkesresan.se", "name": "someone-else"}}),
        ("result", {"completion": True}),
    ],
)
def test_a_changed_property_is_a_different_statement(field: str, change: object) -> None:
    ours = sent()
    theirs = {**_as_stored(ours, "lrs-user"), field: change}
    assert not same_statement(ours, theirs)
    assert differing_fields(ours, theirs) == [field]
