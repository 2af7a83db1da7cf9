"""The tables of occasions as operational data, their waiting lists, notices and audit trail.

Alembic revision ``occasions_0001`` creates them.

``occasion_plans`` / ``occasion_plan_days`` / ``occasion_plan_trainers``
    The occasions a region runs (no personal data): course IRI, slug, region, place or
    meeting link, capacity, deadline, municipalities, status; the days with times in Swedish
    time and the SEQUENCE of their calendar event; the trainers by register key.
``occasion_trainers``
    The trainer register (personal data: ``trainer_name``, ``trainer_email``; the email is
    matched against an Instructor's launch to open the trainers' page).
``page_occasion_waiting``
    The waiting list: one row per (tenant, context, LTI ``sub``, occasion), first in line =
    lowest ``id``; ``added_by`` is the manager's ``sub``.
``page_occasion_notices``
    A notice for a person (``user_sub``, in their tenant and context) about an occasion that
    was cancelled or whose day moved, kept until ``read_at``.
``occasion_audit``
    Every change of an occasion: when, who (``actor_sub``: a launch's ``sub`` with its
    tenant in ``actor_issuer``/``actor_client_id``/``actor_deployment_id``, or ``cli``,
    ``catalog`` with no tenant), what (``action``) and a JSON ``details``. Its highest
    ``id`` is the occasions' revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)

from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.scope import SCOPE, scope_columns
from yrkesresan_lti.sqltypes import UtcDateTime

PLANS = "occasion_plans"


@dataclass(frozen=True)
class PlanTables:
    plans: Table
    days: Table
    plan_trainers: Table
    trainers: Table
    waiting: Table
    notices: Table
    audit: Table


def define_plan_tables(metadata: MetaData) -> PlanTables:
    """Add the tables to ``metadata`` (idempotent per metadata) and return them."""
    if PLANS in metadata.tables:
        t = metadata.tables
        return PlanTables(
            t[PLANS],
            t["occasion_plan_days"],
            t["occasion_plan_trainers"],
            t["occasion_trainers"],
            t["page_occasion_waiting"],
            t["page_occasion_notices"],
            t["occasion_audit"],
        )
    plans = Table(
        PLANS,
        metadata,
        Column("iri", String(1024), primary_key=True),
        Column("course_iri", String(1024), nullable=False),
        Column("slug", String(100), nullable=False),
        Column("region", String(255), nullable=False),
        Column("title", String(255), nullable=True),
        Column("place", String(255), nullable=True),
        Column("meeting_url", String(2048), nullable=True),
        Column("capacity", Integer, nullable=False),
        Column("registration_deadline", Date, nullable=False),
        Column("municipalities", Text, nullable=False),
        Column("status", String(16), nullable=False),
        Column("source", String(16), nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
        Index("ix_occasion_plans_course_iri", "course_iri"),
    )
    days = Table(
        "occasion_plan_days",
        metadata,
        Column("occasion_iri", String(1024), primary_key=True),
        Column("number", Integer, primary_key=True),
        Column("day_date", Date, nullable=False),
        Column("start_time", Time, nullable=False),
        Column("end_time", Time, nullable=False),
        Column("sequence", Integer, nullable=False),
    )
    plan_trainers = Table(
        "occasion_plan_trainers",
        metadata,
        Column("occasion_iri", String(1024), primary_key=True),
        Column("trainer_key", String(100), primary_key=True),
        Column("position", Integer, nullable=False),
    )
    trainers = Table(
        "occasion_trainers",
        metadata,
        Column("trainer_key", String(100), primary_key=True),
        Column("region", String(255), nullable=False),
        Column("trainer_name", String(255), nullable=False),
        Column("trainer_email", String(320), nullable=True),
    )
    waiting = Table(
        "page_occasion_waiting",
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("course_iri", String(1024), nullable=False),
        Column("occasion_iri", String(1024), nullable=False),
        Column("added_at", UtcDateTime(), nullable=False),
        Column("added_by", String(255), nullable=False),
        UniqueConstraint(*SCOPE, "user_sub", "occasion_iri", name="uq_page_occasion_waiting"),
        Index("ix_page_occasion_waiting_occasion_iri", "occasion_iri"),
    )
    notices = Table(
        "page_occasion_notices",
        metadata,
        Column("id", Integer, primary_key=True),
        *scope_columns(),
        Column("occasion_iri", String(1024), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("details", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("read_at", UtcDateTime(), nullable=True),
        Index("ix_page_occasion_notices_user", "issuer", "deployment_id", "user_sub"),
    )
    audit = Table(
        "occasion_audit",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("occasion_iri", String(1024), nullable=False),
        Column("at", UtcDateTime(), nullable=False),
        Column("actor_issuer", String(1024), nullable=True),
        Column("actor_client_id", String(255), nullable=True),
        Column("actor_deployment_id", String(255), nullable=True),
        Column("actor_sub", String(255), nullable=False),
        Column("action", String(32), nullable=False),
        Column("details", Text, nullable=False),
        Index("ix_occasion_audit_occasion_iri", "occasion_iri"),
    )
    return PlanTables(plans, days, plan_trainers, trainers, waiting, notices, audit)


plan_tables: PlanTables = define_plan_tables(metadata)
"""Occasions as operational data, on the shared metadata."""
