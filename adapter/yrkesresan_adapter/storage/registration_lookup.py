"""Platform registrations for the launch, cached per process but never stale.

Loading a registration with its deployments through the ORM is the single most expensive
step of a launch's server time. :class:`FreshPlatformLookup` keeps the loaded registration
and, on every ``find``, reads from the database only the row's ``(id, updated_at)`` and its
deployments' ``(deployment_id, active)`` (one small core query in the launch's transaction).
A deployment deactivated or removed is therefore seen by the very next launch in every
worker, whoever changed it; any other change the platform store makes (``save``,
``set_deployment_active``, ``remove``) bumps ``updated_at`` or deletes the row, so a changed
key set URL is reloaded at once too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select

from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.models import Platform, PlatformDeployment
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.lti.platform_cache import RegistrationMemo
from yrkesresan_lti.lti.stores import PlatformRegistration

_Version = tuple[int, datetime, tuple[tuple[str, bool], ...]]


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
        self._by_client = self._any_client.where(Platform.client_id == bindparam("client_id"))

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        key = (issuer, client_id)
        query, params = self._any_client, {"issuer": issuer}
        if client_id is not None:
            query, params = self._by_client, {"issuer": issuer, "client_id": client_id}
        with self._db.connection() as connection:
            rows = connection.execute(query, params).all()
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
