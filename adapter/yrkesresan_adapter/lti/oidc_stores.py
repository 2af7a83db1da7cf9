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
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import Table, bindparam, delete, exists, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.driver_statements import DriverStatement
from yrkesresan_adapter.storage.models import LaunchState, UsedNonce
from yrkesresan_adapter.storage.registration_lookup import FreshPlatformLookup
from yrkesresan_adapter.web import health
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import InvalidLaunch
from yrkesresan_lti.lti.stores import LaunchStateStore, NonceStore

PURGE_INTERVAL = timedelta(minutes=1)
"""Expired rows are deleted at most this often per store (on a write)."""


def _check_ttl(ttl_seconds: int) -> None:
    if ttl_seconds <= 0:
        raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds}")


class _Purger:
    def __init__(self, db: Database, model: type[LaunchState | UsedNonce], clock: Clock) -> None:
        self._db, self._model, self._clock = db, model, clock
        self._next: datetime | None = None

    def maybe_purge(self) -> None:
        now = self._clock.now()
        if self._next is not None and now < self._next:
            return
        self._next = now + PURGE_INTERVAL
        with self._db.session() as session:
            session.execute(delete(self._model).where(self._model.expires_at <= now))


class _Statements:
    """The stores' statements, built once per store (a launch runs them on every request):
    each is one statement on the core tables, with PostgreSQL's or SQLite's ``ON CONFLICT``."""

    def __init__(self, db: Database) -> None:
        insert = sqlite_insert if db.is_sqlite else postgresql_insert
        states, nonces = cast(Table, LaunchState.__table__), cast(Table, UsedNonce.__table__)
        put = insert(states)
        self.put_state = put.on_conflict_do_update(  # insert, or replace the old value
            index_elements=[states.c.key],
            set_={"value": put.excluded.value, "expires_at": put.excluded.expires_at},
        )
        self.pop_state = (  # only the worker whose delete removed the row gets it
            delete(states)
            .where(states.c.key == bindparam("key"))
            .returning(states.c.value, states.c.expires_at)
        )
        use = insert(nonces)
        # A new nonce is inserted; a used one is taken over only when its record expired; a
        # concurrent insert of the same nonce waits on the unique index and then loses.
        self.use_nonce = use.on_conflict_do_update(
            index_elements=[nonces.c.issuer, nonces.c.nonce],
            set_={"expires_at": use.excluded.expires_at},
            where=nonces.c.expires_at <= bindparam("now", type_=nonces.c.expires_at.type),
        ).returning(nonces.c.id)
        self.use_nonce_now = DriverStatement(  # the same, on the driver's cursor (launches)
            self.use_nonce, db.engine.dialect, ("issuer", "nonce", "expires_at", "now")
        )


class SqlLaunchStateStore:
    """Launch state rows with an expiry; ``pop`` returns a value at most once."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db, self._clock = db, clock
        self._purger = _Purger(db, LaunchState, clock)
        self._sql = _Statements(db)

    def put(self, key: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        _check_ttl(ttl_seconds)
        if not key or len(key) > 255:
            raise InvalidLaunch("launch state key must be 1-255 characters")
        self._purger.maybe_purge()
        expires_at = self._clock.now() + timedelta(seconds=ttl_seconds)
        with self._db.ephemeral() as connection:  # lost in a crash: the learner starts again
            connection.execute(
                self._sql.put_state, {"key": key, "value": dict(value), "expires_at": expires_at}
            )

    def pop(self, key: str) -> dict[str, Any] | None:
        with self._db.connection() as connection:
            row = connection.execute(self._sql.pop_state, {"key": key}).one_or_none()
        if row is None or row.expires_at <= self._clock.now():
            return None
        return dict(row.value)


class SqlNonceStore:
    """Used nonces; the unique (issuer, nonce) constraint lets exactly one worker win."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db, self._clock = db, clock
        self._purger = _Purger(db, UsedNonce, clock)
        self._sql = _Statements(db)

    def consume(self, issuer: str, nonce: str, ttl_seconds: int) -> bool:
        params = self._params(issuer, nonce, ttl_seconds)
        if params is None:
            return False
        with self._db.connection() as connection:  # one statement, no error path
            won = self._sql.use_nonce_now.execute(connection, params)
        return won is not None

    def _params(self, issuer: str, nonce: str, ttl_seconds: int) -> dict[str, Any] | None:
        """The statement's parameters, or None for a nonce that cannot be ours."""
        _check_ttl(ttl_seconds)
        if not nonce or len(nonce) > 255 or len(issuer) > 1024:
            return None
        self._purger.maybe_purge()
        now = self._clock.now()
        expires_at = now + timedelta(seconds=ttl_seconds)
        return {"issuer": issuer, "nonce": nonce, "expires_at": expires_at, "now": now}


