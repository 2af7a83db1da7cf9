"""``yrkesresan stats`` over a seeded history on PostgreSQL: median time and SQL queries.

A history shaped like a busy programme, written straight into the statistics ledger
(``stats_events``, ``stats_activity``) of a fresh PostgreSQL schema: 100,000 learners in
all 290 municipalities (each a user in one or two courses, some in two years), 1,000
occasions of 40 courses in 5 journeys (60 seats, two course days), about 55 % of the
learners registered (a few unregistered again), 9 in 10 of those attended both days, most
completed the course, reached its 3 goals and rated it 1–5 (some changed their rating).

It times what the command does after start-up (compute the figures in SQL, name them,
render the table), median of the rounds, for no filter and for one year, one county and one
course; counts the SQL statements each sends (target: a handful, independent of size); and
prints the ratio to a baseline measured in the same run: one aggregate pass over the ledger
(``SELECT kind, count(DISTINCT learner) FROM stats_events GROUP BY kind``). Target
(issue 14): the unfiltered command under 1 s. Before timing, the summary the unfiltered and
one-year figures are read from is rebuilt from the seeded ledger (as the migration
``h14p_0001`` does) and that time printed; ``--region`` and ``--course`` read the ledger.

    PYTHONPATH=.:bench .venv/bin/python bench/stats.py [rounds] [learners]

PostgreSQL at ``YRKESRESAN_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@
127.0.0.1:5432/test``); the schema is dropped afterwards.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import event, insert, text

from yrkesresan_adapter import migrations
from yrkesresan_adapter.stats.events import hash_id, learner_key
from yrkesresan_adapter.stats.labels import with_labels
from yrkesresan_adapter.stats.query import FigureQueries
from yrkesresan_adapter.stats.rebuild import rebuild
from yrkesresan_adapter.stats.schema import stats_tables
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.catalog.default import default_catalog_path
from yrkesresan_lti.municipalities import municipalities
from yrkesresan_lti.reports.figures import Filters
from yrkesresan_lti.reports.tabular import text_table

POSTGRES_URL = os.environ.get(
    "YRKESRESAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BASE = "https://yrkesresan.se/id/journeys"
JOURNEYS, COURSES_PER_JOURNEY, OCCASIONS, SEATS, GOALS = 5, 8, 1_000, 60, 3
YEARS = (2025, 2026)


@contextmanager
def postgres_schema() -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _courses() -> list[tuple[str, str]]:
    return [
        (f"{BASE}/resa-{j}", f"{BASE}/resa-{j}/courses/kurs-{c}")
        for j in range(JOURNEYS)
        for c in range(COURSES_PER_JOURNEY)
    ]


def _at(year: int, rng: random.Random) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(364 * 86_400))


def history(learners: int, seed: int = 14) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(event rows, activity rows) of the seeded history."""
    rng = random.Random(seed)
    places = [(m.code, m.county.code) for m in municipalities()]
    weights = [rng.paretovariate(1.2) for _ in places]  # a few large municipalities
    courses = _courses()
    occasions = [
        (courses[o % len(courses)], f"{courses[o % len(courses)][1]}/occasions/o-{o}", YEARS[o % 2])
        for o in range(OCCASIONS)
    ]
    events: list[dict[str, Any]] = []
    activity: dict[str, dict[str, Any]] = {}

    def add(kind: str, row: dict[str, Any], at: datetime, **extra: Any) -> None:
        events.append(
            {
                "statement_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "kind": kind,
                "at": at,
                "at_ms": round(at.timestamp() * 1000),
                **row,
                "occasion": hash_id(extra.get("occasion", "")),
                "object": extra.get("object", ""),
                "object_id": hash_id(extra.get("object", "")),
                "rating": extra.get("rating"),
                "seats": extra.get("seats"),
            }
        )

    taken = [0] * OCCASIONS
    for n in range(learners):
        learner = learner_key({"account": {"homePage": "https://lms.example", "name": f"p{n}"}})
        code, county = rng.choices(places, weights)[0]
        (journey, course), occasion, year = occasions[rng.randrange(OCCASIONS)]
        row = {
            "learner": learner,
            "year": year,
            "municipality": code,
            "county": county,
            "journey": journey,
            "course": course,
        }
        activity[f"{learner}{year}{course}"] = row
        if rng.random() < 0.3:  # also looked at a second course, maybe the next year
            other = courses[rng.randrange(len(courses))]
            later = YEARS[min(1, YEARS.index(year) + rng.randrange(2))]
            activity[f"{learner}{later}{other[1]}"] = {
                **row,
                "year": later,
                "journey": other[0],
                "course": other[1],
            }
        o = rng.randrange(OCCASIONS)
        (journey, course), occasion, year = occasions[o]
        row |= {"journey": journey, "course": course, "year": year}
        if rng.random() >= 0.55 or taken[o] >= SEATS:
            continue
        taken[o] += 1
        add("registered", row, _at(year, rng), occasion=occasion, seats=SEATS)
        if rng.random() < 0.04:
            add("unregistered", row, _at(year, rng) + timedelta(days=400), occasion=occasion)
            continue
        if rng.random() >= 0.9:
            continue
        for day in (1, 2):
            at = _at(year, rng)
            add(
                "attended", row, at, occasion=occasion, object=f"{occasion}/days/{day}", seats=SEATS
            )
        if rng.random() < 0.85:
            add("completed", row, _at(year, rng), object=course)
            for g in range(GOALS):
                add("passed", row, _at(year, rng), object=f"{course}/goals/mal-{g}")
        if rng.random() < 0.8:
            first = rng.choices((1, 2, 3, 4, 5), (1, 1, 6, 40, 52))[0]
            add("rating", row, _at(year, rng), occasion=occasion, object=course, rating=first)
            if rng.random() < 0.1:
                add(
                    "rating",
                    row,
                    _at(year, rng) + timedelta(days=1),
                    occasion=occasion,
                    object=course,
                    rating=rng.choice((4, 5)),
                )
    rows = [{"key": f"{i:064d}", **row} for i, row in enumerate(activity.values())]
    return events, rows


