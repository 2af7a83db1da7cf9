"""The statistics summary: the figures of the unfiltered and the one-year reports, kept at
write time so that reading them is a look-up (issue 14's benchmark: under 1 s at 100,000
learners, where recomputing them from the ledger takes ~14 passes over it).

Every figure is a count of distinct *units* of a group ("the learners who attended",
"the (learner, occasion) pairs", "the municipalities"...) or a function of "the latest"
event per unit. For each ledger row the summary derives, per group, the units it makes
(:func:`event_units`, :func:`activity_units`) and the latest candidates
(:func:`event_latest`), for the year key 0 (all years) and the row's year, and the
groupings ``total``, ``county``, ``municipality``, ``journey`` and ``course`` (the year
breakdown of all years is the ``total`` of each year). Then

* ``stats_units`` keeps each unit with ``refs``, the number of rows that make it; a unit
  that appears (refs 0 → n) adds 1 to its figure in ``stats_counts``, one that disappears
  (voided, erased: n → 0) takes 1 away;
* ``stats_latest`` keeps the newest ``at_ms * base + value`` per unit (the exact query's
  packing: of two events in one millisecond the higher value wins); a change moves the
  unit's contribution in ``stats_counts`` from the old value to the new one; removing a row
  recomputes its units from what is left in the ledger;
* ``stats_counts`` is what :func:`read` returns: some 10,000 rows for any history.

Writes are batched (one statement per table, rows in key order so concurrent writers lock
them in the same order). :func:`rebuild` computes the same tables from the ledger in SQL
(the Alembic revision's backfill; tests compare both).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    or_,
    select,
    tuple_,
)
from sqlalchemy.sql.elements import BindParameter

from yrkesresan_adapter.stats.schema import COUNT_KEY, UNIT_KEY, StatsTables, stats_tables
from yrkesresan_adapter.storage.scope import Executor, dialect_of, upsert_insert

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


def _unit(found: Any) -> Unit:
    """The unit of a returned row whose first columns are :data:`~.schema.UNIT_KEY`."""
    return cast_unit(tuple(found[: len(UNIT_KEY)]))


def cast_unit(values: tuple[Any, ...]) -> Unit:
    figure, learner, unit, extra, year, grouping, gkey = values
    return (str(figure), int(learner), int(unit), str(extra), int(year), str(grouping), str(gkey))


def _many(db: Executor, statement: Any, rows: list[dict[str, Any]]) -> list[Any]:
    """The rows ``statement`` (with RETURNING) returns for every parameter set of ``rows``:
    one compiled statement, which SQLAlchemy sends as batches of multi-row inserts
    ("insertmanyvalues"), instead of compiling a new statement per number of rows."""
    return list(db.execute(statement, rows))


def _chunks(rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


class Summary:
    """Keeps ``stats_units``, ``stats_latest`` and ``stats_counts`` equal to what
    :func:`rebuild` would compute from the ledger, in the caller's transaction."""

    def __init__(self, tables: StatsTables = stats_tables) -> None:
        self.tables = tables

    def added(self, db: Executor, events: Sequence[Row], activity: Sequence[Row]) -> None:
        """Account for ledger rows just inserted."""
        if not events and not activity:
            return
        deltas: Counter[CountKey] = Counter()
        amounts = Counter(u for r in events for u in event_units(r))
        amounts.update(u for r in activity for u in activity_units(r))
        self._units(db, amounts, deltas)
        candidates: dict[Unit, int] = {}
        for row in events:
            for unit, packed in event_latest(row):
                candidates[unit] = max(packed, candidates.get(unit, packed))
        self._latest(db, candidates, deltas)
        self._counts(db, deltas)

    def removed(self, db: Executor, events: Sequence[Row], activity: Sequence[Row]) -> None:
        """Account for ledger rows just deleted (voided, erased)."""
        if not events and not activity:
            return
        deltas: Counter[CountKey] = Counter()
        amounts: Counter[Unit] = Counter()
        amounts.subtract(u for r in events for u in event_units(r))
        amounts.subtract(u for r in activity for u in activity_units(r))
        self._units(db, amounts, deltas)
        self._recompute_latest(db, events, deltas)
        self._counts(db, deltas)

    def _units(self, db: Executor, amounts: Mapping[Unit, int], deltas: Counter[CountKey]) -> None:
        t = self.tables.units
        rows = [
            {**dict(zip(UNIT_KEY, u, strict=True)), "refs": n}
            for u, n in sorted(amounts.items())
            if n
        ]
        gone: list[Unit] = []
        if rows:
            statement = upsert_insert(db, t)
            statement = statement.on_conflict_do_update(
                index_elements=list(UNIT_KEY), set_={"refs": t.c.refs + statement.excluded.refs}
            ).returning(*(t.c[c] for c in UNIT_KEY), t.c.refs)
            for found in _many(db, statement, rows):
                unit = _unit(found)
                amount, refs = amounts[unit], int(found.refs)
                if amount > 0 and refs == amount:
                    deltas[count_key(unit)] += 1
                elif amount < 0 and refs <= 0:
                    gone.append(unit)
                    if refs == 0:  # it was there, and no row makes it any more
                        deltas[count_key(unit)] -= 1
        for chunk in _chunks(gone):
            db.execute(delete(t).where(tuple_(*(t.c[c] for c in UNIT_KEY)).in_(chunk)))

    def _latest(
        self, db: Executor, candidates: Mapping[Unit, int], deltas: Counter[CountKey]
    ) -> None:
        t = self.tables.latest
        newer = func.greatest if dialect_of(db) == "postgresql" else func.max
        rows = [
            {**dict(zip(UNIT_KEY, u, strict=True)), "packed": p, "prev": None}
            for u, p in sorted(candidates.items())
        ]
        if rows:
            statement = upsert_insert(db, t)
            statement = statement.on_conflict_do_update(
                index_elements=list(UNIT_KEY),
                set_={"prev": t.c.packed, "packed": newer(t.c.packed, statement.excluded.packed)},
            ).returning(*(t.c[c] for c in UNIT_KEY), t.c.prev, t.c.packed)
            for found in _many(db, statement, rows):
                unit = _unit(found)
                if found.prev is not None and found.prev == found.packed:
                    continue
                if found.prev is not None:
                    key, value = latest_contribution(unit, int(found.prev))
                    deltas[key] -= value
                key, value = latest_contribution(unit, int(found.packed))
                deltas[key] += value

    def _recompute_latest(
        self, db: Executor, removed: Iterable[Row], deltas: Counter[CountKey]
    ) -> None:
        """Drop the latest rows of every unit a removed event was a candidate of, and
        compute them again from the events left in the ledger."""
        affected = sorted({u[:4] for r in removed for u, _p in event_latest(r)})
        if not affected:
            return
        t, e = self.tables.latest, self.tables.events
        heads = tuple_(t.c.figure, t.c.learner, t.c.unit, t.c.extra)
        for chunk in _chunks(affected):
            dropped = db.execute(
                delete(t).where(heads.in_(chunk)).returning(*(t.c[c] for c in UNIT_KEY), t.c.packed)
            )
            for found in dropped:
                key, value = latest_contribution(_unit(found), int(found.packed))
                deltas[key] -= value
        wanted = set(affected)
        occasions = sorted({a[2] for a in affected if a[0] == "seats"})
        learners = sorted({a[1] for a in affected if a[0] != "seats"})
        where: list[ColumnElement[bool]] = []
        if occasions:
            where.append(and_(e.c.kind == "attended", e.c.occasion.in_(occasions)))
        if learners:
            where.append(and_(e.c.kind.in_((*REGISTRATION, "rating")), e.c.learner.in_(learners)))
        candidates: dict[Unit, int] = {}
        for row in db.execute(select(e).where(or_(*where))).mappings():
            for unit, packed in event_latest(dict(row)):
                if unit[:4] in wanted:
                    candidates[unit] = max(packed, candidates.get(unit, packed))
        self._latest(db, candidates, deltas)

    def _counts(self, db: Executor, deltas: Mapping[CountKey, int]) -> None:
        t = self.tables.counts
        rows = [
            {**dict(zip(COUNT_KEY, k, strict=True)), "value": v}
            for k, v in sorted(deltas.items())
            if v
        ]
        if rows:
            statement = upsert_insert(db, t)
            statement = statement.on_conflict_do_update(
                index_elements=list(COUNT_KEY), set_={"value": t.c.value + statement.excluded.value}
            )
            db.execute(statement, rows)


