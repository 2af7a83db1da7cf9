"""Course-occasion registrations as service ``"occasions"`` of the app.

:func:`init_app` (called by the pages' ``init_app``) registers the store and the
manager's blueprint; :func:`stored_occasion` is the default
:data:`~yrkesresan_adapter.pages.service.OccasionLookup` of the learner's course page.
The statements go through the pages' own events: when those are the outbox
(:class:`~yrkesresan_adapter.pages.statements.OutboxEvents`) a registration enqueues its
statements there too; other page events (tests) get none unless ``events`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from yrkesresan_adapter.pages.occasions.events import OccasionEvents, OutboxOccasionEvents
from yrkesresan_adapter.pages.occasions.registrar import Registrar
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.statements import OutboxEvents
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti import occasions as rules
from yrkesresan_lti.catalog import CourseOccasion
from yrkesresan_lti.exceptions import UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext


@dataclass
class OccasionService:
    store: OccasionStore
    events: OccasionEvents | None = None
    """None: derived from the pages' events (statements when those are the outbox)."""

    @classmethod
    def of(cls, app: Flask | None = None) -> OccasionService:
        service: OccasionService = AdapterState.of(app).services.occasions
        return service

    def hooks(self, pages: PagesService) -> OccasionEvents | None:
        if self.events is not None:
            return self.events
        if isinstance(pages.events, OutboxEvents):
            return OutboxOccasionEvents(pages.events)
        return None

    def registrar(self, pages: PagesService) -> Registrar:
        return Registrar(self.store, pages.catalog, self.hooks(pages), pages.new_id)


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
