"""``Database.transaction``: the stores of one launch share one transaction, on SQLite and
PostgreSQL, and stay single-use across workers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
from sqlalchemy import event, select

from yrkesresan_adapter.lti.oidc_stores import SqlLaunchStateStore, SqlNonceStore
from yrkesresan_adapter.lti.session import SqlLaunchContextStore
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.models import LaunchState
from yrkesresan_lti.clock import utcnow
from yrkesresan_lti.exceptions import BadState, YrkesresanError

ISSUER = "https://moodle.kommun.example"


@pytest.fixture
def commits(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_commit(_connection: object) -> None:
        seen.append("commit")

    event.listen(database.engine, "commit", on_commit)
    yield seen
    event.remove(database.engine, "commit", on_commit)


def launch_steps(database: Database, state: str, nonce: str) -> bool:
    """What a launch does with storage: pop the state, consume the nonce, store the launch."""
    record = SqlLaunchStateStore(database).pop(state)
    if record is None:
        raise BadState("unknown state")
    if not SqlNonceStore(database).consume(ISSUER, nonce, 600):
        return False
    SqlLaunchContextStore(database).put(f"launch-{nonce}", {"nonce": nonce}, 600)
    return True


def test_a_launch_in_one_transaction_commits_once(database: Database, commits: list[str]) -> None:
    SqlLaunchStateStore(database).put("s1", {"nonce": "n1"}, 600)
    commits.clear()
    with database.transaction():
        assert launch_steps(database, "s1", "n1")
    assert commits == ["commit"]
    assert SqlLaunchContextStore(database).get("launch-n1") == {"nonce": "n1"}
    assert SqlLaunchStateStore(database).pop("s1") is None
    assert not SqlNonceStore(database).consume(ISSUER, "n1", 600)


def test_a_transaction_that_touches_nothing_opens_no_connection(database: Database) -> None:
    checkouts: list[object] = []

    def on_checkout(*args: object) -> None:
        checkouts.append(args)

    event.listen(database.engine.pool, "checkout", on_checkout)
    with database.transaction():
        pass
    event.remove(database.engine.pool, "checkout", on_checkout)
    assert checkouts == []


def test_an_unexpected_error_rolls_everything_back(database: Database) -> None:
    SqlLaunchStateStore(database).put("s1", {"nonce": "n1"}, 600)

    def launch_then_fail() -> None:
        with database.transaction(commit_on=(YrkesresanError,)):
            launch_steps(database, "s1", "n1")
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        launch_then_fail()
    assert SqlLaunchStateStore(database).pop("s1") == {"nonce": "n1"}
    assert SqlNonceStore(database).consume(ISSUER, "n1", 600)
    assert SqlLaunchContextStore(database).get("launch-n1") is None


def test_a_refused_launch_still_uses_up_its_state(database: Database) -> None:
    states = SqlLaunchStateStore(database)
    states.put("s1", {"nonce": "n1"}, 600)

    def pop_then_refuse() -> None:
        with database.transaction(commit_on=(YrkesresanError,)):
            assert states.pop("s1") is not None
            raise BadState("the id_token did not verify")

    with pytest.raises(BadState):
        pop_then_refuse()
    assert states.pop("s1") is None


def test_nested_transactions_join_the_outer_one(database: Database, commits: list[str]) -> None:
    SqlLaunchStateStore(database).put("s1", {"nonce": "n1"}, 600)
    commits.clear()
    with database.transaction(), database.transaction():
        launch_steps(database, "s1", "n1")
    assert commits == ["commit"]


def test_racing_launch_transactions_use_a_state_and_a_nonce_once(database: Database) -> None:
    SqlLaunchStateStore(database).put("s1", {"nonce": "n1"}, 600)
    workers = [Database(database.url) for _ in range(6)]
    barrier = threading.Barrier(len(workers))
    outcomes: list[str] = []

    def race(worker: Database) -> None:
        barrier.wait()
        try:
            with worker.transaction(commit_on=(YrkesresanError,)):
                outcomes.append("won" if launch_steps(worker, "s1", "n1") else "nonce used")
        except BadState:
            outcomes.append("state used")

    threads = [threading.Thread(target=race, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.dispose()
    assert sorted(outcomes) == ["state used"] * 5 + ["won"]


def test_racing_transactions_consume_a_nonce_once_even_with_fresh_states(
    database: Database,
) -> None:
    workers = [Database(database.url) for _ in range(6)]
    for n, _ in enumerate(workers):
        SqlLaunchStateStore(database).put(f"s{n}", {"nonce": "n1"}, 600)
    barrier = threading.Barrier(len(workers))
    outcomes: list[bool] = []

    def race(n: int, worker: Database) -> None:
        barrier.wait()
        with worker.transaction():
            outcomes.append(launch_steps(worker, f"s{n}", "n1"))

    threads = [threading.Thread(target=race, args=pair) for pair in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.dispose()
    assert sorted(outcomes) == [False] * 5 + [True]


def test_a_login_state_is_stored_without_waiting_for_the_disk_and_durability_comes_back(
    database: Database,
) -> None:
    """The login's state is committed like any value (another connection pops it once),
    with the commit's durability lowered for that transaction only: on SQLite the next
    connection from the pool is durable again (``synchronous`` FULL)."""
    settings: list[object] = []

    def on_execute(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if "synchronous" in sql:
            settings.append(sql)

    event.listen(database.engine, "before_cursor_execute", on_execute)
    try:
        SqlLaunchStateStore(database).put("state-eph", {"nonce": "n"}, 600)
    finally:
        event.remove(database.engine, "before_cursor_execute", on_execute)
    assert SqlLaunchStateStore(database).pop("state-eph") == {"nonce": "n"}
    assert SqlLaunchStateStore(database).pop("state-eph") is None
    if database.is_sqlite:
        assert "PRAGMA synchronous = NORMAL" in settings
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    else:
        assert settings == ["SET LOCAL synchronous_commit = off"]
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


def test_sessions_and_connections_of_a_block_share_its_one_connection(
    database: Database, commits: list[str]
) -> None:
    """An ORM session asked for inside the block runs on the block's connection: what it adds
    is flushed into the block's transaction and committed with it, once."""
    with database.transaction():
        with database.connection() as connection:
            SqlLaunchContextStore(database).put("core", {"n": 1}, 600)
        with database.session() as session:
            assert session.connection() is connection
            session.add(LaunchState(key="orm", value={"n": 2}, expires_at=utcnow()))
            session.flush()
            seen = connection.execute(select(LaunchState.key).order_by(LaunchState.key)).all()
            assert [row.key for row in seen] == ["launch-context:core", "orm"]
        with database.connection() as again:
            assert again is connection
    assert commits == ["commit"]
    assert SqlLaunchContextStore(database).get("core") == {"n": 1}
    with database.session() as session:
        assert session.get(LaunchState, "orm") is not None


