"""Reading and writing planned occasions, the trainer register and the audit trail, always
inside the caller's transaction (no personal data except the trainer register)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from yrkesresan_adapter.pages.occasions.plan_schema import PlanTables
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.occasion_plan import OccasionStatus, PlannedDay, PlannedOccasion


@dataclass(frozen=True)
class Trainer:
    key: str
    region: str
    name: str
    email: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    details: dict[str, object]


@dataclass(frozen=True)
class AuditActor:
    """Who changed an occasion on a page: a launch's ``sub`` within its tenant (the CLI and
    the catalog import write a plain name such as ``cli`` instead)."""

    issuer: str
    client_id: str
    deployment_id: str
    sub: str

    def __repr__(self) -> str:  # the sub stays out of logs and tracebacks
        return f"AuditActor(issuer={self.issuer!r}, sub=***)"


class PlanStore:
    def __init__(self, tables: PlanTables) -> None:
        self.tables = tables

    # --- occasions ---------------------------------------------------------------------

    def _days(self, db: Executor, iris: list[str]) -> dict[str, list[PlannedDay]]:
        t = self.tables.days
        found: dict[str, list[PlannedDay]] = {iri: [] for iri in iris}
        query = select(t).where(t.c.occasion_iri.in_(iris)).order_by(t.c.number)
        for row in db.execute(query).mappings():
            found[row["occasion_iri"]].append(
                PlannedDay(row["day_date"], row["start_time"], row["end_time"], row["sequence"])
            )
        return found

    def _trainers(self, db: Executor, iris: list[str]) -> dict[str, list[str]]:
        t = self.tables.plan_trainers
        found: dict[str, list[str]] = {iri: [] for iri in iris}
        query = select(t).where(t.c.occasion_iri.in_(iris)).order_by(t.c.position)
        for row in db.execute(query).mappings():
            found[row["occasion_iri"]].append(row["trainer_key"])
        return found

    def find(
        self, db: Executor, *, iris: list[str] | None = None, region: str | None = None
    ) -> list[PlannedOccasion]:
        """Occasions (all, or these IRIs, or one region's), by course then first day."""
        t = self.tables.plans
        query = select(t)
        if iris is not None:
            query = query.where(t.c.iri.in_(iris))
        if region is not None:
            query = query.where(t.c.region == region)
        rows = list(db.execute(query).mappings())
        keys = [row["iri"] for row in rows]
        days, trainers = self._days(db, keys), self._trainers(db, keys)
        found = [
            PlannedOccasion(
                course_iri=row["course_iri"],
                slug=row["slug"],
                region=row["region"],
                days=tuple(days[row["iri"]]),
                capacity=row["capacity"],
                registration_deadline=row["registration_deadline"],
                place=row["place"],
                meeting_url=row["meeting_url"],
                trainers=tuple(trainers[row["iri"]]),
                municipalities=tuple(m for m in row["municipalities"].split("\n") if m),
                status=OccasionStatus(row["status"]),
                title=row["title"],
            )
            for row in rows
        ]
        return sorted(found, key=lambda o: (o.course_iri, o.days[0].date if o.days else o.slug))

    def get(self, db: Executor, iri: str) -> PlannedOccasion | None:
        found = self.find(db, iris=[iri])
        return found[0] if found else None

    def save(self, db: Executor, occasion: PlannedOccasion, *, source: str, now: datetime) -> bool:
        """Insert or replace the occasion (days and trainers too); True when it was new."""
        t = self.tables.plans
        values = {
            "course_iri": occasion.course_iri,
            "slug": occasion.slug,
            "region": occasion.region,
            "title": occasion.title,
            "place": occasion.place,
            "meeting_url": occasion.meeting_url,
            "capacity": occasion.capacity,
            "registration_deadline": occasion.registration_deadline,
            "municipalities": "\n".join(occasion.municipalities),
            "status": occasion.status.value,
            "updated_at": now,
        }
        changed = db.execute(update(t).where(t.c.iri == occasion.iri).values(**values))
        new = not _rowcount(changed)
        if new:
            db.execute(insert(t).values(iri=occasion.iri, source=source, **values))
        days, trainers = self.tables.days, self.tables.plan_trainers
        db.execute(delete(days).where(days.c.occasion_iri == occasion.iri))
        db.execute(delete(trainers).where(trainers.c.occasion_iri == occasion.iri))
        for number, day in enumerate(occasion.days, start=1):
            db.execute(
                insert(days).values(
                    occasion_iri=occasion.iri,
                    number=number,
                    day_date=day.date,
                    start_time=day.start,
                    end_time=day.end,
                    sequence=day.sequence,
                )
            )
        for position, key in enumerate(occasion.trainers):
            db.execute(
                insert(trainers).values(
                    occasion_iri=occasion.iri, trainer_key=key, position=position
                )
            )
        return new

    def of_trainer(self, db: Executor, keys: Iterable[str]) -> list[str]:
        """IRIs of the occasions naming any of these trainers."""
        t = self.tables.plan_trainers
        query = select(t.c.occasion_iri).where(t.c.trainer_key.in_(list(keys))).distinct()
        return [str(iri) for (iri,) in db.execute(query)]

    # --- trainer register --------------------------------------------------------------

    def trainers(self, db: Executor) -> list[Trainer]:
        t = self.tables.trainers
        rows = db.execute(select(t).order_by(t.c.trainer_key)).mappings()
        return [
            Trainer(r["trainer_key"], r["region"], r["trainer_name"], r["trainer_email"])
            for r in rows
        ]

    def put_trainer(self, db: Executor, trainer: Trainer) -> None:
        t = self.tables.trainers
        values = {
            "region": trainer.region,
            "trainer_name": trainer.name,
            "trainer_email": trainer.email.casefold() if trainer.email else None,
        }
        if _rowcount(db.execute(update(t).where(t.c.trainer_key == trainer.key).values(**values))):
            return
        db.execute(insert(t).values(trainer_key=trainer.key, **values))

    def trainer_keys_of_email(self, db: Executor, email: str) -> list[str]:
        t = self.tables.trainers
        query = select(t.c.trainer_key).where(t.c.trainer_email == email.casefold())
        return [str(key) for (key,) in db.execute(query)]

    # --- audit trail -------------------------------------------------------------------

    def audit(
        self,
        db: Executor,
        occasion_iri: str,
        action: str,
        *,
        actor: str | AuditActor,
        now: datetime,
        details: dict[str, object] | None = None,
    ) -> None:
        who: dict[str, str | None]
        if isinstance(actor, str):
            who = {"actor_sub": actor}
        else:
            who = {
                "actor_issuer": actor.issuer,
                "actor_client_id": actor.client_id,
                "actor_deployment_id": actor.deployment_id,
                "actor_sub": actor.sub,
            }
        db.execute(
            insert(self.tables.audit).values(
                occasion_iri=occasion_iri,
                at=now,
                **who,
                action=action,
                details=json.dumps(details or {}, sort_keys=True, ensure_ascii=False),
            )
        )

    def audit_trail(self, db: Executor, occasion_iri: str) -> list[AuditEntry]:
        t = self.tables.audit
        query = select(t).where(t.c.occasion_iri == occasion_iri).order_by(t.c.id)
        return [
            AuditEntry(r["at"], r["actor_sub"], r["action"], json.loads(r["details"]))
            for r in db.execute(query).mappings()
        ]

    def revision(self, db: Executor) -> int:
        """Grows with every change of any occasion (the audit trail's highest id)."""
        return int(
            db.execute(select(func.coalesce(func.max(self.tables.audit.c.id), 0))).scalar_one()
        )


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
