"""The done tasks' bits (``pages.done_bits``) always equal a recomputation from the task
states, on SQLite and PostgreSQL: after random clicks, undos, openings, erasures, moved and
rolled-back rows, for catalog revisions that reorder, drop or add tasks, after the
migration's backfill, and for concurrent clicks on PostgreSQL."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete, insert, select, text, update

from tests.db_fixtures import empty_database_url
from tests.pages.conftest import HERE as TEST_DIR
from yrkesresan_adapter import migrations
from yrkesresan_adapter.pages.done_bits import WORD
from yrkesresan_adapter.pages.progress.group_counts import GroupIndex
from yrkesresan_adapter.pages.schema import progress_tables
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.progress import course_progress

HERE = Scope("https://moodle.example.se", "client-1", "dep-1", "course-42")
SCOPES = [HERE, Scope(HERE.issuer, HERE.client_id, HERE.deployment_id, "course-43")]
PEOPLE = ["anna", "bo", "cia", "dan", "eva"]
COURSES = [course for _, _, course in load_catalog(TEST_DIR / "catalog.yaml").courses()]
CATALOG_TASKS = [task.iri for course in COURSES for task in course.tasks]
TASKS = [*CATALOG_TASKS, *(f"https://elsewhere.example/task/{n}" for n in range(2 * WORD))]
"""The test catalog's tasks and more than two words of others (tasks of another catalog
revision)."""
T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)
STORE = ProgressStore(progress_tables)
STATES = progress_tables.task_states


def recomputed(db: Connection, scope: Scope) -> dict[str, frozenset[str]]:
    done: dict[str, set[str]] = defaultdict(set)
    query = select(STATES.c.user_sub, STATES.c.task_iri).where(
        scope.where(STATES), STATES.c.completed_at.is_not(None)
    )
    for sub, iri in db.execute(query):
        done[sub].add(iri)
    return {sub: frozenset(iris) for sub, iris in done.items()}


def assert_bits_equal_states(db: Connection) -> None:
    for scope in SCOPES:
        assert dict(STORE.done_tasks(db, scope)) == recomputed(db, scope)


def _random_step(db: Connection, rng: random.Random, now: datetime) -> None:
    scope, sub, task = rng.choice(SCOPES), rng.choice(PEOPLE), rng.choice(TASKS)
    mine = (scope.where(STATES), STATES.c.user_sub == sub)
    step = rng.choices(["done", "undo", "open", "erase", "retime", "undo all"], [8, 4, 2, 1, 1, 1])
    if step == ["done"]:
        STORE.mark_done(db, scope, sub, task, statement_id="s", now=now)
    elif step == ["undo"]:
        STORE.undo(db, scope, sub, task, now=now)
    elif step == ["open"]:
        STORE.opened(db, scope, sub, task, now=now)
    elif step == ["erase"]:  # what erasure does to the person's task states
        db.execute(delete(STATES).where(*mine))
    elif step == ["retime"]:  # done again at another time: still done
        db.execute(
            update(STATES)
            .where(*mine, STATES.c.completed_at.is_not(None))
            .values(completed_at=now + timedelta(seconds=1))
        )
    else:  # an import resetting someone
        db.execute(update(STATES).where(*mine).values(completed_at=None))


def test_bits_equal_the_task_states_after_random_changes(database: Database) -> None:
    rng = random.Random(17)
    now = T0
    with database.engine.begin() as db:  # every task numbered in one context: three words
        for task in rng.sample(TASKS, len(TASKS)):
            STORE.mark_done(db, HERE, "anna", task, statement_id="s", now=now)
    for n in range(400):
        now += timedelta(minutes=1)
        with database.engine.connect() as db:
            _random_step(db, rng, now)
            if n % 10 == 9:
                db.rollback()  # an aborted click changes nothing
            else:
                db.commit()
            assert_bits_equal_states(db)
    with database.engine.connect() as db:
        done = STORE.done_tasks(db, HERE)
        assert sorted(done.numbers.values()) == list(range(len(TASKS)))


def test_revised_catalogs_count_the_bits_like_the_task_states(database: Database) -> None:
    """A revision that reorders courses, drops some or adds ones whose tasks were done under
    another revision counts each person like ``course_progress`` of their done tasks."""
    rng = random.Random(3)
    with database.engine.begin() as db:
        for sub in PEOPLE:
            for task in rng.sample(TASKS, rng.randint(0, len(TASKS))):
                STORE.mark_done(db, HERE, sub, task, statement_id="s", now=T0)
    revisions = [COURSES, COURSES[::-1], COURSES[::2], COURSES[1::2]]
    with database.engine.connect() as db:
        done, expected = STORE.done_tasks(db, HERE), recomputed(db, HERE)
    for courses in revisions:
        index = GroupIndex(courses, done.numbers)
        for sub in PEOPLE:
            counts = index.count_mask(done.masks.get(sub, 0))
            for c_index, course in enumerate(courses):
                progress = course_progress(course, expected.get(sub, frozenset()))
                assert index.course_tally(counts, c_index) == progress.overall
                for goal in course.goals:
                    g_index = index.goal_iris.index(goal.iri)
                    assert index.goal_tally(counts, g_index) == progress.goals[goal.iri]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def unmigrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with empty_database_url(request.param, tmp_path) as url:
        db = Database(url)
        yield db
        db.dispose()


def test_the_migration_backfills_the_bits_and_downgrades(unmigrated: Database) -> None:
    migrations.upgrade(unmigrated, "h15_0001")
    rng = random.Random(5)
    rows = [
        {**scope.values(), "user_sub": sub, "task_iri": task, "updated_at": T0}
        | {"completed_at": rng.choice([None, T0, T0]), "statement_id": None}
        for scope in SCOPES
        for sub in PEOPLE
        for task in rng.sample(TASKS, rng.randint(0, len(TASKS)))
    ]
    with unmigrated.engine.begin() as db:
        db.execute(insert(STATES), rows)
    migrations.upgrade(unmigrated)
    with unmigrated.engine.connect() as db:
        assert_bits_equal_states(db)
    migrations.downgrade(unmigrated, "h15_0001")
    with unmigrated.engine.begin() as db:  # no trigger left behind
        db.execute(update(STATES).values(completed_at=None))
    migrations.upgrade(unmigrated)
    with unmigrated.engine.connect() as db:
        assert_bits_equal_states(db)
        assert STORE.done_tasks(db, HERE).masks == {}


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Database]:
    with empty_database_url("postgresql", tmp_path) as url:
        db = Database(url)
        migrations.upgrade(db)
        yield db
        db.dispose()


def _waiting_for_a_lock(db: Database) -> None:
    """Until another connection waits for a lock (a condition, not a timing)."""
    deadline = time.monotonic() + 30
    with db.engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
            if waiting.scalar_one():
                return
            watcher.rollback()
            time.sleep(0.005)
    raise AssertionError("the second click never waited")


def _concurrently(db: Database, first: tuple[str, str], second: tuple[str, str]) -> None:
    """``first`` marks its task done and holds its transaction open while ``second`` marks
    its own (and waits for ``first``'s locks); then both commit."""
    failures: list[BaseException] = []

    def click(sub: str, task: str) -> None:
        try:
            with db.engine.begin() as conn:
                STORE.mark_done(conn, HERE, sub, task, statement_id="s", now=T0)
        except BaseException as error:  # reported by the test
            failures.append(error)

    with db.engine.connect() as conn:
        STORE.mark_done(conn, HERE, *first, statement_id="s", now=T0)
        other = threading.Thread(target=click, args=second)
        other.start()
        _waiting_for_a_lock(db)
        conn.commit()
    other.join()
    assert failures == []


@pytest.mark.postgres
def test_concurrent_first_completions_get_their_own_numbers(postgres: Database) -> None:
    _concurrently(postgres, ("anna", TASKS[0]), ("bo", TASKS[1]))
    with postgres.engine.connect() as db:
        assert sorted(STORE.done_tasks(db, HERE).numbers.values()) == [0, 1]
        assert_bits_equal_states(db)


@pytest.mark.postgres
def test_concurrent_clicks_of_one_person_keep_both_bits(postgres: Database) -> None:
    with postgres.engine.begin() as db:  # both tasks numbered, in one word
        STORE.mark_done(db, HERE, "bo", TASKS[0], statement_id="s", now=T0)
        STORE.mark_done(db, HERE, "bo", TASKS[1], statement_id="s", now=T0)
    _concurrently(postgres, ("anna", TASKS[0]), ("anna", TASKS[1]))
    with postgres.engine.connect() as db:
        assert STORE.done_tasks(db, HERE)["anna"] == {TASKS[0], TASKS[1]}
        assert_bits_equal_states(db)
