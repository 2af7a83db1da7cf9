"""The pages' default collaborators in a full adapter: launch flow, catalog, xAPI, AGS, NRPS.

Kept apart from the pages themselves so tests (and other hosts) can build
:class:`~yrkesresan_adapter.pages.service.PagesService` with fakes instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Request

from yrkesresan_adapter.advantage import PlacementScores, placements_table
from yrkesresan_adapter.lti import launch_of_request
from yrkesresan_adapter.pages.attendance.completion import StoredCompletion
from yrkesresan_adapter.pages.attendance.schema import attendance_table
from yrkesresan_adapter.pages.attendance.store import AttendanceStore
from yrkesresan_adapter.pages.click_reads import ClickReads
from yrkesresan_adapter.pages.compiled import CompiledCourses
from yrkesresan_adapter.pages.launch import Launched
from yrkesresan_adapter.pages.occasions.schema import occasion_tables
from yrkesresan_adapter.pages.occasions.store import OccasionStore
from yrkesresan_adapter.pages.outcomes import OutcomeStatements, outcome_table
from yrkesresan_adapter.pages.schema import progress_tables
from yrkesresan_adapter.pages.service import RosterMember
from yrkesresan_adapter.pages.statements import OutboxJournal, PlatformLookup
from yrkesresan_adapter.pages.store import ProgressStore
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.stats.ledger import RecordingOutbox
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_adapter.storage.municipalities import municipality_for
from yrkesresan_adapter.web.metrics import outbox_events
from yrkesresan_lti.catalog import Catalog
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, IdFactory, new_uuid
from yrkesresan_lti.exceptions import PlatformServiceError
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.platform_cache import CachedPlatformLookup
from yrkesresan_lti.municipalities import Municipality
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.xapi.factory import StatementFactory
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

LOG = logging.getLogger("yrkesresan.pages")
DEFAULT_LRS_TARGET = "default"
"""Statements wait under this target name when no LRS is configured yet."""


def resolve_from_launch_session(request: Request) -> Launched:
    context, token = launch_of_request()
    return Launched(context, token)


def cached_platforms(app: Flask, ttl_seconds: float = 60.0) -> PlatformLookup:
    """Platform registrations by (issuer, client_id), cached briefly: a click stays cheap."""
    platforms = AdapterState.of(app).services.platforms
    return CachedPlatformLookup(platforms, ttl_seconds=ttl_seconds).find


def municipality_lookup(app: Flask) -> Callable[[LaunchContext], Municipality | None]:
    """The municipality attached to a launch's context, deployment or platform (one small
    query, in the action's own transaction when there is one)."""
    db = AdapterState.of(app).services.db

    def lookup(launch: LaunchContext) -> Municipality | None:
        with db.connection() as connection:
            return municipality_for(
                connection,
                launch.issuer,
                launch.client_id,
                launch.deployment_id,
                launch.context_id,
            )

    return lookup


def click_reads() -> ClickReads:
    """A click's reads in one statement over the full adapter's tables."""
    return ClickReads(
        ProgressStore(progress_tables),
        progress_tables,
        placements_table,
        occasion_tables.registrations,
        outcome_table,
    )


def pseudonymizer(app: Flask, secret: bytes) -> Pseudonymizer:
    """``YRKESRESAN_PSEUDONYM_KEY``, else a key derived from the adapter's persisted secret."""
    settings = AdapterState.of(app).settings
    if settings.pseudonym_key is not None:
        return Pseudonymizer(settings.pseudonym_key)
    return Pseudonymizer.from_secret(secret)


def stored_completion() -> StoredCompletion:
    """The completion rule over the stored task states, registrations and attendance."""
    return StoredCompletion(
        ProgressStore(progress_tables),
        OccasionStore(occasion_tables),
        AttendanceStore(attendance_table),
        CompiledCourses(),
    )


def placement_scores(
    app: Flask, catalog: Callable[[], Catalog], completion: StoredCompletion | None = None
) -> PlacementScores | None:
    """AGS scores per placement, when the advantage services are set up (a course
    placement counts its course days when ``completion`` is given)."""

    advantage = AdapterState.of(app).services.advantage
    if advantage is None or advantage.placements is None or advantage.score_heads is None:
        return None
    return PlacementScores(
        advantage.placements,
        ProgressStore(progress_tables),
        advantage.score_heads,
        Outbox(outbox_tables, events=outbox_events(app)),
        catalog,
        days=None if completion is None else completion.days,
    )


def outbox_journal(
    app: Flask,
    catalog: Callable[[], Catalog],
    secret: bytes,
    *,
    clock: Clock = SYSTEM_CLOCK,
    id_factory: IdFactory = new_uuid,
) -> OutboxJournal:
    """The statement journal on the outbox; ``clock`` and ``id_factory`` stamp the
    statements and outbox entries (the demo's seeded year passes its own)."""

    settings = AdapterState.of(app).settings
    targets = [t.name for t in settings.all_lrs_targets] or [DEFAULT_LRS_TARGET]
    names = pseudonymizer(app, secret)

    made: dict[int, StatementFactory] = {}

    def factory() -> StatementFactory:
        """The factory of the current catalog (a new one when the occasions changed)."""
        current = catalog()
        found = made.get(id(current))
        if found is None:
            made.clear()  # holds its catalog, so its id is never reused while cached
            found = made[id(current)] = StatementFactory(
                current, names, platform="Yrkesresan LTI", clock=clock, id_factory=id_factory
            )
        return found

    outcomes = OutcomeStatements(outcome_table)
    completion = stored_completion()
    return OutboxJournal(
        factory,
        RecordingOutbox(outbox_tables, events=outbox_events(app), clock=clock),
        targets,
        cached_platforms(app),
        outcomes,
        placement_scores(app, catalog, completion),
        completion=completion,
        municipalities=municipality_lookup(app),
    )


def nrps_roster(app: Flask) -> Callable[[LaunchContext], list[RosterMember] | None] | None:
    state = AdapterState.of(app)
    advantage = state.services.advantage
    if advantage is None:
        return None
    lookup = cached_platforms(app)

    def roster(launch: LaunchContext) -> list[RosterMember] | None:
        url = (launch.nrps or {}).get("context_memberships_url")
        platform = lookup(launch.issuer, launch.client_id)
        if not url or platform is None:
            return None
        try:
            members = advantage.nrps.roster(platform, str(url)).members
        except PlatformServiceError as err:
            LOG.warning("nrps_unavailable error=%s: listing launched learners", type(err).__name__)
            return None
        return [RosterMember(m.user_id, m.name, m.is_learner) for m in members if m.active]

    return roster
