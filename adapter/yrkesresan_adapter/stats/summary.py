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
them in the same order; on PostgreSQL, rows added with no "latest" to keep, e.g. a
learner's click, write units and counts in one statement). :func:`rebuild` computes the
same tables from the ledger in SQL (:mod:`.rebuild`, the Alembic revision's backfill;
tests compare both).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql

from yrkesresan_adapter.stats.bulk import BulkUpsert, SetClause, _array_type
from yrkesresan_adapter.stats.schema import COUNT_KEY, UNIT_KEY, StatsTables, stats_tables
from yrkesresan_adapter.stats.units import (
    ALL_YEARS,
    REGISTRATION,
    CountKey,
    Row,
    Unit,
    activity_units,
    chunks,
    count_key,
    event_latest,
    event_units,
    latest_contribution,
    unit_of,
)
from yrkesresan_adapter.storage.driver_statements import Precompiled
from yrkesresan_adapter.storage.scope import Executor, dialect_of


class Summary:
    """Keeps ``stats_units``, ``stats_latest`` and ``stats_counts`` equal to what
    :func:`rebuild` would compute from the ledger, in the caller's transaction."""

    def __init__(self, tables: StatsTables = stats_tables) -> None:
        self.tables = tables
        units, latest, counts = tables.units, tables.latest, tables.counts
        self._add_refs = BulkUpsert(
            units, (*UNIT_KEY, "refs"), UNIT_KEY, _add("refs"), returning=(*UNIT_KEY, "refs")
        )
        self._set_latest = BulkUpsert(
            latest, (*UNIT_KEY, "packed"), UNIT_KEY, _newer, returning=(*UNIT_KEY, "prev", "packed")
        )
        self._add_counts = BulkUpsert(counts, (*COUNT_KEY, "value"), COUNT_KEY, _add("value"))
        self._fused: Precompiled | None = None

    def added(self, db: Executor, events: Sequence[Row], activity: Sequence[Row]) -> None:
        """Account for ledger rows just inserted."""
        if not events and not activity:
            return
        deltas: Counter[CountKey] = Counter()
        amounts = Counter(u for r in events for u in event_units(r))
        amounts.update(u for r in activity for u in activity_units(r))
        candidates: dict[Unit, int] = {}
        for row in events:
            for unit, packed in event_latest(row):
                candidates[unit] = max(packed, candidates.get(unit, packed))
        if not candidates and amounts and dialect_of(db) == "postgresql":
            self._units_and_counts(db, amounts)
            return
        self._units(db, amounts, deltas)
        self._latest(db, candidates, deltas)
        self._counts(db, deltas)

    def _units_and_counts(self, db: Executor, amounts: Mapping[Unit, int]) -> None:
        """PostgreSQL, rows added and no "latest" to keep: :meth:`_units` and
        :meth:`_counts` in one statement. The units' upsert is a ``WITH``; a unit whose
        ``refs`` after it equal what this call added is new and adds 1 to its figure (as
        :meth:`_units` counts it), grouped by count key in key order (the lock order)."""
        rows = sorted(amounts.items())
        arrays = {f"bulk_{c}": [u[i] for u, _ in rows] for i, c in enumerate(UNIT_KEY)}
        arrays["bulk_refs"] = [n for _, n in rows]
        self._fused_statement().all(db, arrays)

    def _fused_statement(self) -> Precompiled:
        if self._fused is None:
            units, counts = self.tables.units, self.tables.counts
            columns = (*UNIT_KEY, "refs")
            given = (
                func.unnest(
                    *(bindparam(f"bulk_{c}", type_=_array_type(units.c[c].type)) for c in columns)
                )
                .table_valued(*columns, with_ordinality="bulk_n")
                .render_derived(name="bulk_rows")
            )
            typed = [cast(given.c[c], units.c[c].type).label(c) for c in columns]
            wanted = select(*typed, given.c.bulk_n).cte("units_given")
            upsert: Any = postgresql.insert(units).from_select(
                list(columns), select(*(wanted.c[c] for c in columns)).order_by(wanted.c.bulk_n)
            )
            upsert = upsert.on_conflict_do_update(
                index_elements=list(UNIT_KEY), set_={"refs": units.c.refs + upsert.excluded.refs}
            ).returning(*(units.c[c] for c in columns))
            added = upsert.cte("units_added")
            extra = case((added.c.figure == "goal", added.c.extra), else_=literal(""))
            key = (added.c.figure, added.c.year, added.c.grouping, added.c.gkey, extra)
            new = (
                select(*key, func.count())
                .select_from(
                    added.join(wanted, and_(*(added.c[c] == wanted.c[c] for c in UNIT_KEY)))
                )
                .where(added.c.refs == wanted.c.refs)
                .group_by(*key)
                .order_by(*key)
            )
            fused = postgresql.insert(counts).from_select([*COUNT_KEY, "value"], new)
            self._fused = Precompiled(
                fused.on_conflict_do_update(
                    index_elements=list(COUNT_KEY),
                    set_={"value": counts.c.value + fused.excluded.value},
                )
            )
        return self._fused

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
        for found in self._add_refs.execute(db, rows):
            unit = unit_of(found)
            amount, refs = amounts[unit], int(found.refs)
            if amount > 0 and refs == amount:
                deltas[count_key(unit)] += 1
            elif amount < 0 and refs <= 0:
                gone.append(unit)
                if refs == 0:  # it was there, and no row makes it any more
                    deltas[count_key(unit)] -= 1
        for chunk in chunks(gone):
            db.execute(delete(t).where(tuple_(*(t.c[c] for c in UNIT_KEY)).in_(chunk)))

    def _latest(
        self, db: Executor, candidates: Mapping[Unit, int], deltas: Counter[CountKey]
    ) -> None:
        rows = [
            {**dict(zip(UNIT_KEY, u, strict=True)), "packed": p}
            for u, p in sorted(candidates.items())
        ]
        for found in self._set_latest.execute(db, rows):
            unit = unit_of(found)
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
        for chunk in chunks(affected):
            dropped = db.execute(
                delete(t).where(heads.in_(chunk)).returning(*(t.c[c] for c in UNIT_KEY), t.c.packed)
            )
            for found in dropped:
                key, value = latest_contribution(unit_of(found), int(found.packed))
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
        rows = [
            {**dict(zip(COUNT_KEY, k, strict=True)), "value": v}
            for k, v in sorted(deltas.items())
            if v
        ]
        self._add_counts.execute(db, rows)


def _add(column: str) -> SetClause:
    """``SET column = column + excluded.column``."""
    return lambda t, excluded, _dialect: {column: t.c[column] + excluded[column]}


def _newer(t: Table, excluded: Any, dialect: str) -> dict[str, Any]:
    """Keep the larger packed value; ``prev`` the one before."""
    newer = func.greatest if dialect == "postgresql" else func.max
    return {"prev": t.c.packed, "packed": newer(t.c.packed, excluded.packed)}


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
