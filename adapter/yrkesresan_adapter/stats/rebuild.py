"""The statistics summary computed from the ledger in SQL (:func:`rebuild`): what the
Alembic revision ``h14p_0001`` fills the summary with, and what the tests compare the summary
kept at write time (:mod:`.summary`) with. Same units as :mod:`.units`, as ``INSERT …
SELECT … GROUP BY`` per figure, year key and grouping.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    SmallInteger,
    String,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    null,
    select,
)
from sqlalchemy.sql.elements import BindParameter

from yrkesresan_adapter.stats.schema import COUNT_KEY, UNIT_KEY, StatsTables, stats_tables
from yrkesresan_adapter.stats.units import ALL_YEARS, BASES, GROUPINGS, REGISTRATION
from yrkesresan_adapter.storage.scope import Executor


def _text(value: str) -> Any:
    return literal(value, String)


def rebuild(db: Executor, tables: StatsTables = stats_tables) -> None:
    """Compute the summary from the ledger, in SQL (replacing what is there)."""
    e, a = tables.events, tables.activity
    for table in (tables.counts, tables.latest, tables.units):
        db.execute(delete(table))
    zero = literal(0, BigInteger)
    for year in (literal(ALL_YEARS, SmallInteger), e.c.year):
        for grouping in GROUPINGS:
            gkey = _text("") if grouping == "total" else e.c[grouping]
            distinct: list[tuple[str, Any, Any, Any, ColumnElement[bool]]] = [
                ("occasions_held", zero, e.c.occasion, _text(""), e.c.kind == "attended"),
                ("attended", e.c.learner, e.c.occasion, _text(""), e.c.kind == "attended"),
                ("participants", e.c.learner, zero, _text(""), e.c.kind == "attended"),
                (
                    "municipalities",
                    zero,
                    zero,
                    e.c.municipality,
                    and_(e.c.kind == "attended", e.c.municipality != ""),
                ),
                ("completions", e.c.learner, zero, e.c.course, e.c.kind == "completed"),
                ("goals_reached", e.c.learner, e.c.object_id, _text(""), e.c.kind == "passed"),
            ]
            for figure, learner, unit, extra, where in distinct:
                _insert_units(db, tables, figure, year, grouping, gkey, learner, unit, extra, where)
            a_year = year if year is not e.c.year else a.c.year
            a_gkey = _text("") if grouping == "total" else a.c[grouping]
            _insert_units(
                db, tables, "users", a_year, grouping, a_gkey, a.c.learner, zero, _text(""), None
            )
            _insert_latest(db, tables, year, grouping, gkey)
        _insert_units(
            db,
            tables,
            "goal",
            year,
            "goal",
            e.c.object,
            e.c.learner,
            zero,
            e.c.course,
            e.c.kind == "passed",
        )
    _count(db, tables)


def _insert_units(
    db: Executor,
    tables: StatsTables,
    figure: str,
    year: Any,
    grouping: str,
    gkey: Any,
    learner: Any,
    unit: Any,
    extra: Any,
    where: ColumnElement[bool] | None,
) -> None:
    source = tables.activity if figure == "users" else tables.events
    grouped = [c for c in (year, gkey, learner, unit, extra) if not _is_literal(c)]
    query = select(
        _text(figure), learner, unit, extra, year, _text(grouping), gkey, func.count()
    ).select_from(source)
    if where is not None:
        query = query.where(where)
    columns = [*UNIT_KEY, "refs"]
    db.execute(insert(tables.units).from_select(columns, query.group_by(*grouped)))


def _is_literal(column: Any) -> bool:
    return isinstance(column, BindParameter)


def _insert_latest(db: Executor, tables: StatsTables, year: Any, grouping: str, gkey: Any) -> None:
    e = tables.events
    zero, blank = literal(0, BigInteger), _text("")
    registered = case((e.c.kind == "registered", 1), else_=0)
    specs: list[tuple[str, Any, Any, Any, ColumnElement[bool]]] = [
        ("seats", zero, blank, func.coalesce(e.c.seats, 0), e.c.kind == "attended"),
        ("registered", e.c.learner, blank, registered, e.c.kind.in_(REGISTRATION)),
        ("evaluation", e.c.learner, e.c.course, func.coalesce(e.c.rating, 0), e.c.kind == "rating"),
    ]
    for figure, learner, extra, value, where in specs:
        packed = func.max(e.c.at_ms * BASES[figure] + value)
        grouped = [c for c in (year, gkey, learner, e.c.occasion, extra) if not _is_literal(c)]
        query = (
            select(
                _text(figure),
                learner,
                e.c.occasion,
                extra,
                year,
                _text(grouping),
                gkey,
                packed,
                cast(null(), BigInteger),
            )
            .where(where)
            .group_by(*grouped)
        )
        db.execute(insert(tables.latest).from_select([*UNIT_KEY, "packed", "prev"], query))


def _count(db: Executor, tables: StatsTables) -> None:
    u, t, c = tables.units, tables.latest, tables.counts
    columns = [*COUNT_KEY, "value"]
    plain = u.c.figure != "goal"
    db.execute(
        insert(c).from_select(
            columns,
            select(u.c.figure, u.c.year, u.c.grouping, u.c.gkey, _text(""), func.count())
            .where(plain)
            .group_by(u.c.figure, u.c.year, u.c.grouping, u.c.gkey),
        )
    )
    db.execute(
        insert(c).from_select(
            columns,
            select(u.c.figure, u.c.year, u.c.grouping, u.c.gkey, u.c.extra, func.count())
            .where(u.c.figure == "goal")
            .group_by(u.c.figure, u.c.year, u.c.grouping, u.c.gkey, u.c.extra),
        )
    )
    for figure in ("seats", "registered"):
        db.execute(
            insert(c).from_select(
                columns,
                select(
                    t.c.figure,
                    t.c.year,
                    t.c.grouping,
                    t.c.gkey,
                    _text(""),
                    func.sum(t.c.packed % BASES[figure]),
                )
                .where(t.c.figure == figure)
                .group_by(t.c.figure, t.c.year, t.c.grouping, t.c.gkey),
            )
        )
    ratings = (
        select(
            t.c.figure,
            t.c.year,
            t.c.grouping,
            t.c.gkey,
            cast(t.c.packed % BASES["evaluation"], String).label("rating"),
        )
        .where(t.c.figure == "evaluation")
        .subquery()
    )
    db.execute(
        insert(c).from_select(
            columns,
            select(
                ratings.c.figure,
                ratings.c.year,
                ratings.c.grouping,
                ratings.c.gkey,
                ratings.c.rating,
                func.count(),
            ).group_by(
                ratings.c.figure,
                ratings.c.year,
                ratings.c.grouping,
                ratings.c.gkey,
                ratings.c.rating,
            ),
        )
    )
