"""Settings, read from arguments, then ``YRKESRESAN_*`` environment variables, then ``.env``.

Nested values use ``__``: ``YRKESRESAN_LRS__ENDPOINT=https://lrs.example/xapi/``. Several
LRS targets (fan-out) are given as JSON: ``YRKESRESAN_LRS_TARGETS='[{"name": "rss", ...}]'``.
Nothing is read at import time: build :class:`Settings` where you need it.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from yrkesresan_lti.base import StrictModel
from yrkesresan_lti.instance import default_instance_path


class LrsTarget(StrictModel):
    """One learning record store that receives every statement."""

    name: str = "default"
    endpoint: str = Field(description="xAPI endpoint, e.g. https://lrs.example.se/xAPI/")
    username: str | None = None
    password: SecretStr | None = None
    token: SecretStr | None = Field(default=None, description="Bearer token instead of Basic")
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)
    batch_size: int = Field(default=100, ge=1, le=10_000)

    @field_validator("endpoint")
    @classmethod
    def _endpoint_is_http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("the LRS endpoint must be an http(s) URL")
        return value if value.endswith("/") else value + "/"


class MetricsSettings(StrictModel):
    """``/metrics`` (Prometheus) of the service and of the delivery worker."""

    enabled: bool = True
    allowed_networks: list[str] = Field(
        default_factory=lambda: ["127.0.0.0/8", "::1/128"],
        description="Client networks (CIDR) that may read /metrics; others get 404",
    )
    token: SecretStr | None = Field(
        default=None, description="Bearer token that also lets a client outside them read it"
    )
    worker_host: str = Field(default="127.0.0.1", description="Address of the worker's metrics")
    worker_port: int | None = Field(
        default=None, ge=1, le=65535, description="Port of `yrkesresan worker`'s own /metrics"
    )

    @field_validator("allowed_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as err:
                raise ValueError(f"'{network}' is not a network: write e.g. 10.0.0.0/8") from err
        return value


class Retention(StrictModel):
    """How long the adapter keeps personal data it only needs for a while; the delivery
    worker deletes what is older (docs/privacy.md, "Lagringstid")."""

    launch_states_hours: int = Field(
        default=8,
        ge=1,
        description="Stored launches (with the name and e-mail the LMS sent) are deleted this "
        "long after the launch; login states when they expire",
    )
    delivered_outbox_days: int = Field(
        default=30,
        ge=0,
        description="Delivered outbox entries are deleted this many days after delivery "
        "(0: never automatically; use yrkesresan outbox purge-delivered)",
    )
    interval_minutes: int = Field(
        default=15, ge=1, description="How often the worker applies the retention"
    )


RATE = r"\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day)s?"
RATE_LIMIT = re.compile(rf"^\s*{RATE}(\s*[;,]\s*{RATE})*\s*$", re.IGNORECASE)


class RateLimits(StrictModel):
    """Per-address limits on the endpoints anyone can reach, in the notation of the
    ``limits`` library (``600/minute``, ``20 per second; 600 per minute``)."""

    enabled: bool = True
    login: str = "600/minute"
    launch: str = "600/minute"
    registration: str = "30/minute"
    storage_url: str | None = Field(
        default=None,
        description="Where the counters live (redis://…, memory://); defaults to "
        "YRKESRESAN_REDIS_URL, else the process's memory",
    )

    @field_validator("login", "launch", "registration")
    @classmethod
    def _is_a_rate(cls, value: str) -> str:
        if not RATE_LIMIT.match(value):
            raise ValueError(f"not a rate limit like '600/minute': {value!r}")
        return value


class Settings(BaseSettings):
    """Everything the library and the adapter can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="YRKESRESAN_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
        validate_default=True,
    )

    host: str = "127.0.0.1"
    port: int = Field(default=5000, ge=1, le=65535)
    base_url: str | None = Field(
        default=None, description="Public URL the LMS sees; defaults to http://HOST:PORT"
    )
    instance_path: Path = Field(
        default_factory=default_instance_path,
        description="SQLite database, generated keys and demo state; defaults to ./instance "
        "if it exists, else the user's data directory (yrkesresan_lti.instance)",
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; defaults to SQLite under instance_path"
    )
    redis_url: str | None = Field(
        default=None, description="Optional Redis for launch state/nonces instead of the DB"
    )
    catalog_path: Path | None = Field(
        default=None, description="Catalog file or directory; defaults to the example catalog"
    )
    demo: bool = False
    production: bool = Field(default=False, description="Enforce HTTPS and refuse demo mode")
    secret_key: SecretStr | None = Field(
        default=None, description="Signs launch tokens; generated under instance_path if unset"
    )
    pseudonym_key: SecretStr | None = Field(
        default=None, description="HMAC key for pseudonymous xAPI actors; generated if unset"
    )
    lrs: LrsTarget | None = None
    lrs_targets: list[LrsTarget] = Field(default_factory=list)
    outbox_lease_seconds: float = Field(
        default=60.0,
        ge=1,
        le=3600,
        description="How long a worker's claim lasts after its last heartbeat; a worker that "
        "dies leaves its batch to another one this long after",
    )
    outbox_heartbeat_seconds: float | None = Field(
        default=None, gt=0, description="How often a worker renews its claims; a third of the lease"
    )
    outbox_batches_in_flight: int = Field(
        default=2,
        ge=1,
        le=4,
        description="Batches a worker may have on the wire at once (1: one after the other); "
        "more only to an LRS and only for batches where no statement voids or resends one "
        "still in flight; AGS scores always one at a time",
    )
    rate_limits: RateLimits = Field(default_factory=RateLimits)
    frame_origins: list[str] = Field(
        default_factory=list,
        description="Origins that may frame the tool besides the registered platforms' own "
        "(e.g. a municipality's Canvas domain), as a JSON list",
    )
    proxy_count: int = Field(
        default=0,
        ge=0,
        le=5,
        description="Reverse proxies in front of the service whose X-Forwarded-For is trusted "
        "(nginx: 1); 0 trusts none and uses the connecting address",
    )
    default_locale: Literal["sv", "en"] = "sv"
    launch_token_ttl_seconds: int = Field(default=8 * 3600, ge=60)
    stalled_after_weeks: int = Field(
        default=3,
        ge=1,
        le=52,
        description="Weeks without activity after which the staff page lists someone as stalled",
    )
    key_rotation_overlap_days: int = Field(default=7, ge=0)
    retention: Retention = Field(default_factory=Retention)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] | None = Field(
        default=None, description="Log lines as JSON or key=value text; JSON in production"
    )
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    ready_max_outbox_age_seconds: int = Field(
        default=3600, ge=1, description="/readyz fails when an entry waits longer than this"
    )
    ready_max_outbox_backlog: int | None = Field(
        default=None, ge=0, description="/readyz fails above this many pending entries"
    )

    @field_validator("frame_origins")
    @classmethod
    def _are_origins(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$", value):
                raise ValueError(f"not an origin like https://lms.kommun.se: {value!r}")
        return values

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.production and self.demo:
            raise ValueError("demo mode cannot be enabled in production (unset YRKESRESAN_DEMO)")
        if self.production and not (self.base_url or "").startswith("https://"):
            raise ValueError("production needs an https:// YRKESRESAN_BASE_URL")
        if (self.outbox_heartbeat_seconds or 0) >= self.outbox_lease_seconds:
            raise ValueError("YRKESRESAN_OUTBOX_HEARTBEAT_SECONDS must be below the lease")
        names = [t.name for t in self.all_lrs_targets]
        if len(names) != len(set(names)):
            raise ValueError(f"LRS target names must be unique, got {names}")
        return self

    @property
    def public_url(self) -> str:
        """The base URL without a trailing slash."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def sqlalchemy_url(self) -> str:
        """``database_url``, or a SQLite file ``yrkesresan.db`` under ``instance_path``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.instance_path / 'yrkesresan.db').resolve()}"

    @property
    def outbox_lease(self) -> timedelta:
        return timedelta(seconds=self.outbox_lease_seconds)

    @property
    def outbox_heartbeat(self) -> timedelta | None:
        seconds = self.outbox_heartbeat_seconds
        return timedelta(seconds=seconds) if seconds is not None else None

    @property
    def all_lrs_targets(self) -> list[LrsTarget]:
        """``lrs`` (the single-target shorthand) followed by ``lrs_targets``."""
        return ([self.lrs] if self.lrs else []) + list(self.lrs_targets)
