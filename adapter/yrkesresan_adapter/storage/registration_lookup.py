"""Platform registrations for the launch, cached per process but never stale.

Loading a registration with its deployments through the ORM is the single most expensive
step of a launch's server time. :class:`FreshPlatformLookup` keeps the loaded registration
and, on every ``find``, reads from the database only the row's ``(id, updated_at)`` and its
deployments' ``(deployment_id, active)`` (one small core query in the launch's transaction).
A deployment deactivated or removed is therefore seen by the very next launch in every
worker, whoever changed it; any other change the platform store makes (``save``,
``set_deployment_active``, ``remove``) bumps ``updated_at`` or deletes the row, so a changed
key set URL is reloaded at once too. On PostgreSQL the launch reads those rows in the
statement that consumes its nonce (``SqlRegisteredNonceStore`` of
:mod:`yrkesresan_adapter.lti.oidc_stores` hands them over with
:meth:`FreshPlatformLookup.prime`).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.driver_statements import DriverStatement
from yrkesresan_adapter.storage.models import Platform, PlatformDeployment
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.lti.platform_cache import RegistrationMemo
from yrkesresan_lti.lti.stores import PlatformRegistration

_Version = tuple[int, datetime, tuple[tuple[str, bool], ...]]
_Primed = tuple[Connection, tuple[str, str | None], Sequence[Any]]


class FreshPlatformLookup:
    """``find`` from memory when the stored row is unchanged; ``save``/``list`` go through."""

    def __init__(self, store: SqlPlatformStore, db: Database) -> None:
        self._store = store
        self._db = db
        self._memo: RegistrationMemo[_Version] = RegistrationMemo()
        self._any_client = (  # built once: a launch runs it on every request
            select(
                Platform.id,
                Platform.updated_at,
                PlatformDeployment.deployment_id,
                PlatformDeployment.active,
            )
            .outerjoin(PlatformDeployment)
            .where(Platform.issuer == bindparam("issuer"))
        )
        self.by_client = self._any_client.where(Platform.client_id == bindparam("client_id"))
        """The version look-up of one (issuer, client_id) (its rows: ``id``, ``updated_at``,
        ``deployment_id``, ``active``), which a statement may run for :meth:`prime`."""
        dialect = db.engine.dialect
        self.by_client_now = DriverStatement(self.by_client, dialect)
        """:attr:`by_client` on the driver's cursor (a launch reads it every time)."""
        self._any_client_now = DriverStatement(self._any_client, dialect)
        self._primed: ContextVar[_Primed | None] = ContextVar(
            f"yrkesresan-platform-rows-{id(self)}", default=None
        )

    def prime(
        self, connection: Connection, issuer: str, client_id: str, rows: Sequence[Any]
    ) -> None:
        """Hand over the rows of :attr:`by_client` that another statement read in this
        connection's transaction: the next ``find`` of (issuer, client_id) in that same
        transaction uses them instead of reading them again (any other ``find`` drops them)."""
        self._primed.set((connection, (issuer, client_id), rows))

    def _primed_rows(
        self, connection: Connection, key: tuple[str, str | None]
    ) -> Sequence[Any] | None:
        primed = self._primed.get()
        if primed is None:
            return None
        self._primed.set(None)  # used once, and only in the transaction that read them
        if primed[0] is not connection or primed[1] != key or not connection.in_transaction():
            return None
        return primed[2]

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        key = (issuer, client_id)
        query, params = self._any_client_now, {"issuer": issuer}
        if client_id is not None:
            query, params = self.by_client_now, {"issuer": issuer, "client_id": client_id}
        with self._db.connection() as connection:
            primed = self._primed_rows(connection, key)
            rows = query.all(connection, params) if primed is None else primed
        if len({row.id for row in rows}) != 1:  # unknown, or ambiguous without a client_id
            self._memo.forget(key)
            return None
        deployments = sorted(
            (row.deployment_id, bool(row.active)) for row in rows if row.deployment_id is not None
        )
        version: _Version = (rows[0].id, rows[0].updated_at, tuple(deployments))
        entry = self._memo.get(key)
        if entry is not None and entry[0] == version:
            return entry[1]
        # Loaded after the version was read: if it changed meanwhile, the next find sees a
        # newer version than the one remembered here and loads again (never stale).
        registration = self._store.find(issuer, client_id)
        self._memo.put(key, version, registration)
        return registration

    def save(self, registration: PlatformRegistration) -> PlatformRegistration:
        return self._store.save(registration)

    def list(self) -> list[PlatformRegistration]:
        return self._store.list()
