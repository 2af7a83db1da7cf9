"""The statistics ledger: the events the programme's figures count, kept as the tool sends
them (Alembic revision ``h14s_0001``).

Every statement the pages enqueue passes :class:`~yrkesresan_adapter.stats.ledger.Ledger`
in the same transaction, so the figures of ``yrkesresan stats`` and the statistics page are
those of the statements themselves (:mod:`yrkesresan_lti.reports.figures`): the year,
municipality, county, journey, course and occasion are the ones the statement carries.
The learner is a 64-bit hash of the statement's actor (the pseudonymous account), the
occasion and the object a 64-bit hash of their IRI (``object`` keeps the IRI too): no LTI
``sub``, name or e-mail is stored here.

``stats_events``
    One row per standing statement that a figure counts (``kind``: ``registered``,
    ``unregistered``, ``attended``, ``completed`` (a course), ``passed`` (a knowledge goal),
    ``rating`` (the overall rating of a course evaluation)), with the occasion's ``seats``
    when the statement carries them; ``at_ms`` is the statement's time in milliseconds
    since 1970, so "the latest" is a ``max`` the database can hash. A voiding statement deletes the
    row of the statement it voids; erasing a person deletes all of theirs.
``stats_activity``
    One row per learner, year, municipality, county, journey and course in which the learner
    has any statement (for the ``users`` figure); ``key`` is a hash of those.
``stats_units``, ``stats_latest``, ``stats_counts``
    The summary the unfiltered and one-year figures are read from, kept in the same
    transaction as the rows above (Alembic revision ``h14p_0001``, :mod:`.summary`).

Unknown (no municipality, no course...) is the empty string, so unique keys hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)
from sqlalchemy.types import TypeEngine

from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_lti.sqltypes import UtcDateTime

EVENTS = "stats_events"
ACTIVITY = "stats_activity"
UNITS = "stats_units"
LATEST = "stats_latest"
COUNTS = "stats_counts"
IRI = 1024


@dataclass(frozen=True)
class StatsTables:
    events: Table
    activity: Table
    units: Table
    latest: Table
    counts: Table


def key_text(length: int) -> TypeEngine[str]:
    """Text compared byte by byte on PostgreSQL (``COLLATE "C"``): the figures group and
    sort by these columns, and nobody reads them in alphabetical order."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def _dimensions() -> list[Column[object]]:
    return [
        Column("learner", BigInteger, nullable=False),
        Column("year", SmallInteger, nullable=False),
        Column("municipality", key_text(4), nullable=False),
        Column("county", key_text(2), nullable=False),
        Column("journey", key_text(IRI), nullable=False),
        Column("course", key_text(IRI), nullable=False),
    ]


def define_stats_tables(metadata: MetaData) -> StatsTables:
    """Add the ledger's tables to ``metadata`` (idempotent per metadata) and return them."""
    if EVENTS in metadata.tables:
        return StatsTables(*(metadata.tables[n] for n in (EVENTS, ACTIVITY, UNITS, LATEST, COUNTS)))
    events = Table(
        EVENTS,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("statement_id", key_text(36), nullable=False, unique=True),
        Column("kind", key_text(16), nullable=False),
        Column("at", UtcDateTime(), nullable=False),
        Column("at_ms", BigInteger, nullable=False),
        *_dimensions(),
        Column("occasion", BigInteger, nullable=False),
        Column("object", key_text(IRI), nullable=False),
        Column("object_id", BigInteger, nullable=False),
        Column("rating", Integer, nullable=True),
        Column("seats", Integer, nullable=True),
        Index(f"ix_{EVENTS}_kind_year", "kind", "year"),
        Index(f"ix_{EVENTS}_learner", "learner"),
        Index(f"ix_{EVENTS}_occasion", "occasion"),
    )
    activity = Table(
        ACTIVITY,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("key", String(64), nullable=False, unique=True),
        *_dimensions(),
        Index(f"ix_{ACTIVITY}_year", "year"),
        Index(f"ix_{ACTIVITY}_learner", "learner"),
    )
    return StatsTables(events, activity, *define_summary_tables(metadata))


UNIT_KEY = ("figure", "learner", "unit", "extra", "year", "grouping", "gkey")
"""The key of a summary unit, in the order of its primary key (the figure, the learner and
the unit first: erasure and voiding look units up by those)."""
COUNT_KEY = ("figure", "year", "grouping", "gkey", "extra")


def _unit_columns() -> list[Column[object]]:
    types: dict[str, TypeEngine[Any]] = {
        "figure": key_text(16),
        "learner": BigInteger(),
        "unit": BigInteger(),
        "extra": key_text(IRI),
        "year": SmallInteger(),
        "grouping": key_text(12),
        "gkey": key_text(IRI),
    }
    return [Column(name, types[name], primary_key=True) for name in UNIT_KEY]


def define_summary_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    """The summary's tables (:mod:`.summary`): ``stats_units`` (a distinct thing a figure
    counts, in one group, with the number of ledger rows that make it), ``stats_latest``
    (the newest value of a "latest" figure per group and thing, packed as
    ``at_ms * base + value``; ``prev`` the value before the last write) and
    ``stats_counts`` (every figure of every group: the reports read only this)."""
    units = Table(UNITS, metadata, *_unit_columns(), Column("refs", Integer, nullable=False))
    latest = Table(
        LATEST,
        metadata,
        *_unit_columns(),
        Column("packed", BigInteger, nullable=False),
        Column("prev", BigInteger, nullable=True),
    )
    counts = Table(
        COUNTS,
        metadata,
        Column("figure", key_text(16), primary_key=True),
        Column("year", SmallInteger, primary_key=True),
        Column("grouping", key_text(12), primary_key=True),
        Column("gkey", key_text(IRI), primary_key=True),
        Column("extra", key_text(IRI), primary_key=True),
        Column("value", BigInteger, nullable=False),
    )
    return units, latest, counts


stats_tables: StatsTables = define_stats_tables(metadata)
"""The ledger's tables on the adapter's shared metadata."""
