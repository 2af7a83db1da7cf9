"""What each ledger row counts in the statistics summary (:mod:`.summary`): the distinct
units it makes per group and year key, and its candidates for "the latest" figures.

A unit is (figure, learner, unit, extra, year, grouping, gkey): the figure it counts, the
learner (0 where the figure counts no learner), a number (an occasion, a knowledge goal's
hash; 0 where none), a text (a municipality, a course; "" where none), the year key (0: all
years), the grouping (``total``, ``county``, ``municipality``, ``journey``, ``course``;
``goal`` for the knowledge goals) and the group's key ("" for the total and for unknown).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from yrkesresan_adapter.stats.schema import UNIT_KEY

ALL_YEARS = 0
GROUPINGS = ("total", "county", "municipality", "journey", "course")
BASES = {"seats": 1_000_000, "registered": 2, "evaluation": 8}
"""The packing base of each "latest" figure (as in :mod:`.query`)."""
REGISTRATION = ("registered", "unregistered")
CHUNK = 400

Unit = tuple[str, int, int, str, int, str, str]
"""(figure, learner, unit, extra, year, grouping, gkey): :data:`~.schema.UNIT_KEY`."""
CountKey = tuple[str, int, str, str, str]
"""(figure, year, grouping, gkey, extra): :data:`~.schema.COUNT_KEY`."""
Row = Mapping[str, Any]


def _groups(row: Row) -> Iterator[tuple[int, str, str]]:
    for year in (ALL_YEARS, int(row["year"])):
        for grouping in GROUPINGS:
            yield year, grouping, "" if grouping == "total" else str(row[grouping])


def event_units(row: Row) -> Iterator[Unit]:
    """The distinct units a ``stats_events`` row makes."""
    kind, learner = row["kind"], int(row["learner"])
    occasion = int(row["occasion"])
    for year, grouping, gkey in _groups(row):
        group = (year, grouping, gkey)
        if kind == "attended":
            yield ("occasions_held", 0, occasion, "", *group)
            yield ("attended", learner, occasion, "", *group)
            yield ("participants", learner, 0, "", *group)
            if row["municipality"]:
                yield ("municipalities", 0, 0, str(row["municipality"]), *group)
        elif kind == "completed":
            yield ("completions", learner, 0, str(row["course"]), *group)
        elif kind == "passed":
            yield ("goals_reached", learner, int(row["object_id"]), "", *group)
    if kind == "passed":
        for year in (ALL_YEARS, int(row["year"])):
            yield ("goal", learner, 0, str(row["course"]), year, "goal", str(row["object"]))


def activity_units(row: Row) -> Iterator[Unit]:
    """The ``users`` units a ``stats_activity`` row makes."""
    for year, grouping, gkey in _groups(row):
        yield ("users", int(row["learner"]), 0, "", year, grouping, gkey)


def event_latest(row: Row) -> Iterator[tuple[Unit, int]]:
    """The "latest" candidates of a ``stats_events`` row: (unit, packed value)."""
    kind, learner, at_ms = row["kind"], int(row["learner"]), int(row["at_ms"])
    occasion = int(row["occasion"])
    for year, grouping, gkey in _groups(row):
        group = (year, grouping, gkey)
        if kind == "attended":
            packed = at_ms * BASES["seats"] + int(row["seats"] or 0)
            yield ("seats", 0, occasion, "", *group), packed
        elif kind in REGISTRATION:
            packed = at_ms * BASES["registered"] + (1 if kind == "registered" else 0)
            yield ("registered", learner, occasion, "", *group), packed
        elif kind == "rating":
            packed = at_ms * BASES["evaluation"] + int(row["rating"] or 0)
            yield ("evaluation", learner, occasion, str(row["course"]), *group), packed


def count_key(unit: Unit) -> CountKey:
    figure, _learner, _unit, extra, year, grouping, gkey = unit
    return (figure, year, grouping, gkey, extra if figure == "goal" else "")


def latest_contribution(unit: Unit, packed: int) -> tuple[CountKey, int]:
    """Where and how much a "latest" unit adds to ``stats_counts``."""
    figure, _learner, _unit, _extra, year, grouping, gkey = unit
    value = packed % BASES[figure]
    if figure == "evaluation":
        return (figure, year, grouping, gkey, str(value)), 1
    return (figure, year, grouping, gkey, ""), value


def unit_of(found: Any) -> Unit:
    """The unit of a returned row whose first columns are :data:`~.schema.UNIT_KEY`."""
    return cast_unit(tuple(found[: len(UNIT_KEY)]))


def cast_unit(values: tuple[Any, ...]) -> Unit:
    figure, learner, unit, extra, year, grouping, gkey = values
    return (str(figure), int(learner), int(unit), str(extra), int(year), str(grouping), str(gkey))


def chunks(rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
