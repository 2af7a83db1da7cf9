"""Two workers on PostgreSQL claim disjoint batches (FOR UPDATE SKIP LOCKED + lease).

SQLite has no row locks: run a single worker there (documented in docs/lrs.md).
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from sqlalchemy import Engine, MetaData

from tests.outbox.conftest import ScriptedDeliverer
from yrkesresan_lti.outbox import Outbox, OutboxWorker, define_outbox_tables

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_concurrent_workers_never_deliver_the_same_entry(engine: Engine) -> None:
    metadata = MetaData()
    outbox = Outbox(define_outbox_tables(metadata))
    metadata.create_all(engine)
    with engine.begin() as conn:
        outbox.enqueue(conn, [json.dumps({"id": f"st-{i}"}).encode() for i in range(300)], ["rss"])

    both_busy = threading.Barrier(2, timeout=30)
    waited: set[int] = set()

    def meet_once() -> None:  # both workers hold a claimed batch at the same moment
        me = threading.get_ident()
        if me not in waited:
            waited.add(me)
            both_busy.wait()

    deliverers = [ScriptedDeliverer(before=meet_once) for _ in range(2)]
    workers = [OutboxWorker(engine, {"rss": d}, outbox=outbox, batch_size=25) for d in deliverers]
    errors: list[BaseException] = []

    def run(w: OutboxWorker) -> None:
        try:
            while w.run_once().claimed:
                pass
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors
    delivered = Counter(i.dedupe_id for d in deliverers for i in d.seen)
    assert len(delivered) == 300
    assert set(delivered.values()) == {1}
    assert all(d.seen for d in deliverers)
    assert max(size for d in deliverers for size in d.batch_sizes) <= 25  # a claim is one batch
    with engine.connect() as conn:
        assert outbox.status(conn).targets["rss"].delivered == 300
