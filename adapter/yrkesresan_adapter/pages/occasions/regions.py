"""Which regions a platform coordinates: the occasions its administrators may change.

``occasion_platform_regions`` (Alembic revision ``h15_0001``; no personal data) holds one
row per (platform, region): a platform is a tenant keyed as the platform storage keys it,
(``issuer``, ``client_id``) — Canvas has one issuer for everyone. The operator sets it with
``yrkesresan platform set-region`` (docs/occasions.md). An Administrator launching from a
platform adds, changes and cancels only occasions whose ``region`` is one of its regions;
the CLI, run by the operator on the server, is not restricted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Column, String, Table, delete, insert, select

from yrkesresan_adapter.pages.occasions.plan_schema import plan_tables
from yrkesresan_adapter.pages.occasions.plan_store import AuditActor
from yrkesresan_adapter.storage.metadata import metadata
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.exceptions import NotRegionCoordinator

REGIONS = "occasion_platform_regions"
REGION_LENGTH = 255
"""The longest region name (as ``occasion_plans.region``)."""


def define_region_table() -> Table:
    """The table on the shared metadata (idempotent)."""
    if REGIONS in metadata.tables:
        return metadata.tables[REGIONS]
    return Table(
        REGIONS,
        metadata,
        Column("issuer", String(1024), primary_key=True),
        Column("client_id", String(255), primary_key=True),
        Column("region", String(REGION_LENGTH), primary_key=True),
    )


region_table: Table = define_region_table()


class RegionRights:
    """Reading and writing the regions of platforms, inside the caller's transaction."""

    def __init__(self, table: Table = region_table) -> None:
        self.table = table

    def of_platform(self, db: Executor, issuer: str, client_id: str) -> list[str]:
        """The platform's regions, sorted (empty: it coordinates none)."""
        t = self.table
        query = (
            select(t.c.region)
            .where(t.c.issuer == issuer, t.c.client_id == client_id)
            .order_by(t.c.region)
        )
        return [str(region) for (region,) in db.execute(query)]

    def set(self, db: Executor, issuer: str, client_id: str, regions: Iterable[str]) -> None:
        """Make ``regions`` the platform's regions (none: it coordinates no region)."""
        t = self.table
        db.execute(delete(t).where(t.c.issuer == issuer, t.c.client_id == client_id))
        for region in sorted(set(regions)):
            db.execute(insert(t).values(issuer=issuer, client_id=client_id, region=region))

    def in_use(self, db: Executor) -> frozenset[str]:
        """The regions that any stored occasion has."""
        plans = plan_tables.plans
        return frozenset(str(r) for (r,) in db.execute(select(plans.c.region).distinct()))

    def all(self, db: Executor) -> dict[tuple[str, str], list[str]]:
        """(issuer, client_id) → regions, for every platform that coordinates any."""
        t = self.table
        found: dict[tuple[str, str], list[str]] = {}
        query = select(t.c.issuer, t.c.client_id, t.c.region).order_by(
            t.c.issuer, t.c.client_id, t.c.region
        )
        for issuer, client_id, region in db.execute(query):
            found.setdefault((str(issuer), str(client_id)), []).append(str(region))
        return found


@dataclass(frozen=True)
class Coordinator:
    """An Administrator's launch: who they are (for the audit trail) and the regions their
    platform coordinates."""

    actor: AuditActor
    regions: tuple[str, ...]

    def require(self, region: str) -> None:
        """403 unless the platform coordinates ``region``."""
        if region not in self.regions:
            raise NotRegionCoordinator(
                "the occasion belongs to a region this platform does not coordinate: "
                "see 'yrkesresan platform set-region'"
            )

    def require_any(self) -> None:
        """403 unless the platform coordinates a region (adding needs one)."""
        if not self.regions:
            raise NotRegionCoordinator("this platform coordinates no region")
