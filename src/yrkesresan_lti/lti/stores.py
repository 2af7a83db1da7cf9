"""What the LTI launch flow needs from storage, as small protocols.

The adapter implements them with SQLAlchemy (and Redis for launch state when configured);
tests use the in-memory implementations in :mod:`yrkesresan_lti.lti.memory`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Deployment:
    """One LTI deployment of a platform registration. Launches need it active."""

    deployment_id: str
    active: bool = False


@dataclass(frozen=True)
class PlatformRegistration:
    """A registered LMS, keyed on (issuer, client_id): Canvas uses one issuer for everyone."""

    issuer: str
    client_id: str
    name: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployments: tuple[Deployment, ...] = ()
    auth_audience: str | None = None
    id: int | None = None
    send_names: bool = False
    """Put real names/e-mails in xAPI actors (off by default: pseudonymous)."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def deployment(self, deployment_id: str) -> Deployment | None:
        """The deployment with this id, or ``None``."""
        for deployment in self.deployments:
            if deployment.deployment_id == deployment_id:
                return deployment
        return None


class PlatformStore(Protocol):
    """The registered LMSs, keyed on (issuer, client_id) (a database table in the adapter)."""

    def find(self, issuer: str, client_id: str | None = None) -> PlatformRegistration | None:
        """The registration for (issuer, client_id); with no client_id only if unambiguous."""

    def save(self, registration: PlatformRegistration) -> PlatformRegistration:
        """Store a new or changed registration; returns it as stored (with its ``id``)."""
        ...

    def list(self) -> list[PlatformRegistration]:
        """Every registration."""
        ...


class LaunchStateStore(Protocol):
    """OIDC state between login and launch, visible to every worker."""

    def put(self, key: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        """Keep ``value`` under ``key`` for ``ttl_seconds``."""
        ...

    def pop(self, key: str) -> dict[str, Any] | None:
        """Return and delete the value (once), or None when missing or expired."""


class NonceStore(Protocol):
    """Nonces already used, shared by every worker: each id_token is accepted once."""

    def consume(self, issuer: str, nonce: str, ttl_seconds: int) -> bool:
        """Record the nonce; True the first time, False for every later use (any worker)."""


@runtime_checkable
class RegisteredNonceStore(NonceStore, Protocol):
    """A :class:`NonceStore` that can consume a nonce only for a registered platform, in one
    step with the launch's look-up of that platform (the database's round trips)."""

    def consume_if_registered(
        self, issuer: str, client_id: str, nonce: str, ttl_seconds: int
    ) -> bool | None:
        """Like :meth:`NonceStore.consume` when (issuer, client_id) is registered; None,
        consuming nothing, when it is not."""


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair of the tool or a platform: private PEM, public JWK and ``kid``."""

    kid: str
    private_key_pem: str = field(repr=False)
    """Unencrypted PKCS#8 PEM; kept out of ``repr`` so it never reaches a log."""
    public_jwk: Mapping[str, Any]


class ToolKeyStore(Protocol):
    """The tool's own keys: the one it signs with and the public set it publishes."""

    def signing_key(self) -> SigningKey:
        """The key the tool signs with now (created on first use)."""

    def public_jwks(self) -> dict[str, Any]:
        """``{"keys": [...]}`` with current, next and still-overlapping old keys."""


class LaunchContextStore(Protocol):
    """Validated launches (``LaunchContext`` as a JSON-able dict), keyed by launch id, so any
    worker can resolve a launch token; entries expire with the token."""

    def put(self, launch_id: str, value: Mapping[str, Any], ttl_seconds: int) -> None:
        """Keep a validated launch for ``ttl_seconds``."""
        ...

    def get(self, launch_id: str) -> dict[str, Any] | None:
        """The stored value, or None when missing or expired (reading does not delete)."""
