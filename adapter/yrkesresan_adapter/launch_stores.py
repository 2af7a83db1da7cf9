"""OIDC launch state and id_token nonces, shared by every worker process.

Two implementations of :class:`LaunchStateStore` and :class:`NonceStore`: the database
(default) and Redis (when ``YRKESRESAN_REDIS_URL`` is set). Both make ``pop`` and
``consume`` single-use across processes: the database through a ``DELETE ... RETURNING``
that only one worker can win and an ``INSERT ... ON CONFLICT`` on the unique (issuer, nonce);
Redis through ``GETDEL`` and ``SET NX EX``. Every database operation is one statement, so a
launch can run them in one transaction (:meth:`Database.transaction`). Expired database rows
are purged opportunistically.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from yrkesresan_adapter import health
from yrkesresan_adapter.db import Database
from yrkesresan_adapter.models import LaunchState, UsedNonce
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import InvalidLaunch
from yrkesresan_lti.lti.stores import LaunchStateStore, NonceStore

Clock = Callable[[], datetime]
PURGE_INTERVAL = timedelta(minutes=1)
"""Expired rows are deleted at most this often per store (on a write)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def _check_ttl(ttl_seconds: int) -> None:
    if ttl_seconds <= 0:
        raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds}")


class _Purger:
    def __init__(self, db: Database, model: type[LaunchState | UsedNonce], clock: Clock) -> None:
        self._db, self._model, self._clock = db, model, clock
        self._next: datetime | None = None

    def maybe_purge(self) -> None:
        now = self._clock()
        if self._next is not None and now < self._next:
            return
        self._next = now + PURGE_INTERVAL
        with self._db.session() as session:
            session.execute(delete(self._model).where(self._model.expires_at <= now))


class SqlLaunchStateStore:
    """Launch state rows with an expiry; ``pop`` returns a value at most once."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self._db, self._clock = db, clock
        self._purger = _Purger(db, LaunchState, clock)

    def put(self, key: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        _check_ttl(ttl_seconds)
        if not key or len(key) > 255:
            raise InvalidLaunch("launch state key must be 1-255 characters")
        self._purger.maybe_purge()
        expires_at = self._clock() + timedelta(seconds=ttl_seconds)
        insert = _insert(self._db, LaunchState).values(
            key=key, value=dict(value), expires_at=expires_at
        )
        with self._db.session() as session:  # one statement: insert, or replace the old value
            session.execute(
                insert.on_conflict_do_update(
                    index_elements=[LaunchState.key],
                    set_={"value": insert.excluded.value, "expires_at": expires_at},
                )
            )

    def pop(self, key: str) -> dict[str, Any] | None:
        # One DELETE ... RETURNING: only the worker whose delete removed the row gets it.
        with self._db.session() as session:
            row = session.execute(
                delete(LaunchState)
                .where(LaunchState.key == key)
                .returning(LaunchState.value, LaunchState.expires_at)
            ).one_or_none()
        if row is None or row.expires_at <= self._clock():
            return None
        return dict(row.value)


class SqlNonceStore:
    """Used nonces; the unique (issuer, nonce) constraint lets exactly one worker win."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self._db, self._clock = db, clock
        self._purger = _Purger(db, UsedNonce, clock)

    def consume(self, issuer: str, nonce: str, ttl_seconds: int) -> bool:
        _check_ttl(ttl_seconds)
        if not nonce or len(nonce) > 255 or len(issuer) > 1024:
            return False
        self._purger.maybe_purge()
        now = self._clock()
        insert = _insert(self._db, UsedNonce).values(
            issuer=issuer, nonce=nonce, expires_at=now + timedelta(seconds=ttl_seconds)
        )
        # One statement, no error path, so it can share a launch's transaction: a new nonce
        # is inserted; a used one is taken over only when its record has expired; a
        # concurrent insert of the same nonce waits on the unique index and then loses.
        with self._db.session() as session:
            won = session.execute(
                insert.on_conflict_do_update(
                    index_elements=[UsedNonce.issuer, UsedNonce.nonce],
                    set_={"expires_at": insert.excluded.expires_at},
                    where=UsedNonce.expires_at <= now,
                ).returning(UsedNonce.id)
            ).first()
        return won is not None


def _insert(db: Database, model: type[LaunchState | UsedNonce]) -> Any:
    """``INSERT`` with PostgreSQL's or SQLite's ``ON CONFLICT`` clause."""
    return sqlite_insert(model) if db.is_sqlite else postgresql_insert(model)


class RedisLaunchStateStore:
    """Launch state in Redis: ``SET ... EX`` and ``GETDEL``."""

    def __init__(self, client: Redis, *, prefix: str = "yrkesresan:") -> None:
        self._redis, self._prefix = client, prefix

    def put(self, key: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        _check_ttl(ttl_seconds)
        self._redis.set(self._key(key), json.dumps(dict(value)), ex=ttl_seconds)

    def pop(self, key: str) -> dict[str, Any] | None:
        raw = self._redis.getdel(self._key(key))
        if raw is None:
            return None
        value: dict[str, Any] = json.loads(raw)
        return value

    def _key(self, key: str) -> str:
        return f"{self._prefix}launch-state:{key}"


class RedisNonceStore:
    """Used nonces in Redis: ``SET key 1 NX EX ttl`` succeeds for exactly one caller."""

    def __init__(self, client: Redis, *, prefix: str = "yrkesresan:") -> None:
        self._redis, self._prefix = client, prefix

    def consume(self, issuer: str, nonce: str, ttl_seconds: int) -> bool:
        _check_ttl(ttl_seconds)
        if not nonce:
            return False
        digest = hashlib.sha256(json.dumps([issuer, nonce]).encode()).hexdigest()
        return bool(self._redis.set(f"{self._prefix}nonce:{digest}", b"1", nx=True, ex=ttl_seconds))


def init_app(app: Flask) -> tuple[LaunchStateStore, NonceStore]:
    """Register ``"launch_state"`` and ``"nonces"``: Redis when configured, else the database."""
    state = AdapterState.of(app)
    launch_state: LaunchStateStore
    nonces: NonceStore
    if state.settings.redis_url:
        client: Redis = Redis.from_url(
            state.settings.redis_url, socket_connect_timeout=5, socket_timeout=5
        )
        launch_state, nonces = RedisLaunchStateStore(client), RedisNonceStore(client)
        health.add_check(app, "redis", lambda: _redis_ready(client))
    else:
        db: Database = state.services["db"]
        launch_state, nonces = SqlLaunchStateStore(db), SqlNonceStore(db)
    state.register("launch_state", launch_state)
    state.register("nonces", nonces)
    return launch_state, nonces


def _redis_ready(client: Redis) -> tuple[bool, dict[str, object]]:
    try:
        client.ping()
    except RedisError as err:
        return False, {"error": type(err).__name__}
    return True, {}