class SqlRegisteredNonceStore(SqlNonceStore):
    """The launch's nonce consumed together with the look-up of its platform's version: on
    PostgreSQL in one statement (a writable CTE), one round trip instead of two; SQLite has
    no writable CTE and runs the look-up, then the nonce's statement.

    The nonce row is inserted only when (issuer, client_id) is registered (nothing is
    consumed for an unknown platform), with the same ``ON CONFLICT`` single use as
    :meth:`SqlNonceStore.consume`; the platform's rows go to the :class:`FreshPlatformLookup`,
    whose next ``find`` in the launch's transaction uses them (the deployment is still
    checked after the id_token's signature, from those rows)."""

    def __init__(
        self, db: Database, lookup: FreshPlatformLookup, *, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        super().__init__(db, clock=clock)
        self._lookup = lookup
        nonces = cast(Table, UsedNonce.__table__)
        registration = lookup.by_client.cte("registration")
        row = select(
            bindparam("nonce_issuer", type_=nonces.c.issuer.type),
            bindparam("nonce", type_=nonces.c.nonce.type),
            bindparam("expires_at", type_=nonces.c.expires_at.type),
        ).where(exists(registration.select()))
        use = postgresql_insert(nonces).from_select(["issuer", "nonce", "expires_at"], row)
        used = (
            use.on_conflict_do_update(
                index_elements=[nonces.c.issuer, nonces.c.nonce],
                set_={"expires_at": use.excluded.expires_at},
                where=nonces.c.expires_at <= bindparam("now", type_=nonces.c.expires_at.type),
            )
            .returning(nonces.c.id)
            .cte("used")
        )
        use_if_registered = select(registration, exists(used.select()).label("won"))
        self._use_if_registered = (  # PostgreSQL's (a writable CTE), on the driver's cursor
            None if db.is_sqlite else DriverStatement(use_if_registered, db.engine.dialect)
        )

    def consume_if_registered(
        self, issuer: str, client_id: str, nonce: str, ttl_seconds: int
    ) -> bool | None:
        params = self._params(issuer, nonce, ttl_seconds)
        if params is None:
            return False
        params.update(nonce_issuer=issuer, client_id=client_id)
        with self._db.connection() as connection:  # no error path
            if self._db.is_sqlite:  # no writable CTE: the look-up, then the nonce
                rows = self._lookup.by_client_now.all(connection, params)
                if rows and self._sql.use_nonce_now.execute(connection, params) is None:
                    return False
            else:
                assert self._use_if_registered is not None  # built for PostgreSQL
                rows = self._use_if_registered.all(connection, params)
                if rows and not rows[0].won:
                    return False
            if not rows:
                return None
            won = True
            if won:
                self._lookup.prime(connection, issuer, client_id, rows)
        return won


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
    """Set ``services.launch_state`` and ``services.nonces``: Redis when configured, else the
    database."""
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
        db: Database = state.services.db
        launch_state, nonces = SqlLaunchStateStore(db), SqlNonceStore(db)
    state.services.launch_state = launch_state
    state.services.nonces = nonces
    return launch_state, nonces


def _redis_ready(client: Redis) -> tuple[bool, dict[str, object]]:
    try:
        client.ping()
    except RedisError as err:
        return False, {"error": type(err).__name__}
    return True, {}