def test_an_error_after_a_sessions_flush_rolls_the_whole_block_back(database: Database) -> None:
    def block() -> None:
        with database.transaction():
            SqlLaunchContextStore(database).put("core", {"n": 1}, 600)
            with database.session() as session:
                session.add(LaunchState(key="orm", value={}, expires_at=utcnow()))
                session.flush()
            raise RuntimeError("after the writes")

    with pytest.raises(RuntimeError):
        block()
    assert SqlLaunchContextStore(database).get("core") is None
    with database.session() as session:
        assert session.get(LaunchState, "orm") is None


def test_unflushed_orm_work_is_committed_with_the_block(database: Database) -> None:
    expires = datetime.now(UTC) + timedelta(minutes=5)
    with database.transaction(), database.session() as session:
        session.add(LaunchState(key="orm-2", value={}, expires_at=expires))
    with database.session() as session:
        assert session.get(LaunchState, "orm-2") is not None


def test_a_block_of_core_statements_opens_no_orm_session(database: Database) -> None:
    with patch.object(database, "sessionmaker", wraps=database.sessionmaker) as factory:
        with database.transaction():
            SqlLaunchContextStore(database).put("core-1", {"n": 1}, 600)
            assert SqlLaunchContextStore(database).get("core-1") == {"n": 1}
        assert factory.call_count == 0
        with database.transaction(), database.session():
            pass
        assert factory.call_count == 1
