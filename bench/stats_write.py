"""What writing the statistics ledger costs per statement, on PostgreSQL.

The statistics summary (:mod:`yrkesresan_adapter.stats.summary`) is kept in the transaction
of every statement; this times :meth:`Ledger.record` of one statement per transaction (a
registration, two course days, a completion, a goal and a rating per learner, then one
voiding statement in ten), median and mean in ms, against an empty ``SELECT 1`` transaction
in the same run. Run it from another checkout (``PYTHONPATH``) for a before/after.

    PYTHONPATH=.:bench .venv/bin/python bench/stats_write.py [learners]
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from sqlalchemy import text
from tests.db_fixtures import postgres_schema_url
from tests.stats.history import COURSE, GOAL, OCCASION, day, question, statement

from yrkesresan_adapter import migrations
from yrkesresan_adapter.stats.ledger import Ledger
from yrkesresan_adapter.storage.database import Database


def history(learners: int) -> list[dict[str, Any]]:
    made: list[dict[str, Any]] = []
    for n in range(learners):
        name = f"learner-{n}"
        at = f"2026-05-{1 + n % 28:02d}T10:00:00Z"
        made += [
            statement("registered", name, OCCASION, at=at),
            statement("attended", name, day(OCCASION, 1), at=at),
            statement("attended", name, day(OCCASION, 2), at=at),
            statement("completed", name, COURSE, at=at),
            statement("passed", name, GOAL, at=at),
            statement("answered", name, question(COURSE), rating=1 + n % 5, at=at),
        ]
        if n % 10 == 0:
            made.append(statement("voided", name, OCCASION, voids=made[-5]["id"], at=at))
    return made


def main(learners: int = 200) -> None:
    statements = history(learners)
    with postgres_schema_url() as url:
        db = Database(url)
        migrations.upgrade(db)
        ledger = Ledger()
        empty, written = [], []
        for made in statements:
            started = time.perf_counter()
            with db.connection() as conn:
                conn.execute(text("SELECT 1"))
            empty.append(time.perf_counter() - started)
            started = time.perf_counter()
            with db.connection() as conn:
                ledger.record(conn, [made])
            written.append(time.perf_counter() - started)
        db.dispose()
    for name, times in (("empty transaction", empty), ("Ledger.record", written)):
        print(
            f"{name:<18} median {statistics.median(times) * 1000:6.2f} ms, "
            f"mean {statistics.mean(times) * 1000:6.2f} ms ({len(times)} statements)"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
