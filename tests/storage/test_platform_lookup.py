"""The launch's cached platform lookup is never stale: changes by any worker count at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import event

from tests.conftest import FakeClock
from tests.storage.test_platform_store import CANVAS, registration
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.registration_lookup import FreshPlatformLookup
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.lti.stores import Deployment

ISSUER = "http://127.0.0.1:8080"
CLIENT = "probe-client-id"


@pytest.fixture
def other_worker(database: Database) -> Iterator[SqlPlatformStore]:
    """The platform store of another process (its own engine), e.g. the admin CLI."""
    other = Database(database.url)
    yield SqlPlatformStore(other)
    other.dispose()


@pytest.fixture
def lookup(database: Database) -> FreshPlatformLookup:
    store = SqlPlatformStore(database)
    store.add(registration(deployments=(Deployment("1", active=True),)))
    return FreshPlatformLookup(store, database)


@pytest.fixture
def statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_execute(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", on_execute)
    yield seen
    event.remove(database.engine, "before_cursor_execute", on_execute)


def test_an_unchanged_registration_is_not_loaded_again(
    lookup: FreshPlatformLookup, statements: list[str]
) -> None:
    first = lookup.find(ISSUER, CLIENT)
    statements.clear()
    assert lookup.find(ISSUER, CLIENT) == first
    assert len(statements) == 1  # the version check only


def test_a_deployment_deactivated_by_another_worker_counts_at_once(
    lookup: FreshPlatformLookup, other_worker: SqlPlatformStore
) -> None:
    found = lookup.find(ISSUER, CLIENT)
    assert found is not None
    assert found.deployment("1") == Deployment("1", active=True)
    other_worker.set_deployment_active(ISSUER, "1", False, client_id=CLIENT)
    again = lookup.find(ISSUER, CLIENT)
    assert again is not None
    assert again.deployment("1") == Deployment("1", active=False)


def test_a_deactivation_at_the_same_clock_tick_still_counts(
    database: Database, clock: FakeClock
) -> None:
    store = SqlPlatformStore(database, clock=clock)  # the clock never moves: same updated_at
    store.add(registration(deployments=(Deployment("1", active=True),)))
    lookup = FreshPlatformLookup(store, database)
    assert lookup.find(ISSUER, CLIENT) is not None
    store.set_deployment_active(ISSUER, "1", False, client_id=CLIENT)
    again = lookup.find(ISSUER, CLIENT)
    assert again is not None
    assert again.deployment("1") == Deployment("1", active=False)


def test_a_changed_key_set_url_counts_at_once(
    lookup: FreshPlatformLookup, other_worker: SqlPlatformStore
) -> None:
    before = lookup.find(ISSUER, CLIENT)
    assert before is not None
    other_worker.save(replace(before, key_set_url=f"{ISSUER}/new-keys.json"))
    after = lookup.find(ISSUER, CLIENT)
    assert after is not None
    assert after.key_set_url == f"{ISSUER}/new-keys.json"


def test_a_removed_platform_is_unknown_at_once(
    lookup: FreshPlatformLookup, other_worker: SqlPlatformStore
) -> None:
    assert lookup.find(ISSUER, CLIENT) is not None
    other_worker.remove(ISSUER, CLIENT)
    assert lookup.find(ISSUER, CLIENT) is None


def test_an_issuer_with_several_registrations_needs_the_client_id(
    database: Database,
) -> None:
    store = SqlPlatformStore(database)
    store.add(registration(CANVAS, "kommun-a"))
    store.add(registration(CANVAS, "kommun-b"))
    lookup = FreshPlatformLookup(store, database)
    assert lookup.find(CANVAS) is None
    found = lookup.find(CANVAS, "kommun-b")
    assert found is not None
    assert found.client_id == "kommun-b"
