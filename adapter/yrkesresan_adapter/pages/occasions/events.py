"""Registrations → xAPI *registered* / *unregistered* statements in the outbox.

Like :mod:`~yrkesresan_adapter.pages.events`, each hook runs inside the request's
transaction before it commits, so a registration row and its statements commit together
or not at all, and nothing here touches the network. The actor is the registered person
(pseudonymous account of the manager's platform), never the manager who registered them:
the manager's launch does not carry the person's e-mail, so names are never sent here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from yrkesresan_adapter.pages.statements import OutboxEvents
from yrkesresan_adapter.storage.scope import Executor
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.outbox.outbox import Payload
from yrkesresan_lti.xapi.learner import Learner, launch_language
from yrkesresan_lti.xapi.serialization import statement_bytes


@dataclass(frozen=True)
class OccasionEvent:
    """One person registered for (or withdrawn from) one occasion by a manager."""

    launch: LaunchContext
    """The manager's launch: the tenant and context the person belongs to."""
    sub: str
    """The registered person's LTI ``sub``."""
    occasion_iri: str
    statement_id: str
    """A fresh id the hook may use for the statement it produces."""
    timestamp: datetime


class OccasionEvents(Protocol):
    """Each hook returns the id of the statement it produced (None if it made none)."""

    def registered(self, db: Executor, event: OccasionEvent) -> str | None: ...
    def unregistered(self, db: Executor, event: OccasionEvent) -> str | None: ...


class RecordingOccasionEvents:
    """Keeps events in memory (for tests)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, OccasionEvent]] = []

    def registered(self, db: Executor, event: OccasionEvent) -> str | None:
        self.events.append(("registered", event))
        return event.statement_id

    def unregistered(self, db: Executor, event: OccasionEvent) -> str | None:
        self.events.append(("unregistered", event))
        return event.statement_id


def pseudonymous_person(events: OutboxEvents, launch: LaunchContext, sub: str) -> Learner:
    """Person ``sub`` of the launch's deployment as a pseudonymous :class:`Learner` (no name
    or e-mail: a manager's launch carries only the manager's)."""
    platform = events.platforms(launch.issuer, launch.client_id)
    return Learner(
        issuer=launch.issuer,
        sub=sub,
        client_id=launch.client_id,
        deployment_id=launch.deployment_id,
        platform_name=platform.name if platform else launch.platform_name or launch.issuer,
        language=launch_language(launch.locale),
    )


def enqueue_statement(events: OutboxEvents, db: Executor, statement: dict[str, object]) -> str:
    """Put one statement in the outbox for every LRS target; returns its id."""
    statement_id = str(statement["id"])
    payload = Payload(statement_id, statement_bytes(statement))
    events.outbox.enqueue(db, [payload], events.lrs_targets)
    return statement_id


class OutboxOccasionEvents:
    """:class:`OccasionEvents` on the same factory, outbox and LRS targets as the pages'
    :class:`~yrkesresan_adapter.pages.statements.OutboxEvents`."""

    def __init__(self, events: OutboxEvents) -> None:
        self.events = events

    def _learner(self, event: OccasionEvent) -> Learner:
        return pseudonymous_person(self.events, event.launch, event.sub)

    def _enqueue(self, db: Executor, statement: dict[str, object]) -> str:
        return enqueue_statement(self.events, db, statement)

    def registered(self, db: Executor, event: OccasionEvent) -> str | None:
        factory = self.events.factory
        return self._enqueue(db, factory.registered(self._learner(event), event.occasion_iri))

    def unregistered(self, db: Executor, event: OccasionEvent) -> str | None:
        factory = self.events.factory
        return self._enqueue(db, factory.unregistered(self._learner(event), event.occasion_iri))
