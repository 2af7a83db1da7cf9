"""The pages' storage, the same contract on SQLite and PostgreSQL (migrated schema)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from yrkesresan_adapter.migrations import schema_diff
from yrkesresan_adapter.pages.schema import progress_tables
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.scope import Scope

HERE = Scope("https://moodle.example.se", "client-1", "dep-1", "course-42")
T0 = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)
TASK = "https://yrkesresan.se/id/journeys/j/courses/c/preparation/tasks/t"
OTHER_TASK = TASK + "2"


@pytest.fixture
def store() -> ProgressStore:
    return ProgressStore(progress_tables)


def test_migration_creates_exactly_the_modelled_tables(database: Database) -> None:
    assert schema_diff(database) == []


def test_done_undo_and_redo_keep_the_statement_to_void(
    database: Database, store: ProgressStore
) -> None:
    with database.session() as db:
        assert store.mark_done(db, HERE, "anna", TASK, statement_id="id-1", now=T0)
        assert not store.mark_done(db, HERE, "anna", TASK, statement_id="id-2", now=T0)
        assert store.completed(db, HERE, "anna") == {TASK: "id-1"}
        assert store.undo(db, HERE, "anna", TASK, now=T0) == "id-1"
        assert store.undo(db, HERE, "anna", TASK, now=T0) is None
        assert store.completed(db, HERE, "anna") == {}
        assert store.mark_done(db, HERE, "anna", TASK, statement_id="id-3", now=T0)
        assert store.completed(db, HERE, "anna") == {TASK: "id-3"}


def test_opening_keeps_the_first_time_and_does_not_complete(
    database: Database, store: ProgressStore
) -> None:
    with database.session() as db:
        store.opened(db, HERE, "anna", TASK, now=T0)
        store.opened(db, HERE, "anna", TASK, now=T0 + timedelta(hours=1))
        assert store.completed(db, HERE, "anna") == {}
        store.mark_done(db, HERE, "anna", TASK, statement_id="id-1", now=T0)
        assert store.completed(db, HERE, "anna") == {TASK: "id-1"}


def test_learners_and_activity_are_scoped(database: Database, store: ProgressStore) -> None:
    elsewhere = Scope(HERE.issuer, HERE.client_id, "dep-2", HERE.context_id)
    with database.session() as db:
        store.touch(db, HERE, "anna", now=T0, name="Anna", role="learner")
        store.touch(db, HERE, "boss", now=T0, name="Chef", role="manager")
        store.touch(db, HERE, "anna", now=T0 + timedelta(minutes=5))  # activity only
        store.touch(db, elsewhere, "bo", now=T0, name="Bo", role="learner")
        store.mark_done(db, HERE, "anna", TASK, statement_id="a", now=T0)
        store.mark_done(db, HERE, "anna", OTHER_TASK, statement_id="b", now=T0)
        store.mark_done(db, elsewhere, "bo", TASK, statement_id="c", now=T0)
        (anna,) = store.learners(db, HERE)
        assert (anna.sub, anna.name) == ("anna", "Anna")
        assert anna.last_activity_at == T0 + timedelta(minutes=5)
        assert {learner.sub for learner in store.learners(db, elsewhere)} == {"bo"}
        assert sorted(store.completed_by_user(db, HERE)["anna"]) == [TASK, OTHER_TASK]
        assert set(store.completed_by_user(db, HERE)) == {"anna"}
        assert set(store.learners_by_sub(db, HERE, ["anna", "bo"])) == {"anna"}
