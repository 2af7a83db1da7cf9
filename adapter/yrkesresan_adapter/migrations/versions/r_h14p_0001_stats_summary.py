"""The statistics summary (yrkesresan_adapter.stats.summary), backfilled from the ledger.

The backfill is frozen here as it was when this revision was written (the summary's units
as ``INSERT … SELECT … GROUP BY`` per figure, year key and grouping; the live
``yrkesresan_adapter.stats.rebuild`` may change with later revisions, this may not).

Revision ID: h14p_0001
Revises: h17m_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.elements import BindParameter

revision: str = "h14p_0001"
down_revision: str | None = "h17m_0001"
branch_labels: str | None = None
depends_on: str | None = None

IRI = 1024


def key_text(length: int) -> sa.types.TypeEngine[str]:
    """Text compared byte by byte on PostgreSQL (COLLATE "C"), as the schema says."""
    return sa.String(length=length).with_variant(
        sa.String(length=length, collation="C"), "postgresql"
    )


def _unit_key() -> list[sa.Column[object]]:
    return [
        sa.Column("figure", key_text(16), nullable=False),
        sa.Column("learner", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.BigInteger(), nullable=False),
        sa.Column("extra", key_text(IRI), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("grouping", key_text(12), nullable=False),
        sa.Column("gkey", key_text(IRI), nullable=False),
    ]


UNIT_KEY = ("figure", "learner", "unit", "extra", "year", "grouping", "gkey")
COUNT_KEY = ("figure", "year", "grouping", "gkey", "extra")
ALL_YEARS = 0
GROUPINGS = ("total", "county", "municipality", "journey", "course")
BASES = {"seats": 1_000_000, "registered": 2, "evaluation": 8}
REGISTRATION = ("registered", "unregistered")
DIMENSIONS = ("learner", "year", "municipality", "county", "journey", "course")

events = sa.table(
    "stats_events",
    *(sa.column(name) for name in DIMENSIONS),
    *(
        sa.column(n)
        for n in ("kind", "at_ms", "occasion", "object", "object_id", "rating", "seats")
    ),
)
activity = sa.table("stats_activity", *(sa.column(name) for name in DIMENSIONS))
units = sa.table("stats_units", *(sa.column(name) for name in (*UNIT_KEY, "refs")))
latest = sa.table("stats_latest", *(sa.column(n) for n in (*UNIT_KEY, "packed", "prev")))
counts = sa.table("stats_counts", *(sa.column(name) for name in (*COUNT_KEY, "value")))


def upgrade() -> None:
    op.create_index("ix_stats_events_occasion", "stats_events", ["occasion"])
    op.create_table(
        "stats_units",
        *_unit_key(),
        sa.Column("refs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*UNIT_KEY, name=op.f("pk_stats_units")),
    )
    op.create_table(
        "stats_latest",
        *_unit_key(),
        sa.Column("packed", sa.BigInteger(), nullable=False),
        sa.Column("prev", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint(*UNIT_KEY, name=op.f("pk_stats_latest")),
    )
    op.create_table(
        "stats_counts",
        sa.Column("figure", key_text(16), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("grouping", key_text(12), nullable=False),
        sa.Column("gkey", key_text(IRI), nullable=False),
        sa.Column("extra", key_text(IRI), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "figure", "year", "grouping", "gkey", "extra", name=op.f("pk_stats_counts")
        ),
    )
    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("stats_counts")
    op.drop_table("stats_latest")
    op.drop_table("stats_units")
    op.drop_index("ix_stats_events_occasion", table_name="stats_events")


def _text(value: str) -> Any:
    return sa.literal(value, sa.String)


def _is_literal(column: Any) -> bool:
    return isinstance(column, BindParameter)


def _backfill(db: sa.Connection) -> None:
    """The summary computed from the ledger's rows as they are."""
    e, a = events, activity
    zero = sa.literal(0, sa.BigInteger)
    for year in (sa.literal(ALL_YEARS, sa.SmallInteger), e.c.year):
        for grouping in GROUPINGS:
            gkey = _text("") if grouping == "total" else e.c[grouping]
            attended = e.c.kind == "attended"
            distinct: list[tuple[str, Any, Any, Any, Any]] = [
                ("occasions_held", zero, e.c.occasion, _text(""), attended),
                ("attended", e.c.learner, e.c.occasion, _text(""), attended),
                ("participants", e.c.learner, zero, _text(""), attended),
                (
                    "municipalities",
                    zero,
                    zero,
                    e.c.municipality,
                    attended & (e.c.municipality != ""),
                ),
                ("completions", e.c.learner, zero, e.c.course, e.c.kind == "completed"),
                ("goals_reached", e.c.learner, e.c.object_id, _text(""), e.c.kind == "passed"),
            ]
            for figure, learner, unit, extra, where in distinct:
                _units(db, figure, year, grouping, gkey, learner, unit, extra, where)
            a_year = year if year is not e.c.year else a.c.year
            a_gkey = _text("") if grouping == "total" else a.c[grouping]
            _units(db, "users", a_year, grouping, a_gkey, a.c.learner, zero, _text(""), None)
            _latest(db, year, grouping, gkey)
        goal = e.c.kind == "passed"
        _units(db, "goal", year, "goal", e.c.object, e.c.learner, zero, e.c.course, goal)
    _counts(db)