def read(db: Executor, year: int | None, tables: StatsTables = stats_tables) -> list[Any]:
    """The ``stats_counts`` rows of the report of one year, or of all years (then the
    totals of each year too: the year breakdown)."""
    c = tables.counts
    which = (
        c.c.year == year
        if year is not None
        else or_(c.c.year == ALL_YEARS, c.c.grouping == "total")
    )
    columns = (c.c.figure, c.c.year, c.c.grouping, c.c.gkey, c.c.extra, c.c.value)
    return list(db.execute(select(*columns).where(which, c.c.value != 0)))


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


def measured_rows(
    rows: Iterable[Any], year: int | None
) -> tuple[dict[tuple[str, str | None], dict[str, Any]], list[tuple[str, str, int]]]:
    """The counts of :func:`read` as the exact query's (dimension, key) → figures, and the
    goals as (goal, course, reached)."""
    measured: dict[tuple[str, str | None], dict[str, Any]] = defaultdict(dict)
    goals: list[tuple[str, str, int]] = []
    wanted = year if year is not None else ALL_YEARS
    for figure, row_year, grouping, gkey, extra, value in rows:
        if grouping == "goal":
            goals.append((gkey, extra, int(value)))
            continue
        keys: list[tuple[str, str | None]] = []
        if grouping == "total":
            if row_year == wanted:
                keys.append(("total", None))
            if row_year != ALL_YEARS:
                keys.append(("year", str(row_year)))
        else:
            keys.append((grouping, gkey or None))
        for key in keys:
            _put(measured[key], figure, extra, int(value))
    goals.sort(key=lambda g: (g[1], g[0]))
    return measured, goals


def _put(row: dict[str, Any], figure: str, extra: str, value: int) -> None:
    if figure == "evaluation":
        rating = int(extra)
        ratings = row.setdefault("ratings", [0] * 5)
        if 1 <= rating <= 5:
            ratings[rating - 1] += value
    else:
        row[figure] = value
