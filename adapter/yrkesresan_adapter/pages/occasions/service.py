"""Course-occasion registrations as ``services.occasions`` of the app.

:func:`stored_occasion` is the default
:data:`~yrkesresan_adapter.pages.service.OccasionLookup` of the learner's course page.
The statements go through the pages' journal (``PagesService.events``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from yrkesresan_adapter.pages.occasions.notices import NoticeStore
from yrkesresan_adapter.pages.occasions.overlay import PlannedOccasions
from yrkesresan_adapter.pages.occasions.plan_schema import plan_tables
from yrkesresan_adapter.pages.occasions.plan_store import PlanStore
from yrkesresan_adapter.pages.occasions.planning import Planning
from yrkesresan_adapter.pages.occasions.regions import RegionRights
from yrkesresan_adapter.pages.occasions.registrar import Registrar
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.occasions.waiting import WaitingStore
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import CourseOccasion
from yrkesresan_lti.exceptions import UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext


@dataclass
class OccasionService:
    store: OccasionStore
    plans: PlanStore = field(default_factory=lambda: PlanStore(plan_tables))
    waiting: WaitingStore = field(default_factory=lambda: WaitingStore(plan_tables))
    notices: NoticeStore = field(default_factory=lambda: NoticeStore(plan_tables))
    regions: RegionRights = field(default_factory=RegionRights)
    """Which regions each platform coordinates (the admin page's rights)."""
    overlay: PlannedOccasions | None = None
    """The database's occasions over the catalog file's (set by ``init_app``)."""

    @classmethod
    def of(cls, app: Flask | None = None) -> OccasionService:
        service: OccasionService = AdapterState.of(app).services.occasions
        return service

    def registrar(self, pages: PagesService) -> Registrar:
        return Registrar(
            self.store, pages.catalog, pages.events, pages.new_id, self.plans, self.waiting
        )

    def planning(self, pages: PagesService) -> Planning:
        registrar = self.registrar(pages)
        return Planning(
            self.plans, self.store, self.waiting, self.notices, registrar, pages.catalog
        )

    def changed(self) -> None:
        """This process changed an occasion: the next catalog read rebuilds the overlay."""
        if self.overlay is not None:
            self.overlay.invalidate()


def stored_occasion(launch: LaunchContext, course_iri: str) -> CourseOccasion | None:
    """The occasion of the course that ``launch.sub`` is registered for, in the launch's
    tenant and context (None when not registered, or the catalog no longer has it)."""
    pages = PagesService.of()
    with pages.sessions() as db:
        found = OccasionService.of().store.of_person(db, Scope.of(launch), launch.sub, course_iri)
    if found is None:
        return None
    try:
        return rules.find_occasion(pages.catalog(), found.occasion_iri)[1]
    except UnknownCatalogNode:
        return None
