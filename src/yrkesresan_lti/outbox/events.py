"""What the outbox tells an observer (metrics, for example): entries written and settled.

Pass an :class:`OutboxEvents` to :class:`~yrkesresan_lti.outbox.outbox.Outbox` and
:class:`~yrkesresan_lti.outbox.worker.OutboxWorker`; the default does nothing. Calls carry
counts and names only (target, kind, outcome), never payloads. An observer must not raise:
it is called after the outcome is recorded, and an error there is logged and ignored.
"""

from __future__ import annotations

from typing import Literal, Protocol

Settled = Literal["delivered", "retried", "dead"]
"""``delivered``; ``retried`` (waits for another attempt); ``dead`` (given up)."""


class OutboxEvents(Protocol):
    """Receives the outbox's counts."""

    def enqueued(self, target: str, kind: str, count: int) -> None:
        """``count`` entries of ``kind`` were written for ``target`` (in the caller's
        transaction, so a rollback takes them back)."""
        ...

    def settled(self, target: str, kind: str, outcome: Settled, count: int) -> None:
        """The worker recorded ``count`` attempts of ``target``/``kind`` ending in
        ``outcome``."""
        ...


class NoOutboxEvents:
    """The default observer: does nothing."""

    def enqueued(self, target: str, kind: str, count: int) -> None:
        return None

    def settled(self, target: str, kind: str, outcome: Settled, count: int) -> None:
        return None


NO_OUTBOX_EVENTS: OutboxEvents = NoOutboxEvents()
