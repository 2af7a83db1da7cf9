"""The programme's figures from the statistics ledger, in SQL (see
:mod:`yrkesresan_lti.reports.figures` for what each one counts).

Without a filter, or with only ``--year``, the figures are read from the summary kept at
write time (:mod:`.summary`: one small query). Any other filter (region, municipality,
journey, course, alone or with a year) takes the exact query below, which reads the ledger.

The exact query: two queries, whatever the size of the history: one ``UNION ALL`` with a
branch per figure and grouping (the total and the five breakdowns), each branch
``(figure, grouping, key, rating, value)``, and one for the knowledge goals. Distinct
counts are written as a ``GROUP BY`` inside a ``GROUP BY`` (the database can hash them,
where ``COUNT(DISTINCT …)`` sorts). Every breakdown row counts as if its key were one more
filter, so "the latest registration", "the latest answer" and "the latest seats" are the
latest within the group. Python only assembles the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    null,
    select,
    text,
    union_all,
)

from yrkesresan_adapter.stats import summary
from yrkesresan_adapter.stats.schema import StatsTables, stats_tables
from yrkesresan_adapter.storage.scope import Executor, dialect_of
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
Measured = dict[tuple[str, str | None], dict[str, Any]]
WORK_MEM = "64MB"
"""PostgreSQL's memory per sort or hash of the figures' query (``SET LOCAL``, this
transaction only): the shared subresults of a large history stay off disk."""


def _gkey(table: Any, grouping: Grouping) -> ColumnElement[Any]:
    if grouping is None:
        return cast(null(), String)
    column = table.c[grouping]
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


@dataclass(frozen=True)
class _Ctes:
    """The filtered events of each kind, and the filtered activity, of one query (common
    table expressions its branches share)."""

    kinds: dict[tuple[str, ...], Any]
    activity: Any

    def events(self, kinds: tuple[str, ...]) -> Any:
        return self.kinds[kinds]


class FigureQueries:
    """Computes :class:`~yrkesresan_lti.reports.figures.Figures` from the ledger."""

    def __init__(self, tables: StatsTables = stats_tables) -> None:
        self.tables = tables

    def figures(
        self,
        db: Executor,
        filters: Filters,
        labels: Mapping[str, str] | None = None,
        *,
        exact: bool = False,
    ) -> Figures:
        """The figures; from the summary when it can answer ``filters`` (no filter, or
        only a year) unless ``exact``, else from the ledger."""
        if not exact and summarised(filters):
            kept, goals = summary.measured_rows(
                summary.read(db, filters.year, self.tables), filters.year
            )
            return Figures(
                filters=filters,
                total=_row(None, kept.get(("total", None), {})),
                breakdowns=_breakdowns(kept),
                goals=tuple(GoalRow(goal, course, n) for goal, course, n in goals),
                labels=dict(labels or {}),
            )
        measured: Measured = defaultdict(dict)
        if dialect_of(db) == "postgresql":  # sorts and shared subresults stay in memory
            db.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        for figure, dim, key, rating, value in db.execute(self.statement(filters)):
            row = measured[(dim, key)]
            if figure == "evaluation":
                if rating is not None and 1 <= int(rating) <= 5:
                    row.setdefault("ratings", [0] * 5)[int(rating) - 1] += int(value)
            else:
                row[figure] = int(value or 0)
        return Figures(
            filters=filters,
            total=_row(None, measured.get(("total", None), {})),
            breakdowns=_breakdowns(measured),
            goals=self._goals(db, filters),
            labels=dict(labels or {}),
        )

    def statement(self, filters: Filters) -> Any:
        """The one query of every figure in every grouping. The filtered events of each
        kind are read once (common table expressions the branches share)."""
        t, a = self.tables.events, self.tables.activity
        dims = ("learner", "year", "municipality", "county", "journey", "course")
        latest = ("at_ms",)
        kinds: dict[tuple[str, ...], Any] = {
            kinds: select(*(t.c[c] for c in (*dims, *extra)))
            .where(t.c.kind.in_(kinds), *_where(t, filters))
            .cte(name)
            for name, kinds, extra in (
                ("attended_events", ("attended",), ("occasion", "seats", *latest)),
                (
                    "registration_events",
                    ("registered", "unregistered"),
                    ("occasion", "kind", *latest),
                ),
                ("completed_events", ("completed",), ()),
                ("passed_events", ("passed",), ("object_id",)),
                ("rating_events", ("rating",), ("occasion", "rating", *latest)),
            )
        }
        ctes = _Ctes(
            kinds, select(*(a.c[c] for c in dims)).where(*_where(a, filters)).cte("activity")
        )
        branches: list[Select[Any]] = []
        for grouping in GROUPINGS:
            branches += [
                self._distinct("occasions_held", grouping, ctes, "attended", "occasion"),
                self._distinct("attended", grouping, ctes, "attended", "learner", "occasion"),
                self._distinct("participants", grouping, ctes, "attended", "learner"),
                self._municipalities(grouping, ctes),
                self._seats(grouping, ctes),
                self._registered(grouping, ctes),
                self._users(grouping, ctes),
                self._distinct("completions", grouping, ctes, "completed", "learner", "course"),
                self._distinct("goals_reached", grouping, ctes, "passed", "learner", "object_id"),
                self._ratings(grouping, ctes),
            ]
        return union_all(*branches)

    def _count(self, figure: str, grouping: Grouping, inner: Any) -> Select[Any]:
        """``(figure, grouping, key, NULL, count of inner's rows)`` per key."""
        return select(
            literal(figure),
            literal(grouping or "total"),
            inner.c.gkey,
            cast(null(), Integer),
            func.count(),
        ).group_by(inner.c.gkey)

    def _distinct(
        self, figure: str, grouping: Grouping, ctes: _Ctes, kind: str, *columns: str
    ) -> Select[Any]:
        """How many distinct ``columns`` the events of ``kind`` have, per key."""
        t = ctes.events((kind,))
        gkey = _gkey(t, grouping)
        chosen = [t.c[c] for c in columns]
        inner = select(gkey.label("gkey"), *chosen).group_by(gkey, *chosen).subquery()
        return self._count(figure, grouping, inner)

    def _municipalities(self, grouping: Grouping, ctes: _Ctes) -> Select[Any]:
        t = ctes.events(("attended",))
        gkey = _gkey(t, grouping)
        inner = (
            select(gkey.label("gkey"), t.c.municipality)
            .where(t.c.municipality != "")
            .group_by(gkey, t.c.municipality)
            .subquery()
        )
        return self._count("municipalities", grouping, inner)

    def _users(self, grouping: Grouping, ctes: _Ctes) -> Select[Any]:
        a = ctes.activity
        gkey = _gkey(a, grouping)
        inner = select(gkey.label("gkey"), a.c.learner).group_by(gkey, a.c.learner).subquery()
        return self._count("users", grouping, inner)

    def _latest(
        self,
        grouping: Grouping,
        ctes: _Ctes,
        kinds: tuple[str, ...],
        value: Any,
        base: int,
        *by: str,
    ) -> Any:
        """Per (key, ``by``): ``value`` of the newest event of ``kinds`` (0 <= value < base).
        Packed as ``max(at_ms * base + value)``, a ``GROUP BY`` the database hashes, where a
        window function would sort; of two events in the same millisecond the higher value
        wins."""
        t = ctes.events(kinds)
        gkey = _gkey(t, grouping)
        chosen = [t.c[b] for b in by]
        packed = func.max(t.c.at_ms * base + value(t)).label("packed")
        return select(gkey.label("gkey"), packed).group_by(gkey, *chosen).subquery()

    def _seats(self, grouping: Grouping, ctes: _Ctes) -> Select[Any]:
        """The seats of each occasion held, as its latest attendance in the group carries
        them, summed."""
        base = 1_000_000
        latest = self._latest(
            grouping,
            ctes,
            ("attended",),
            lambda t: func.coalesce(t.c.seats, 0),
            base,
            "occasion",
        )
        return (
            select(
                literal("seats"),
                literal(grouping or "total"),
                latest.c.gkey,
                cast(null(), Integer),
                func.sum(latest.c.packed % base),
            )
        ).group_by(latest.c.gkey)

    def _registered(self, grouping: Grouping, ctes: _Ctes) -> Select[Any]:
        kinds = ("registered", "unregistered")
        latest = self._latest(
            grouping,
            ctes,
            kinds,
            lambda t: case((t.c.kind == "registered", 1), else_=0),
            2,
            "learner",
            "occasion",
        )
        return (
            select(
                literal("registered"),
                literal(grouping or "total"),
                latest.c.gkey,
                cast(null(), Integer),
                func.count(),
            )
            .where(latest.c.packed % 2 == 1)
            .group_by(latest.c.gkey)
        )

    def _ratings(self, grouping: Grouping, ctes: _Ctes) -> Select[Any]:
        latest = self._latest(
            grouping,
            ctes,
            ("rating",),
            lambda t: func.coalesce(t.c.rating, 0),
            8,
            "learner",
            "course",
            "occasion",
        )
        rating = (latest.c.packed % 8).label("rating")
        return select(
            literal("evaluation"),
            literal(grouping or "total"),
            latest.c.gkey,
            rating,
            func.count(),
        ).group_by(latest.c.gkey, rating)

    def _goals(self, db: Executor, filters: Filters) -> tuple[GoalRow, ...]:
        t = self.tables.events
        inner = (
            select(t.c.object, t.c.course, t.c.learner)
            .where(t.c.kind == "passed", *_where(t, filters))
            .group_by(t.c.object, t.c.course, t.c.learner)
            .subquery()
        )
        query = (
            select(inner.c.object, inner.c.course, func.count())
            .group_by(inner.c.object, inner.c.course)
            .order_by(inner.c.course, inner.c.object)
        )
        return tuple(GoalRow(goal, course, int(n)) for goal, course, n in db.execute(query))


def summarised(filters: Filters) -> bool:
    """Whether the summary answers ``filters``: none given, or only the year."""
    return replace(filters, year=None) == Filters()


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
