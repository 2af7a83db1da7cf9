"""The worker's log lines about one recorded batch (logger ``yrkesresan.outbox``).

- ``outbox_delivered`` (INFO): per target, how many entries were delivered.
- ``outbox_retry`` (WARNING): per target and reason, how many wait, after how many attempts
  (the most of them) and until when (the earliest next attempt).
- ``outbox_dead_letter`` (WARNING): one per entry given up: entry id, target, kind,
  ``dedupe_id`` (the statement id), attempts and reason.

Reasons are the deliverer's (e.g. ``HTTP 503: …``), cut to :data:`MAX_REASON` characters,
with the entry's identities (actor, ``userId``) hidden: a remote answer may quote the payload.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from yrkesresan_lti.logs.redact import without_identities

from .deliverer import DeliveryOutcome, DeliveryStatus, OutboxItem
from .events import OutboxEvents, Settled
from .schema import DEAD

log = logging.getLogger("yrkesresan.outbox")
MAX_REASON = 300


def _iso(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def log_outcomes(
    outcomes: Sequence[tuple[OutboxItem, DeliveryOutcome]],
    recorded: Sequence[Mapping[str, Any]],
) -> None:
    """Log a batch: ``recorded`` are the worker's rows for entries not delivered
    (``b_id``, ``b_status``, ``b_error``, ``b_next``)."""
    delivered = Counter(
        item.target for item, outcome in outcomes if outcome.status is DeliveryStatus.DELIVERED
    )
    for target, count in sorted(delivered.items()):
        log.info(
            "outbox_delivered",
            extra={"event": "outbox_delivered", "target": target, "count": count},
        )
    items = {item.entry_id: item for item, _ in outcomes}
    waiting: dict[tuple[str, str], list[tuple[OutboxItem, datetime]]] = defaultdict(list)
    for row in recorded:
        item = items[row["b_id"]]
        reason = without_identities(str(row["b_error"]), item.payload)[:MAX_REASON]
        if row["b_status"] == DEAD:
            log.warning(
                "outbox_dead_letter",
                extra={
                    "event": "outbox_dead_letter",
                    "entry_id": item.entry_id,
                    "target": item.target,
                    "kind": item.kind,
                    "dedupe_id": item.dedupe_id,
                    "attempts": item.attempts + 1,
                    "reason": reason,
                },
            )
        else:
            waiting[(item.target, reason)].append((item, row["b_next"]))
    for (target, reason), entries in sorted(waiting.items()):
        log.warning(
            "outbox_retry",
            extra={
                "event": "outbox_retry",
                "target": target,
                "count": len(entries),
                "attempts": max(item.attempts for item, _ in entries) + 1,
                "next_attempt_at": _iso(min(moment for _, moment in entries)),
                "reason": reason,
            },
        )


def report_outcomes(
    events: OutboxEvents,
    outcomes: Sequence[tuple[OutboxItem, DeliveryOutcome]],
    recorded: Sequence[Mapping[str, Any]],
) -> None:
    """Tell ``events`` how many entries of each target and kind were delivered, wait for a
    retry or were given up (``recorded`` as in :func:`log_outcomes`)."""
    status = {row["b_id"]: row["b_status"] for row in recorded}
    counts: Counter[tuple[str, str, Settled]] = Counter()
    for item, _ in outcomes:
        written = status.get(item.entry_id)
        outcome: Settled = (
            "delivered" if written is None else "dead" if written == DEAD else "retried"
        )
        counts[(item.target, item.kind, outcome)] += 1
    for (target, kind, outcome), count in sorted(counts.items()):
        try:
            events.settled(target, kind, outcome, count)
        except Exception:  # an observer must never cost a delivery
            log.exception("outbox_events_failed", extra={"event": "outbox_events_failed"})
