"""What the outbox worker hands payloads to: one :class:`Deliverer` per target.

A deliverer gets the claimed entries of one target and answers one
:class:`DeliveryOutcome` per entry, in the same order. It must not raise for a single bad
payload: it reports it (``REJECTED``) so the worker dead-letters only that one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable


class DeliveryStatus(StrEnum):
    """What became of one outbox entry's delivery attempt."""

    DELIVERED = "delivered"
    REJECTED = "rejected"  # permanent: the entry goes to the dead letters at once
    RETRY = "retry"  # temporary: try again later (backoff), dead after max attempts


@dataclass(frozen=True)
class OutboxItem:
    """A claimed entry as a deliverer sees it: the exact stored bytes and their id."""

    entry_id: int
    target: str
    kind: str
    dedupe_id: str
    payload: bytes
    attempts: int


@dataclass(frozen=True)
class DeliveryOutcome:
    """A deliverer's answer for one entry: its status and, unless delivered, why."""

    status: DeliveryStatus
    reason: str | None = None

    @classmethod
    def delivered(cls) -> DeliveryOutcome:
        """The target has the entry."""
        return cls(DeliveryStatus.DELIVERED)

    @classmethod
    def rejected(cls, reason: str) -> DeliveryOutcome:
        """The target refuses the entry for good: it goes to the dead letters."""
        return cls(DeliveryStatus.REJECTED, reason)

    @classmethod
    def retry(cls, reason: str) -> DeliveryOutcome:
        """Not now: try again after the backoff (dead after the last attempt)."""
        return cls(DeliveryStatus.RETRY, reason)


class Deliverer(Protocol):
    """Delivers payloads of one target (an LRS, later e.g. an AGS score endpoint)."""

    def deliver(self, items: Sequence[OutboxItem]) -> Sequence[DeliveryOutcome]:
        """One outcome per item, in order."""
        ...


@runtime_checkable
class ConcurrentDeliverer(Deliverer, Protocol):
    """A deliverer that may have a second batch in flight while one is (the worker's
    ``in_flight`` setting), if :meth:`independent` allows it for the two batches.

    A deliverer that does not implement this (AGS scores: each must reach the platform
    after the one before for the same line item and user) always gets its batches one at a
    time, in order.
    """

    def independent(self, earlier: Sequence[OutboxItem], later: Sequence[OutboxItem]) -> bool:
        """Whether ``later`` may be sent before ``earlier`` is answered (thread-safe
        delivery assumed)."""
        ...
