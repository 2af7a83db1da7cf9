"""The LTI storage tables as SQLAlchemy 2 declarative models: platforms and deployments,
the tool's keys, OIDC launch states and consumed nonces (on the shared
:data:`~yrkesresan_adapter.storage.metadata.metadata`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yrkesresan_adapter.storage.metadata import Base


class Platform(Base):
    """A registered LMS, keyed on (issuer, client_id): Canvas uses one issuer for everyone."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(1024))
    client_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    """The municipality (or region) shown to admins."""
    auth_login_url: Mapped[str] = mapped_column(String(2048))
    auth_token_url: Mapped[str] = mapped_column(String(2048))
    key_set_url: Mapped[str] = mapped_column(String(2048))
    auth_audience: Mapped[str | None] = mapped_column(String(2048))
    send_names: Mapped[bool] = mapped_column(Boolean, server_default=false())
    """Put real names/e-mails in xAPI actors (off by default: pseudonymous)."""
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Anything else a registration brings (e.g. from dynamic registration)."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deployments: Mapped[list[PlatformDeployment]] = relationship(
        back_populates="platform",
        cascade="all, delete-orphan",
        order_by="PlatformDeployment.deployment_id",
        lazy="selectin",
    )


class PlatformDeployment(Base):
    """One LTI deployment of a platform; only active deployments may launch."""

    __tablename__ = "lti_deployments"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime]
    platform: Mapped[Platform] = relationship(back_populates="deployments")


class ToolKey(Base):
    """An RSA key pair of the tool.

    State follows from the timestamps: ``activated_at`` NULL is the *next* key (published,
    not signing); set and ``retired_at`` NULL is the *current* key (signs); ``retired_at``
    set is an old key, still published until ``retired_at`` + the overlap.
    """

    __tablename__ = "tool_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_key_pem: Mapped[str] = mapped_column(Text)
    """PKCS#8 PEM, encrypted with the secret key when ``encrypted``."""
    encrypted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    public_jwk: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    activated_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]


LAUNCH_CONTEXT_PREFIX = "launch-context:"
"""Key prefix of the stored launches (with the LMS's name and e-mail) among the states."""


class LaunchState(Base):
    """OIDC state between login and launch (shared by every worker), and the stored
    launches behind the pages' launch tokens (keys starting with :data:`LAUNCH_CONTEXT_PREFIX`).
    """

    __tablename__ = "lti_launch_states"
    __table_args__ = (Index(None, "expires_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[dict[str, Any]]
    expires_at: Mapped[datetime]


class UsedNonce(Base):
    """A consumed id_token nonce; the unique constraint makes ``consume`` single-use."""

    __tablename__ = "lti_nonces"
    __table_args__ = (UniqueConstraint("issuer", "nonce"), Index(None, "expires_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(1024))
    nonce: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime]


class MunicipalityAssignment(Base):
    """SCB's kommunkod of a platform (both ids ``""``), a deployment (``context_id`` ``""``)
    or a single LMS context (a regional LMS shared by several municipalities).

    ``""`` stands for "any" (not NULL: a unique constraint treats NULLs as distinct). The most
    specific row wins (:mod:`yrkesresan_adapter.storage.municipalities`).
    """

    __tablename__ = "lti_municipalities"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id", "context_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255))
    municipality_code: Mapped[str] = mapped_column(String(4))
    updated_at: Mapped[datetime]
