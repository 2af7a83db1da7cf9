"""The tool's RSA signing keys, stored server-side in the database (never in the repository).

Lifecycle of a key (``keys rotate`` drives it; the clock is injectable):

1. **next** - created by ``rotate``: published in the JWKS at once, does not sign yet;
2. **current** - promoted by a later ``rotate`` (once the next key has been published for
   ``promote_after``, or at once with ``promote=True``): signs everything;
3. **retired** - the previous current key: still published for ``overlap`` (setting
   ``key_rotation_overlap_days``), then it drops out of the JWKS and is deleted.

The first key is created on first use. Private keys are PKCS#8 PEM, encrypted with the
secret key when one is configured, and never logged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from sqlalchemy import Select, delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.models import ToolKey
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock
from yrkesresan_lti.exceptions import ConfigurationError, KeyRotationError
from yrkesresan_lti.lti.stores import SigningKey
from yrkesresan_lti.settings import Settings

log = logging.getLogger("yrkesresan.keys")
KeyFactory = Callable[[], rsa.RSAPrivateKey]
KeyState = Literal["current", "next", "retired"]
DEFAULT_PROMOTE_AFTER = timedelta(hours=24)
"""How long a next key is published before a plain ``rotate`` may promote it."""


def generate_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class KeyInfo:
    """One stored key as ``keys list`` shows it (no private material)."""

    kid: str
    state: KeyState
    created_at: datetime
    activated_at: datetime | None
    retired_at: datetime | None
    published_until: datetime | None
    """None while the key is current or next (published until further notice)."""


@dataclass(frozen=True)
class Rotation:
    """What ``rotate`` did: created a next key, or promoted it (retiring the old ones)."""

    action: Literal["created", "promoted"]
    kid: str
    retired: tuple[str, ...] = ()


class SqlToolKeyStore:
    """Implements :class:`~yrkesresan_lti.lti.stores.ToolKeyStore` with the ``tool_keys`` table."""

    def __init__(
        self,
        db: Database,
        *,
        overlap: timedelta = timedelta(days=7),
        promote_after: timedelta = DEFAULT_PROMOTE_AFTER,
        secret: str | None = None,
        clock: Clock = SYSTEM_CLOCK,
        key_factory: KeyFactory = generate_rsa_key,
    ) -> None:
        self._db = db
        self._overlap, self._promote_after = overlap, promote_after
        self._secret = secret.encode() if secret else None
        self._clock, self._key_factory = clock, key_factory
        self._decrypted: dict[str, SigningKey] = {}
        self._lock = threading.Lock()

    # --- the ToolKeyStore protocol -------------------------------------------------------

    def signing_key(self) -> SigningKey:
        row = self._current_row() or self._create_first_key()
        with self._lock:
            cached = self._decrypted.get(row.kid)
        if cached is None:
            cached = SigningKey(row.kid, self._decrypt(row), dict(row.public_jwk))
            with self._lock:
                self._decrypted[row.kid] = cached
        return cached

    def public_jwks(self) -> dict[str, Any]:
        published = self._published()  # one read: a current key is among them if there is one
        if not any(info.state == "current" for info, _ in published):
            self._create_first_key()
            published = self._published()
        return {"keys": [jwk for _, jwk in published]}

    # --- administration ------------------------------------------------------------------

    def ensure_signing_key(self) -> str:
        """Create the first key if there is none; return the kid that signs."""
        return self.signing_key().kid

    def rotate(self, *, promote: bool = False) -> Rotation:
        """Create the next key, or promote it once it has been published long enough."""
        now = self._clock.now()
        self._purge_expired(now)
        with self._db.session() as session:
            rows = list(session.scalars(select(ToolKey).where(ToolKey.retired_at.is_(None))))
            waiting = sorted((r for r in rows if r.activated_at is None), key=_created)
            if not waiting:
                if promote:
                    raise KeyRotationError(
                        "no next key to promote: run 'yrkesresan keys rotate' first",
                        reason="nothing_to_promote",
                    )
                if not any(r.activated_at is not None for r in rows):
                    session.add(self._new_row(now, activated=True))
                row = self._new_row(now, activated=False)
                session.add(row)
                return Rotation("created", row.kid)
            candidate = waiting[-1]
            ready_at = candidate.created_at + self._promote_after
            if not promote and now < ready_at:
                published = f"{candidate.created_at:%Y-%m-%d %H:%M}"
                ready = f"{ready_at:%Y-%m-%d %H:%M}"
                raise KeyRotationError(
                    f"the next key {candidate.kid} has been published since {published} UTC "
                    f"and can be promoted at {ready} UTC at the earliest; --promote forces it",
                    reason="too_early",
                    kid=candidate.kid,
                    published=published,
                    ready=ready,
                )
            retired = tuple(r.kid for r in rows if r is not candidate)
            for other in rows:
                if other is not candidate:
                    other.retired_at = now
            candidate.activated_at = now
            return Rotation("promoted", candidate.kid, retired)

    def list_keys(self) -> list[KeyInfo]:
        """The published keys: current, next, then retired ones still in their overlap."""
        return [info for info, _ in self._published()]

    # --- internals -----------------------------------------------------------------------

    def _info(self, row: ToolKey) -> KeyInfo:
        state: KeyState
        if row.retired_at is not None:
            state = "retired"
        elif row.activated_at is not None:
            state = "current"
        else:
            state = "next"
        until = row.retired_at + self._overlap if row.retired_at is not None else None
        return KeyInfo(row.kid, state, row.created_at, row.activated_at, row.retired_at, until)

    def _published(self) -> list[tuple[KeyInfo, dict[str, Any]]]:
        now = self._clock.now()
        with self._db.session() as session:
            rows = list(session.scalars(select(ToolKey)))
        live = [(self._info(row), dict(row.public_jwk)) for row in rows]
        live = [(i, jwk) for i, jwk in live if i.published_until is None or i.published_until > now]
        return sorted(
            live, key=lambda pair: (_STATE_ORDER[pair[0].state], -pair[0].created_at.timestamp())
        )

    def _current_row(self) -> ToolKey | None:
        with self._db.session() as session:
            return session.scalars(_current_key()).first()

    def _create_first_key(self) -> ToolKey:
        """Create the first key and commit it at once, in transactions of its own: it may be
        needed inside a page's transaction (a roster asks for a service token, signed with
        it), and the platform then fetches our key set from another worker, which must find
        the key committed. Joined to the page's transaction, the key stayed invisible until
        the page ended, and that worker, creating one too, waited for the page's write lock
        while the page waited for the platform (a real Moodle 4.5's first roster)."""
        now = self._clock.now()
        with self._db.sessionmaker() as session, session.begin():
            session.add(self._new_row(now, activated=True))
        # Workers starting at once may each create one: all sign with the oldest, and the
        # others are retired (still published for the overlap, so nothing signed fails).
        with self._db.sessionmaker() as session, session.begin():
            row = session.scalars(_current_key()).first()
        assert row is not None
        with self._db.sessionmaker() as session, session.begin():
            session.execute(
                update(ToolKey)
                .where(
                    ToolKey.activated_at.is_not(None),
                    ToolKey.retired_at.is_(None),
                    ToolKey.kid != row.kid,
                )
                .values(retired_at=now)
            )
        return row

    def _new_row(self, now: datetime, *, activated: bool) -> ToolKey:
        key = self._key_factory()
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(self._secret)
            if self._secret
            else serialization.NoEncryption()
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ).decode("ascii")
        jwk = public_jwk(key.public_key())
        return ToolKey(
            kid=jwk["kid"],
            private_key_pem=pem,
            encrypted=self._secret is not None,
            public_jwk=jwk,
            created_at=now,
            activated_at=now if activated else None,
            retired_at=None,
        )

    def _decrypt(self, row: ToolKey) -> str:
        if not row.encrypted:
            return row.private_key_pem
        if self._secret is None:
            raise ConfigurationError(
                "the tool key is encrypted but YRKESRESAN_SECRET_KEY is not set",
                reason="tool_key_no_secret",
            )
        try:
            key = serialization.load_pem_private_key(row.private_key_pem.encode(), self._secret)
        except ValueError as err:
            raise ConfigurationError(
                "the tool key cannot be decrypted with YRKESRESAN_SECRET_KEY "
                "(not the secret key it was stored with)",
                reason="tool_key_wrong_secret",
            ) from err
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def _purge_expired(self, now: datetime) -> None:
        with self._db.session() as session:
            session.execute(delete(ToolKey).where(ToolKey.retired_at <= now - self._overlap))


