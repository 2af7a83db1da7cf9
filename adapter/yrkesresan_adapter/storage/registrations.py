"""Platform registrations in the database: the adapter's :class:`PlatformStore`.

A registration is keyed on (issuer, client_id) because Canvas uses one issuer for every
customer. ``find(issuer)`` without a client_id answers only when the issuer has exactly one
registration.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.models import Platform, PlatformDeployment
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import (
    AmbiguousPlatform,
    InvalidPlatform,
    PlatformExists,
    UnknownDeployment,
    UnknownPlatform,
)
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration


class SqlPlatformStore:
    """Platform registrations and their deployments, stored with SQLAlchemy."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = db
        self._clock = clock

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        with self._db.session() as session:
            rows = _matching(session, issuer, client_id)
            return _to_registration(rows[0]) if len(rows) == 1 else None

    def get(self, issuer: str, client_id: str | None = None) -> PlatformRegistration:
        """Like :meth:`find`, but raises :class:`UnknownPlatform` or :class:`AmbiguousPlatform`."""
        with self._db.session() as session:
            return _to_registration(_one(session, issuer, client_id))

    def list(self) -> list[PlatformRegistration]:
        with self._db.session() as session:
            rows = session.scalars(select(Platform).order_by(Platform.issuer, Platform.client_id))
            return [_to_registration(row) for row in rows]

    def add(self, registration: PlatformRegistration) -> PlatformRegistration:
        """Register a new platform; :class:`PlatformExists` if (issuer, client_id) is taken."""
        validate_registration(registration)
        now = self._clock.now()
        try:
            with self._db.session() as session:
                row = Platform(created_at=now, updated_at=now)
                _copy_into(row, registration, now)
                session.add(row)
                session.flush()
                return _to_registration(row)
        except IntegrityError as err:
            raise PlatformExists(
                f"platform {registration.issuer} with client_id {registration.client_id} "
                "is already registered: remove it first or change it",
                issuer=registration.issuer,
                client_id=registration.client_id,
            ) from err

    def save(self, registration: PlatformRegistration) -> PlatformRegistration:
        """Create or update the registration for (issuer, client_id).

        The saved deployments are exactly ``registration.deployments``.
        """
        validate_registration(registration)
        with self._db.session() as session:
            row = session.scalar(_by_key(registration.issuer, registration.client_id))
        if row is None:
            try:
                return self.add(registration)
            except PlatformExists:
                pass  # another worker added it meanwhile: update theirs
        now = self._clock.now()
        with self._db.session() as session:
            row = session.scalars(
                _by_key(registration.issuer, registration.client_id).with_for_update()
            ).one()
            _copy_into(row, registration, now)
            row.updated_at = now
            session.flush()
            return _to_registration(row)

    def remove(self, issuer: str, client_id: str | None = None) -> PlatformRegistration:
        with self._db.session() as session:
            row = _one(session, issuer, client_id)
            removed = _to_registration(row)
            session.delete(row)
            return removed

    def set_deployment_active(
        self, issuer: str, deployment_id: str, active: bool, client_id: str | None = None
    ) -> PlatformRegistration:
        """Activate (adding it if new) or deactivate (it must exist) one deployment."""
        now = self._clock.now()
        with self._db.session() as session:
            row = _one(session, issuer, client_id)
            deployment = next(
                (d for d in row.deployments if d.deployment_id == deployment_id), None
            )
            if deployment is None and not active:
                known = ", ".join(d.deployment_id for d in row.deployments)
                raise UnknownDeployment(
                    f"unknown deployment {deployment_id!r} for {issuer}; known: [{known}]",
                    deployment_id=deployment_id,
                    issuer=issuer,
                    known=known,
                )
            if deployment is None:
                _check_text("deployment_id", deployment_id, 255)
                row.deployments.append(
                    PlatformDeployment(deployment_id=deployment_id, active=True, created_at=now)
                )
            else:
                deployment.active = active
            row.updated_at = now
            session.flush()
            return _to_registration(row)


