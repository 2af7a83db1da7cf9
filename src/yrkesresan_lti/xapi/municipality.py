"""Reading the municipality back from a statement (profile 1.5), for reports from an LRS.

A learner statement from 1.5 on names SCB's municipality in ``context.extensions``
(``{base}extensions/municipality-code``); older statements, statements whose municipality
was unknown, and codes that SCB's table no longer has read as ``None`` ("okänd kommun").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yrkesresan_lti.exceptions import UnknownMunicipality
from yrkesresan_lti.municipalities import Municipality, municipality
from yrkesresan_lti.xapi.vocabulary import MUNICIPALITY_CODE, SEATS


def statement_municipality(statement: Mapping[str, Any], iri_base: str) -> Municipality | None:
    """The municipality a statement names, or ``None`` when it names none we know."""
    extensions = (statement.get("context") or {}).get("extensions") or {}
    code = extensions.get(MUNICIPALITY_CODE.iri(iri_base))
    if not isinstance(code, str):
        return None
    try:
        return municipality(code)
    except UnknownMunicipality:
        return None


def activity_seats(activity: Mapping[str, Any], iri_base: str) -> int | None:
    """A course occasion activity's number of seats (``None`` before 1.5 or elsewhere)."""
    extensions = (activity.get("definition") or {}).get("extensions") or {}
    seats = extensions.get(SEATS.iri(iri_base))
    return seats if isinstance(seats, int) and not isinstance(seats, bool) else None
