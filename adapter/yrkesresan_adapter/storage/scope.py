"""The tenant scope of every feature table: issuer, client_id, deployment_id, LMS context.

Each feature's rows start with :func:`scope_columns` and every query filters by a
:class:`Scope`, so nothing of one platform, deployment or course is visible from another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, String, Table, and_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from yrkesresan_lti.lti.context import LaunchContext


def scope_columns() -> list[Column[str]]:
    """Fresh tenant, context and LTI ``sub`` columns: every page table starts with them."""
    return [
        Column("issuer", String(1024), nullable=False),
        Column("client_id", String(255), nullable=False),
        Column("deployment_id", String(255), nullable=False),
        Column("context_id", String(255), nullable=False),
        Column("user_sub", String(255), nullable=False),
    ]


SCOPE = ("issuer", "client_id", "deployment_id", "context_id")


Executor = Session | Connection


@dataclass(frozen=True)
class Along:
    """A write that may ride in another statement of the transaction as data-modifying
    ``WITH``s (PostgreSQL): the CTEs (built once) and their parameters, and ``alone``, which
    runs the same write as a statement of its own where nothing carries it."""

    ctes: tuple[Any, ...]
    params: Mapping[str, Any]
    alone: Callable[[Executor], None]
    rode: Callable[[], None] = lambda: None
    """Runs after the write rode in another statement (e.g. announce an outbox entry)."""


@dataclass(frozen=True)
class Scope:
    """Tenant plus LMS context: the boundary of everything a page shows."""

    issuer: str
    client_id: str
    deployment_id: str
    context_id: str

    @classmethod
    def of(cls, launch: LaunchContext) -> Scope:
        # A launch without a context (rare; LTI makes it optional) gets a context of its
        # own resource link, so it still never mixes with another course's people.
        context = launch.context_id or f"resource-link:{launch.resource_link_id or '-'}"
        if len(context) > 255:  # a long resource link id: its hash still fits the column
            context = "resource-link#" + hashlib.sha256(context.encode()).hexdigest()
        return cls(launch.issuer, launch.client_id, launch.deployment_id, context)

    def where(self, table: Table) -> ColumnElement[bool]:
        return and_(
            table.c.issuer == self.issuer,
            table.c.client_id == self.client_id,
            table.c.deployment_id == self.deployment_id,
            table.c.context_id == self.context_id,
        )

    def values(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_id": self.deployment_id,
            "context_id": self.context_id,
        }


def scope_params(table: Table) -> ColumnElement[bool]:
    """``table``'s tenant and context columns equal to bound parameters named after them
    (for statements built once; bind them with :meth:`Scope.values`)."""
    return and_(*(table.c[name] == bindparam(name) for name in SCOPE))


def dialect_of(db: Executor) -> str:
    return db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name


def upsert_insert(db: Executor, table: Table) -> Any:
    """The dialect's INSERT that knows ON CONFLICT (SQLite and PostgreSQL)."""
    module: Any = postgresql if dialect_of(db) == "postgresql" else sqlite
    return module.insert(table)