def validate_registration(registration: PlatformRegistration) -> None:
    """Raise :class:`InvalidPlatform` naming the first bad field."""
    _check_url("issuer", registration.issuer)
    _check_text("client_id", registration.client_id, 255)
    _check_text("name", registration.name, 255)
    _check_url("auth_login_url", registration.auth_login_url)
    _check_url("auth_token_url", registration.auth_token_url)
    _check_url("key_set_url", registration.key_set_url)
    if registration.auth_audience is not None:
        _check_text("auth_audience", registration.auth_audience, 2048)
    for deployment in registration.deployments:
        _check_text("deployment_id", deployment.deployment_id, 255)


def _check_text(field: str, value: str, max_length: int) -> None:
    if not value or not value.strip():
        raise InvalidPlatform(f"{field} must not be empty", reason="empty", field=field)
    if len(value) > max_length:
        raise InvalidPlatform(
            f"{field} is longer than {max_length} characters",
            reason="too_long",
            field=field,
            max_length=str(max_length),
        )


def _check_url(field: str, value: str) -> None:
    _check_text(field, value, 1024 if field == "issuer" else 2048)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidPlatform(
            f"{field} must be an http(s) URL, got {value!r}",
            reason="not_url",
            field=field,
            value=value,
        )


def _by_key(issuer: str, client_id: str) -> Select[Platform]:
    return select(Platform).where(Platform.issuer == issuer, Platform.client_id == client_id)


def _matching(session: Session, issuer: str, client_id: str | None) -> list[Platform]:
    query = select(Platform).where(Platform.issuer == issuer)
    if client_id is not None:
        query = query.where(Platform.client_id == client_id)
    return list(session.scalars(query.order_by(Platform.client_id).limit(2)))


def _one(session: Session, issuer: str, client_id: str | None) -> Platform:
    rows = _matching(session, issuer, client_id)
    if len(rows) == 1:
        return rows[0]
    if not rows:
        if client_id:
            raise UnknownPlatform(
                f"no platform registered for {issuer} with client_id {client_id}: "
                "see 'yrkesresan platform list'",
                reason="with_client_id",
                issuer=issuer,
                client_id=client_id,
            )
        raise UnknownPlatform(
            f"no platform registered for {issuer}: see 'yrkesresan platform list'",
            issuer=issuer,
        )
    count = session.scalar(select(func.count()).where(Platform.issuer == issuer))
    raise AmbiguousPlatform(
        f"{issuer} has {count} registrations: give --client-id",
        issuer=issuer,
        count=str(count),
    )


def _copy_into(row: Platform, registration: PlatformRegistration, now: datetime) -> None:
    row.issuer = registration.issuer
    row.client_id = registration.client_id
    row.name = registration.name
    row.auth_login_url = registration.auth_login_url
    row.auth_token_url = registration.auth_token_url
    row.key_set_url = registration.key_set_url
    row.auth_audience = registration.auth_audience
    row.send_names = registration.send_names
    row.extra = dict(registration.extra)
    wanted = {d.deployment_id: d.active for d in registration.deployments}
    existing = {d.deployment_id: d for d in row.deployments}
    for deployment_id, deployment in existing.items():
        if deployment_id in wanted:
            deployment.active = wanted[deployment_id]
        else:
            row.deployments.remove(deployment)
    for deployment_id, active in wanted.items():
        if deployment_id not in existing:
            row.deployments.append(
                PlatformDeployment(deployment_id=deployment_id, active=active, created_at=now)
            )


def _to_registration(row: Platform) -> PlatformRegistration:
    return PlatformRegistration(
        id=row.id,
        issuer=row.issuer,
        client_id=row.client_id,
        name=row.name,
        auth_login_url=row.auth_login_url,
        auth_token_url=row.auth_token_url,
        key_set_url=row.key_set_url,
        auth_audience=row.auth_audience,
        send_names=row.send_names,
        extra=dict(row.extra or {}),
        deployments=tuple(
            Deployment(deployment_id=d.deployment_id, active=d.active)
            for d in sorted(row.deployments, key=lambda d: d.deployment_id)
        ),
    )


def init_app(app: Flask, store: SqlPlatformStore | None = None) -> SqlPlatformStore:
    """Set ``services.platforms``, the platform store (needs ``services.db``)."""
    state = AdapterState.of(app)
    store = store or SqlPlatformStore(state.services.db)
    state.services.platforms = store
    return store