_STATE_ORDER = {"current": 0, "next": 1, "retired": 2}


def public_jwk(key: rsa.RSAPublicKey) -> dict[str, Any]:
    """The public JWK (RFC 7517) with its RFC 7638 thumbprint as ``kid``."""
    numbers = key.public_numbers()
    members = {"e": _b64uint(numbers.e), "kty": "RSA", "n": _b64uint(numbers.n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()
    return {**members, "kid": kid, "alg": "RS256", "use": "sig"}


def _b64uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _current_key() -> Select[ToolKey]:
    """The key that signs: the oldest activated one not retired."""
    return (
        select(ToolKey)
        .where(ToolKey.activated_at.is_not(None), ToolKey.retired_at.is_(None))
        .order_by(ToolKey.activated_at, ToolKey.kid)
        .limit(1)
    )


def _created(row: ToolKey) -> datetime:
    return row.created_at


def store_from_settings(db: Database, settings: Settings) -> SqlToolKeyStore:
    """The key store configured by ``key_rotation_overlap_days`` and ``secret_key``."""
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    return SqlToolKeyStore(
        db, overlap=timedelta(days=settings.key_rotation_overlap_days), secret=secret
    )


def init_app(app: Flask, store: SqlToolKeyStore | None = None) -> SqlToolKeyStore:
    """Set ``services.tool_keys`` (needs ``services.db``); :func:`ensure_at_startup` makes
    the first signing key once the schema is there."""
    state = AdapterState.of(app)
    store = store or store_from_settings(state.services.db, state.settings)
    state.services.tool_keys = store
    return store


def ensure_at_startup(app: Flask) -> None:
    """Make sure a signing key exists, after the schema was migrated (outside production) or
    checked. When the database cannot be used yet (production before ``yrkesresan db
    upgrade``, or unreachable), the migrations have already warned with the fix
    (``db_schema_behind``, ``db_unreachable``): the key is made on first use, and this says
    so at INFO. Before, this ran before the migrations and warned on every new instance."""
    store = AdapterState.of(app).services.tool_keys
    if not isinstance(store, SqlToolKeyStore):
        return
    try:
        store.ensure_signing_key()
    except SQLAlchemyError as err:
        log.info(
            "tool_key_on_first_use",
            extra={"event": "tool_key_on_first_use", "error": type(err).__name__},
        )
