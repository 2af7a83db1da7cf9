"""The app's catalog with the occasions of the database in place of the catalog file's.

The catalog file keeps the course content; the occasions a region runs live in the
database (:mod:`.plan_store`). :class:`PlannedOccasions` is the overlay of
``services.catalog``: every course that has occasions in the database shows those (as
:class:`~yrkesresan_lti.catalog.CourseOccasion` nodes with the catalog's IRI scheme), so
the registration, attendance, statement and AGS code reads occasions from one place.

:meth:`PlannedOccasions.seed` imports the catalog file's occasions once: each one whose IRI
is not in the database yet is inserted (region: its journey's responsible organisation,
trainers into the register by name), so IRIs and existing registrations stay valid; an
occasion edited or cancelled later is never overwritten by the file.

The merged catalog is cached; it is rebuilt when the occasions' revision (the audit trail's
highest id) changed, checked at most every ``ttl`` seconds or at once after
:meth:`invalidate` (this process changed an occasion).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from yrkesresan_adapter.pages.occasions.plan_store import PlanStore, Trainer
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.occasion_plan import PlannedOccasion, from_catalog, trainer_key

LOG = logging.getLogger("yrkesresan.pages")


def _occasion_data(occasion: PlannedOccasion, names: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": occasion.slug,
        "days": [
            {"date": d.date.isoformat(), "start": f"{d.start:%H:%M}", "end": f"{d.end:%H:%M}"}
            for d in occasion.days
        ],
        "capacity": occasion.capacity,
        "registration_deadline": occasion.registration_deadline.isoformat(),
        "trainers": [names.get(key, key) for key in occasion.trainers],
    }
    if occasion.title:
        data["title"] = {"sv": occasion.title}
    if occasion.place:
        data["place"] = occasion.place
    if occasion.meeting_url:
        data["meeting_url"] = occasion.meeting_url
    return data


def merge(base: Catalog, occasions: list[PlannedOccasion], names: dict[str, str]) -> Catalog:
    """``base`` with each course's occasions replaced by the database's (courses without
    any keep the file's)."""
    by_course: dict[str, list[PlannedOccasion]] = {}
    for occasion in occasions:
        by_course.setdefault(occasion.course_iri, []).append(occasion)
    if not by_course:
        return base
    data = base.model_dump(mode="json", by_alias=True, exclude_unset=True)
    iris = {(j.slug, course.slug): course.iri for j, _, course in base.courses()}
    for journey in data["journeys"]:
        for key in ("phases", "stages"):
            for step in journey.get(key) or []:
                for course in step.get("courses") or []:
                    iri = iris.get((journey["slug"], course["slug"]))
                    if iri in by_course:
                        course["occasions"] = [
                            _occasion_data(o, names) for o in by_course[iri] if o.days
                        ]
    return Catalog.model_validate(data)


class PlannedOccasions:
    """``services.catalog``'s overlay: call it with the file's catalog."""

    def __init__(
        self,
        store: PlanStore,
        sessions: Callable[[], AbstractContextManager[Session]],
        *,
        ttl: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.sessions = sessions
        self.ttl = ttl
        self.monotonic = monotonic
        self._lock = threading.Lock()
        self._cached: tuple[int, int, Catalog] | None = None  # (base id, revision, merged)
        self._checked = float("-inf")

    def invalidate(self) -> None:
        self._checked = float("-inf")

    def __call__(self, base: Catalog) -> Catalog:
        now = self.monotonic()
        cached = self._cached
        if cached and cached[0] == id(base) and now - self._checked < self.ttl:
            return cached[2]
        with self._lock:
            try:
                with self.sessions() as db:
                    revision = self.store.revision(db)
                    cached = self._cached
                    if cached is None or cached[:2] != (id(base), revision):
                        names = {t.key: t.name for t in self.store.trainers(db)}
                        merged = merge(base, self.store.find(db), names)
                        cached = self._cached = (id(base), revision, merged)
            except SQLAlchemyError as err:  # schema behind (production before 'db upgrade')
                LOG.warning("occasions_unavailable error=%s", type(err).__name__)
                return base
            self._checked = now
            return cached[2]

    def seed(self, base: Catalog, *, now: datetime) -> int:
        """Import the catalog file's occasions not in the database yet; how many."""
        count = 0
        with self.sessions() as db:
            known = {o.iri for o in self.store.find(db)}
            trainers = {t.key for t in self.store.trainers(db)}
            for journey, _, course in base.courses():
                for occasion in course.occasions:
                    if occasion.iri in known:
                        continue
                    region = journey.responsible_organisation
                    for name in occasion.trainers:
                        if trainer_key(name) not in trainers:
                            self.store.put_trainer(db, Trainer(trainer_key(name), region, name))
                            trainers.add(trainer_key(name))
                    planned = from_catalog(course, occasion, region)
                    self.store.save(db, planned, source="catalog", now=now)
                    self.store.audit(db, planned.iri, "imported", actor="catalog", now=now)
                    count += 1
        self.invalidate()
        return count