def _units(
    db: sa.Connection,
    figure: str,
    year: Any,
    grouping: str,
    gkey: Any,
    learner: Any,
    unit: Any,
    extra: Any,
    where: Any,
) -> None:
    source = activity if figure == "users" else events
    grouped = [c for c in (year, gkey, learner, unit, extra) if not _is_literal(c)]
    query = sa.select(
        _text(figure), learner, unit, extra, year, _text(grouping), gkey, sa.func.count()
    ).select_from(source)
    if where is not None:
        query = query.where(where)
    db.execute(sa.insert(units).from_select([*UNIT_KEY, "refs"], query.group_by(*grouped)))


def _latest(db: sa.Connection, year: Any, grouping: str, gkey: Any) -> None:
    e = events
    zero, blank = sa.literal(0, sa.BigInteger), _text("")
    registered = sa.case((e.c.kind == "registered", 1), else_=0)
    specs: list[tuple[str, Any, Any, Any, Any]] = [
        ("seats", zero, blank, sa.func.coalesce(e.c.seats, 0), e.c.kind == "attended"),
        ("registered", e.c.learner, blank, registered, e.c.kind.in_(REGISTRATION)),
        (
            "evaluation",
            e.c.learner,
            e.c.course,
            sa.func.coalesce(e.c.rating, 0),
            e.c.kind == "rating",
        ),
    ]
    for figure, learner, extra, value, where in specs:
        packed = sa.func.max(e.c.at_ms * BASES[figure] + value)
        grouped = [c for c in (year, gkey, learner, e.c.occasion, extra) if not _is_literal(c)]
        query = (
            sa.select(
                _text(figure),
                learner,
                e.c.occasion,
                extra,
                year,
                _text(grouping),
                gkey,
                packed,
                sa.cast(sa.null(), sa.BigInteger),
            )
            .where(where)
            .group_by(*grouped)
        )
        db.execute(sa.insert(latest).from_select([*UNIT_KEY, "packed", "prev"], query))


def _counts(db: sa.Connection) -> None:
    u, t, columns = units, latest, [*COUNT_KEY, "value"]
    per_group = (u.c.figure, u.c.year, u.c.grouping, u.c.gkey)
    plain = sa.select(*per_group, _text(""), sa.func.count()).where(u.c.figure != "goal")
    db.execute(sa.insert(counts).from_select(columns, plain.group_by(*per_group)))
    goals = sa.select(*per_group, u.c.extra, sa.func.count()).where(u.c.figure == "goal")
    db.execute(sa.insert(counts).from_select(columns, goals.group_by(*per_group, u.c.extra)))
    latest_group = (t.c.figure, t.c.year, t.c.grouping, t.c.gkey)
    for figure in ("seats", "registered"):
        summed = sa.select(*latest_group, _text(""), sa.func.sum(t.c.packed % BASES[figure]))
        query = summed.where(t.c.figure == figure).group_by(*latest_group)
        db.execute(sa.insert(counts).from_select(columns, query))
    rating = sa.cast(t.c.packed % BASES["evaluation"], sa.String).label("rating")
    ratings = sa.select(*latest_group, rating).where(t.c.figure == "evaluation").subquery()
    r = ratings.c
    per_rating = (r.figure, r.year, r.grouping, r.gkey, r.rating)
    db.execute(
        sa.insert(counts).from_select(
            columns, sa.select(*per_rating, sa.func.count()).group_by(*per_rating)
        )
    )
