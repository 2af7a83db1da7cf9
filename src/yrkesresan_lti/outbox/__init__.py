"""Durable, transactional outbox: payloads commit with the caller's data, a worker delivers.

Schema: :func:`define_outbox_tables`. The rest of the API is added by the modules of
this package.
"""

from yrkesresan_lti.outbox.schema import (
    DEAD,
    DELIVERED,
    PENDING,
    OutboxTables,
    define_outbox_tables,
)

__all__ = ["DEAD", "DELIVERED", "PENDING", "OutboxTables", "define_outbox_tables"]