def seed(db: Database, events: list[dict[str, Any]], activity: list[dict[str, Any]]) -> None:
    with db.connection() as conn:
        for table, rows in ((stats_tables.events, events), (stats_tables.activity, activity)):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(table), rows[start : start + 20_000])
    with db.connection() as conn:
        conn.execute(text("ANALYZE stats_events"))
        conn.execute(text("ANALYZE stats_activity"))


class QueryCounter:
    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


def timed(function: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(rounds: int = 7, learners: int = 100_000) -> None:
    catalog = load_catalog(default_catalog_path())
    started = time.perf_counter()
    events, activity = history(learners)
    print(
        f"history: {learners:,} learners, {len(events):,} event rows, "
        f"{len(activity):,} activity rows ({time.perf_counter() - started:.1f} s to build)"
    )
    with postgres_schema() as url:
        db = Database(url)
        migrations.upgrade(db)
        started = time.perf_counter()
        seed(db, events, activity)
        print(f"seeded in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with db.connection() as conn:  # what the migration h14p_0001 does to a ledger
            rebuild(conn)
        with db.connection() as conn:
            for table in ("stats_units", "stats_latest", "stats_counts"):
                conn.execute(text(f"ANALYZE {table}"))
        print(f"summary rebuilt from the ledger in {time.perf_counter() - started:.1f} s")
        counter = QueryCounter(db)
        queries = FigureQueries()

        def baseline() -> None:
            with db.connection() as conn:
                conn.execute(
                    text("SELECT kind, count(DISTINCT learner) FROM stats_events GROUP BY kind")
                ).all()

        def command(filters: Filters) -> Callable[[], str]:
            def run() -> str:
                with db.connection() as conn:
                    figures = queries.figures(conn, filters)
                return text_table(with_labels(figures, catalog))

            return run

        course = _courses()[0][1]
        cases = {
            "no filter": Filters(),
            "--year 2026": Filters(year=2026),
            "--region 14": Filters(county="14"),
            "--course kurs-0": Filters(course=course),
        }
        load = os.getloadavg()[0]
        base = timed(baseline, rounds)
        print(f"\nbaseline, one aggregate pass over the ledger: {base * 1000:.0f} ms")
        print(f"{'case':<18}{'median':>10}{'queries':>9}{'x baseline':>12}")
        for name, filters in cases.items():
            command(filters)()  # warm up
            counter.count = 0
            command(filters)()
            sent = counter.count
            median = timed(command(filters), rounds)
            print(f"{name:<18}{median * 1000:>8.0f} ms{sent:>9}{median / base:>11.1f}x")
        print(
            f"\nrounds {rounds}, load average {load:.1f} -> {os.getloadavg()[0]:.1f}; "
            "target: no filter under 1 s"
        )
        db.dispose()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
