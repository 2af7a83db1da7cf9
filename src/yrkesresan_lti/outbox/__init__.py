"""Durable, transactional outbox: payloads commit with the caller's data, a worker delivers.

- :func:`define_outbox_tables` adds the table to your ``MetaData`` (stable schema).
- :class:`Outbox` ``.enqueue(connection_or_session, payloads, targets)`` in your
  transaction; ``status``, ``retry_dead``, ``purge_delivered``.
- :class:`OutboxWorker` claims due entries and hands them to a :class:`Deliverer` per
  target (:class:`LrsDeliverer` for an LRS); ``run_once``, ``flush``, ``run``.
"""

from yrkesresan_lti.outbox.deliverer import (
    Deliverer,
    DeliveryOutcome,
    DeliveryStatus,
    OutboxItem,
)
from yrkesresan_lti.outbox.events import NO_OUTBOX_EVENTS, NoOutboxEvents, OutboxEvents
from yrkesresan_lti.outbox.lease import LEASE, LeaseKeeper
from yrkesresan_lti.outbox.lrs import LrsDeliverer, deliverers_from_settings, lrs_deliverers
from yrkesresan_lti.outbox.outbox import (
    XAPI_STATEMENT,
    Outbox,
    OutboxStatus,
    Payload,
    TargetStatus,
)
from yrkesresan_lti.outbox.schema import (
    DEAD,
    DELIVERED,
    PENDING,
    OutboxTables,
    define_outbox_tables,
)
from yrkesresan_lti.outbox.worker import BatchReport, OutboxWorker
from yrkesresan_lti.retry import RetryPolicy

__all__ = [
    "DEAD",
    "DELIVERED",
    "LEASE",
    "NO_OUTBOX_EVENTS",
    "PENDING",
    "XAPI_STATEMENT",
    "BatchReport",
    "Deliverer",
    "DeliveryOutcome",
    "DeliveryStatus",
    "LeaseKeeper",
    "LrsDeliverer",
    "NoOutboxEvents",
    "Outbox",
    "OutboxEvents",
    "OutboxItem",
    "OutboxStatus",
    "OutboxTables",
    "OutboxWorker",
    "Payload",
    "RetryPolicy",
    "TargetStatus",
    "define_outbox_tables",
    "deliverers_from_settings",
    "lrs_deliverers",
]
