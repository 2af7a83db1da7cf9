"""The adapter's tables (SQLAlchemy 2 declarative models) on one shared :data:`metadata`.

Alembic migrations in :mod:`yrkesresan_adapter.migrations` create exactly this schema; a
test compares them. The outbox table of :mod:`yrkesresan_lti.outbox` is part of the same
metadata, so one ``yrkesresan db upgrade`` creates everything.

All timestamps are timezone-aware UTC (:class:`UtcDateTime`), also on SQLite.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from yrkesresan_adapter.ags_schema import define_placements_table
from yrkesresan_adapter.pages.attendance_schema import define_attendance_table
from yrkesresan_adapter.pages.occasion_schema import OccasionTables, define_occasion_tables
from yrkesresan_adapter.pages.outcome_store import define_outcome_table
from yrkesresan_adapter.pages.schema import ProgressTables, define_progress_tables
from yrkesresan_lti.lti.advantage.score_heads import define_score_heads_table
from yrkesresan_lti.outbox.schema import OutboxTables, define_outbox_tables
from yrkesresan_lti.sqltypes import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Stable constraint names so migrations can refer to them on every database."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
    }


metadata = Base.metadata
"""Every table of the adapter, including the outbox."""

outbox_tables: OutboxTables = define_outbox_tables(metadata)
progress_tables: ProgressTables = define_progress_tables(metadata)  # the pages' tables
occasion_tables: OccasionTables = define_occasion_tables(metadata)  # course-occasion registrations
attendance_table: Table = define_attendance_table(metadata)  # attendance on course days
outcome_table: Table = define_outcome_table(metadata)  # unvoided goal/course statements
placements_table: Table = define_placements_table(metadata)  # placed links learners launched
score_heads_table: Table = define_score_heads_table(metadata)  # AGS: newest score per key


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


class LaunchState(Base):
    """OIDC state between login and launch (shared by every worker)."""

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
