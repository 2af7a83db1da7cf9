"""The worker's statements on the outbox table, built once per worker (bound parameters).

A flush runs a lease and an outcome update per batch; building the SQLAlchemy constructs
anew for every batch cost more Python time than running them. Parameters: ``now``,
``targets`` (expanding), ``token``, ``until`` (the lease's end), ``ids`` (expanding),
``lo``/``hi`` (a range of ids) and, per row of :attr:`WorkerStatements.not_delivered`,
``b_id``, ``b_status``, ``b_error``, ``b_next``.
"""

from __future__ import annotations

from sqlalchemy import Table, bindparam, select, update

from .schema import DELIVERED, PENDING


class WorkerStatements:
    """Leasing due entries and recording outcomes, for one table and batch size."""

    def __init__(self, entries: Table, batch_size: int) -> None:
        t = entries
        times = t.c.next_attempt_at.type
        due = (
            t.c.status == PENDING,
            t.c.next_attempt_at <= bindparam("now", type_=times),
            t.c.target.in_(bindparam("targets", expanding=True)),
        )
        self.picked = (
            select(t.c.id)
            .where(*due)
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        )
        """The ids of one batch of due entries (``now``, ``targets``)."""
        self.columns = (t.c.id, t.c.target, t.c.kind, t.c.dedupe_id, t.c.payload, t.c.attempts)
        lease = update(t).values(
            claim_token=bindparam("token"), next_attempt_at=bindparam("until", type_=times)
        )
        self.lease_picked = lease.where(t.c.id.in_(self.picked.scalar_subquery()), *due)
        """Lease the batch :attr:`picked` selects, in one statement (SQLite)."""
        self.lease_ids = lease.where(t.c.id.in_(bindparam("ids", expanding=True)), *due)
        """Lease the given ``ids`` still due."""
        self.leased = select(*self.columns).where(
            t.c.id.in_(bindparam("ids", expanding=True)), t.c.claim_token == bindparam("token")
        )
        """What a lease without RETURNING leased."""
        mine = t.c.claim_token == bindparam("token")
        done = {"attempts": t.c.attempts + 1, "claim_token": None}
        delivered = {"status": DELIVERED, "delivered_at": bindparam("now", type_=times)}
        self.delivered_range = (
            update(t)
            .where(t.c.id.between(bindparam("lo"), bindparam("hi")), mine)
            .values(last_error=None, **delivered, **done)
        )
        """All of a batch delivered: the range of its ids, no list of 500 parameters."""
        self.delivered_ids = (
            update(t)
            .where(t.c.id.in_(bindparam("ids", expanding=True)), mine)
            .values(last_error=None, **delivered, **done)
        )
        self.not_delivered = (
            update(t)
            .where(t.c.id == bindparam("b_id"), mine)
            .values(
                status=bindparam("b_status"),
                last_error=bindparam("b_error"),
                next_attempt_at=bindparam("b_next", type_=times),
                **done,
            )
        )
        """One row per entry not delivered (executemany)."""
