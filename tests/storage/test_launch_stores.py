"""Launch state and nonce stores: one contract, run on SQLite, PostgreSQL and Redis."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.db_fixtures import REDIS_URL, empty_database_url
from yrkesresan_adapter import migrations
from yrkesresan_adapter.lti.oidc_stores import (
    PURGE_INTERVAL,
    RedisLaunchStateStore,
    RedisNonceStore,
    SqlLaunchStateStore,
    SqlNonceStore,
)
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.models import LaunchState, UsedNonce
from yrkesresan_lti.lti.stores import LaunchStateStore, NonceStore

ISSUER = "https://moodle.kommun.example"


@dataclass
class Backend:
    """Makes stores that share one backend, as separate worker processes would."""

    name: str
    launch_state: Callable[[], LaunchStateStore]
    nonces: Callable[[], NonceStore]


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("redis", marks=pytest.mark.redis),
    ]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "redis":
        _, prefix = request.getfixturevalue("redis_prefix")
        clients: list[Redis] = []

        def client() -> Redis:
            clients.append(Redis.from_url(REDIS_URL))
            return clients[-1]

        yield Backend(
            "redis",
            lambda: RedisLaunchStateStore(client(), prefix=prefix),
            lambda: RedisNonceStore(client(), prefix=prefix),
        )
        for each in clients:
            each.close()
        return
    with empty_database_url(request.param, tmp_path) as url:
        databases: list[Database] = []

        def database() -> Database:
            databases.append(Database(url))
            return databases[-1]

        migrations.upgrade(database())
        yield Backend(
            request.param,
            lambda: SqlLaunchStateStore(database()),
            lambda: SqlNonceStore(database()),
        )
        for db in databases:
            db.dispose()


def test_launch_state_is_returned_once(backend: Backend) -> None:
    store = backend.launch_state()
    store.put("state-1", {"nonce": "n-1", "target_link_uri": "https://tool/lti/launch"}, 600)
    assert store.pop("state-1") == {"nonce": "n-1", "target_link_uri": "https://tool/lti/launch"}
    assert store.pop("state-1") is None


def test_launch_state_put_by_one_worker_is_seen_by_another(backend: Backend) -> None:
    backend.launch_state().put("state-2", {"n": 1}, 600)
    assert backend.launch_state().pop("state-2") == {"n": 1}


def test_unknown_launch_state_is_none(backend: Backend) -> None:
    assert backend.launch_state().pop("never-stored") is None


def test_putting_a_state_again_replaces_it(backend: Backend) -> None:
    store = backend.launch_state()
    store.put("state-3", {"v": "old"}, 600)
    store.put("state-3", {"v": "new"}, 600)
    assert store.pop("state-3") == {"v": "new"}


def test_nonce_is_accepted_once(backend: Backend) -> None:
    store = backend.nonces()
    assert store.consume(ISSUER, "nonce-a", 600) is True
    assert store.consume(ISSUER, "nonce-a", 600) is False
    assert backend.nonces().consume(ISSUER, "nonce-a", 600) is False


def test_same_nonce_from_another_issuer_is_a_different_nonce(backend: Backend) -> None:
    store = backend.nonces()
    assert store.consume(ISSUER, "nonce-b", 600) is True
    assert store.consume("https://canvas.instructure.com", "nonce-b", 600) is True


def test_non_positive_ttl_is_refused(backend: Backend) -> None:
    with pytest.raises(ValueError, match="ttl_seconds"):
        backend.nonces().consume(ISSUER, "nonce-c", 0)
    with pytest.raises(ValueError, match="ttl_seconds"):
        backend.launch_state().put("state-4", {}, -1)


def _race(workers: int, attempt: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(workers)
    results: list[object] = [None] * workers
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = attempt(index)
        except BaseException as err:  # reported below, not swallowed
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_racing_workers_consume_a_nonce_exactly_once(backend: Backend) -> None:
    workers = 8
    stores = [backend.nonces() for _ in range(workers)]
    results = _race(workers, lambda i: stores[i].consume(ISSUER, "raced-nonce", 600))
    assert results.count(True) == 1
    assert results.count(False) == workers - 1


def test_racing_workers_pop_a_launch_state_exactly_once(backend: Backend) -> None:
    workers = 8
    stores = [backend.launch_state() for _ in range(workers)]
    stores[0].put("raced-state", {"nonce": "x"}, 600)
    results = _race(workers, lambda i: stores[i].pop("raced-state"))
    assert results.count({"nonce": "x"}) == 1
    assert results.count(None) == workers - 1


# --- expiry: the database stores follow the injected clock -----------------------------------


@pytest.fixture
def sql_database(database: Database) -> Database:
    return database


def test_expired_launch_state_is_gone(sql_database: Database, clock: FakeClock) -> None:
    store = SqlLaunchStateStore(sql_database, clock=clock)
    store.put("state-e", {"v": 1}, 60)
    clock.advance(seconds=61)
    assert store.pop("state-e") is None


def test_launch_state_within_its_ttl_is_returned(sql_database: Database, clock: FakeClock) -> None:
    store = SqlLaunchStateStore(sql_database, clock=clock)
    store.put("state-f", {"v": 1}, 60)
    clock.advance(seconds=59)
    assert store.pop("state-f") == {"v": 1}


def test_a_nonce_may_be_reused_once_its_record_expired(
    sql_database: Database, clock: FakeClock
) -> None:
    store = SqlNonceStore(sql_database, clock=clock)
    assert store.consume(ISSUER, "nonce-e", 60)
    clock.advance(seconds=30)
    assert not store.consume(ISSUER, "nonce-e", 60)
    clock.advance(seconds=31)
    assert store.consume(ISSUER, "nonce-e", 60)


def test_expired_rows_are_purged_on_later_writes(sql_database: Database, clock: FakeClock) -> None:
    states = SqlLaunchStateStore(sql_database, clock=clock)
    nonces = SqlNonceStore(sql_database, clock=clock)
    for n in range(5):
        states.put(f"old-{n}", {"n": n}, 60)
        nonces.consume(ISSUER, f"old-{n}", 60)
    clock.advance(seconds=PURGE_INTERVAL.total_seconds())
    states.put("fresh", {}, 60)
    nonces.consume(ISSUER, "fresh", 60)
    with sql_database.session() as session:
        assert session.scalar(select(func.count()).select_from(LaunchState)) == 1
        assert session.scalar(select(func.count()).select_from(UsedNonce)) == 1


@pytest.mark.redis
def test_redis_records_expire_with_their_ttl(redis_prefix: tuple[Redis, str]) -> None:
    client, prefix = redis_prefix
    RedisLaunchStateStore(client, prefix=prefix).put("state-r", {"v": 1}, 90)
    RedisNonceStore(client, prefix=prefix).consume(ISSUER, "nonce-r", 120)
    ttls = sorted(int(client.ttl(key)) for key in client.scan_iter(match=f"{prefix}*"))
    assert len(ttls) == 2
    assert 0 < ttls[0] <= 90
    assert 90 < ttls[1] <= 120
