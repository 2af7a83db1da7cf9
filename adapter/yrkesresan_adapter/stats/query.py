"""The programme's figures from the statistics ledger, in SQL (see
:mod:`yrkesresan_lti.reports.figures` for what each one counts).

One query per figure family, each a ``UNION ALL`` of the total and the five breakdowns
(eight queries in all, whatever the size of the history): the database aggregates, Python
only assembles the rows. Every breakdown row counts as if its key were one more filter, so
"the latest registration" and "the latest answer" are the latest within the group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from yrkesresan_adapter.stats.schema import StatsTables, stats_tables
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.reports.figures import (
    DIMENSIONS,
    Dimension,
    EvaluationResult,
    Figures,
    Filters,
    GoalRow,
    Row,
    sort_rows,
)

Grouping = Dimension | None
GROUPINGS: tuple[Grouping, ...] = (None, *DIMENSIONS)
"""The total (None) and each breakdown."""
COLUMNS: dict[Dimension, str] = {
    "year": "year",
    "county": "county",
    "municipality": "municipality",
    "journey": "journey",
    "course": "course",
}
Key = tuple[str, str | None]
"""(grouping name, key): the total is ("total", None)."""
Measured = dict[Key, dict[str, Any]]


def _gkey(table: Any, grouping: Grouping) -> ColumnElement[Any]:
    if grouping is None:
        return cast(null(), String)
    column = table.c[COLUMNS[grouping]]
    if grouping == "year":
        return cast(column, String)
    return func.nullif(column, "")


def _where(table: Any, filters: Filters) -> list[ColumnElement[bool]]:
    wanted = {
        "year": filters.year,
        "county": filters.county,
        "municipality": filters.municipality,
        "journey": filters.journey,
        "course": filters.course,
    }
    return [table.c[name] == value for name, value in wanted.items() if value is not None]


def _pair(*columns: Any) -> ColumnElement[str]:
    joined: Any = columns[0]
    for column in columns[1:]:
        joined = joined + literal("\n") + column
    return joined  # type: ignore[no-any-return]


class FigureQueries:
    """Computes :class:`~yrkesresan_lti.reports.figures.Figures` from the ledger."""

    def __init__(self, tables: StatsTables = stats_tables) -> None:
        self.tables = tables

    def figures(
        self, db: Executor, filters: Filters, labels: Mapping[str, str] | None = None
    ) -> Figures:
        measured: Measured = defaultdict(dict)
        for family in (
            self._attended,
            self._seats,
            self._registered,
            self._users,
            self._completions,
            self._goals_reached,
        ):
            for dim, key, *values in db.execute(self._union(family, filters)):
                names = family.__name__.strip("_")
                row = measured[(dim, key)]
                for name, value in zip(FAMILY_COLUMNS[names], values, strict=True):
                    row[name] = int(value or 0)
        for dim, key, rating, count in db.execute(self._union(self._ratings, filters)):
            distribution = measured[(dim, key)].setdefault("ratings", [0] * 5)
            if rating is not None and 1 <= int(rating) <= 5:
                distribution[int(rating) - 1] += int(count)
        return Figures(
            filters=filters,
            total=_row(None, measured.get(("total", None), {})),
            breakdowns=_breakdowns(measured),
            goals=self._goals(db, filters),
            labels=dict(labels or {}),
        )

    def _union(self, family: Callable[[Grouping, Filters], Select[Any]], filters: Filters) -> Any:
        return union_all(*(family(grouping, filters) for grouping in GROUPINGS))

    def _events(self, kind: str | tuple[str, ...], filters: Filters) -> list[Any]:
        t = self.tables.events
        kinds = (kind,) if isinstance(kind, str) else kind
        return [t.c.kind.in_(kinds), *_where(t, filters)]

    def _attended(self, grouping: Grouping, filters: Filters) -> Select[Any]:
        t = self.tables.events
        gkey = _gkey(t, grouping)
        return (
            select(
                literal(grouping or "total"),
                gkey,
                func.count(t.c.occasion.distinct()),
                func.count(_pair(t.c.learner, t.c.occasion).distinct()),
                func.count(t.c.learner.distinct()),
                func.count(func.nullif(t.c.municipality, "").distinct()),
            )
            .where(*self._events("attended", filters))
            .group_by(gkey)
        )

    def _seats(self, grouping: Grouping, filters: Filters) -> Select[Any]:
        """The seats of each occasion held: the latest value its events carry (in the
        group, under the filters), summed."""
        t = self.tables.events
        gkey = _gkey(t, grouping)
        held = (
            select(gkey.label("gkey"), t.c.occasion)
            .where(*self._events("attended", filters))
            .distinct()
            .subquery()
        )
        order = (t.c.at.desc(), t.c.statement_id.desc())
        rank = func.row_number().over(partition_by=(gkey, t.c.occasion), order_by=order)
        carried = (
            select(gkey.label("gkey"), t.c.occasion, t.c.seats, rank.label("rank"))
            .where(t.c.seats.is_not(None), *_where(t, filters))
            .subquery()
        )
        joined = held.outerjoin(
            carried,
            and_(
                carried.c.gkey.is_not_distinct_from(held.c.gkey),
                carried.c.occasion == held.c.occasion,
                carried.c.rank == 1,
            ),
        )
        return (
            select(
                literal(grouping or "total"),
                held.c.gkey,
                func.sum(func.coalesce(carried.c.seats, 0)),
            )
            .select_from(joined)
            .group_by(held.c.gkey)
        )

    def _latest(
        self, grouping: Grouping, filters: Filters, kinds: tuple[str, ...], *by: str
    ) -> Any:
        t = self.tables.events
        gkey = _gkey(t, grouping)
        order = (t.c.at.desc(), t.c.statement_id.desc())
        rank = func.row_number().over(partition_by=(gkey, *(t.c[b] for b in by)), order_by=order)
        return (
            select(gkey.label("gkey"), t.c.kind, t.c.rating, rank.label("rank"))
            .where(*self._events(kinds, filters))
            .subquery()
        )

    def _registered(self, grouping: Grouping, filters: Filters) -> Select[Any]:
        kinds = ("registered", "unregistered")
        latest = self._latest(grouping, filters, kinds, "learner", "occasion")
        return (
            select(literal(grouping or "total"), latest.c.gkey, func.count())
            .where(latest.c.rank == 1, latest.c.kind == "registered")
            .group_by(latest.c.gkey)
        )

    def _ratings(self, grouping: Grouping, filters: Filters) -> Select[Any]:
        latest = self._latest(grouping, filters, ("rating",), "learner", "course", "occasion")
        return (
            select(literal(grouping or "total"), latest.c.gkey, latest.c.rating, func.count())
            .where(latest.c.rank == 1)
            .group_by(latest.c.gkey, latest.c.rating)
        )

    def _users(self, grouping: Grouping, filters: Filters) -> Select[Any]:
        a = self.tables.activity
        gkey = _gkey(a, grouping)
        return (
            select(literal(grouping or "total"), gkey, func.count(a.c.learner.distinct()))
            .where(*_where(a, filters))
            .group_by(gkey)
        )

    def _distinct_pairs(
        self, grouping: Grouping, filters: Filters, kind: str, second: str
    ) -> Select[Any]:
        t = self.tables.events
        gkey = _gkey(t, grouping)
        pairs = func.count(_pair(t.c.learner, t.c[second]).distinct())
        return (
            select(literal(grouping or "total"), gkey, pairs)
            .where(*self._events(kind, filters))
            .group_by(gkey)
        )

    def _completions(self, grouping: Grouping, filters: Filters) -> Select[Any]:
        return self._distinct_pairs(grouping, filters, "completed", "course")

    def _goals_reached(self, grouping: Grouping, filters: Filters) -> Select[Any]:
        return self._distinct_pairs(grouping, filters, "passed", "object")

    def _goals(self, db: Executor, filters: Filters) -> tuple[GoalRow, ...]:
        t = self.tables.events
        query = (
            select(t.c.object, t.c.course, func.count(t.c.learner.distinct()))
            .where(*self._events("passed", filters))
            .group_by(t.c.object, t.c.course)
            .order_by(t.c.course, t.c.object)
        )
        return tuple(GoalRow(goal, course, int(n)) for goal, course, n in db.execute(query))


FAMILY_COLUMNS: dict[str, tuple[str, ...]] = {
    "attended": ("occasions_held", "attended", "participants", "municipalities"),
    "seats": ("seats",),
    "registered": ("registered",),
    "users": ("users",),
    "completions": ("completions",),
    "goals_reached": ("goals_reached",),
}


def _row(key: str | None, values: Mapping[str, Any]) -> Row:
    ratings = values.get("ratings", [0] * 5)
    fields = {k: v for k, v in values.items() if k != "ratings"}
    return replace(Row(key), **fields, evaluation=EvaluationResult(tuple(ratings)))


def _breakdowns(measured: Measured) -> dict[Dimension, tuple[Row, ...]]:
    rows: dict[Dimension, dict[str | None, Row]] = {d: {} for d in DIMENSIONS}
    for (dim, key), values in measured.items():
        if dim == "total":
            continue
        dimension: Dimension = dim  # type: ignore[assignment]
        if key is None and dimension not in ("county", "municipality"):
            continue  # no course (journey) in the statement: only in the total
        rows[dimension][key] = _row(key, values)
    return {d: sort_rows(rows[d]) for d in DIMENSIONS}
