"""A real ``yrkesresan worker`` SIGKILLed mid-batch: another worker retakes the batch one
lease later and every statement reaches Ralph, none lost.

The first worker's LRS never answers (a socket that accepts and stays silent), so its
batch is on the wire when it is killed; the second worker sends the same target to Ralph.
The lease is configured short (``YRKESRESAN_OUTBOX_LEASE_SECONDS``) to keep the test fast;
the default (about a minute) is asserted in ``test_leases.py``.
"""

from __future__ import annotations

import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.db_fixtures import postgres_schema_url
from yrkesresan_adapter import migrations
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_lti.outbox import DELIVERED, Outbox
from yrkesresan_lti.xapi.client import LrsClient
from yrkesresan_lti.xapi.serialization import statement_bytes

pytestmark = [pytest.mark.ralph, pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(120)]

LEASE_SECONDS = 3.0
IDLE_SECONDS = 0.2
COUNT = 300


class SilentLrs(socketserver.ThreadingTCPServer):
    """Accepts connections and never answers: a delivery to it stays on the wire."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.released = threading.Event()
        super().__init__(("127.0.0.1", 0), _Silent)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/xAPI/"


class _Silent(socketserver.BaseRequestHandler):
    server: SilentLrs

    def handle(self) -> None:
        self.request.recv(1024)
        self.server.reached.set()
        self.server.released.wait(120)


@pytest.fixture
def silent_lrs() -> Iterator[SilentLrs]:
    server = SilentLrs()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()


def statement(registration: str, n: int) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://yrkesresan.se", "name": f"learner-{n % 9}"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"https://yrkesresan.se/id/tasks/{n}"},
        "context": {"registration": registration},
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }


def start_worker(tmp_path: Path, database_url: str, lrs: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YRKESRESAN_")}
    env |= {
        "YRKESRESAN_LOCALE": "sv",
        "YRKESRESAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "YRKESRESAN_SECRET_KEY": "test-secret-key-of-enough-length",
        "YRKESRESAN_DATABASE_URL": database_url,
        "YRKESRESAN_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "YRKESRESAN_OUTBOX_HEARTBEAT_SECONDS": "0.5",
        "YRKESRESAN_LRS__NAME": "ralph",
        "YRKESRESAN_LRS__READ_TIMEOUT": "600",
        **{f"YRKESRESAN_LRS__{key.upper()}": value for key, value in lrs.items()},
    }
    command = [sys.executable, "-c", "from yrkesresan_lti.cli import main; main()", "worker"]
    with (tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log").open("wb") as log:
        return subprocess.Popen(
            [*command, "--idle", str(IDLE_SECONDS)], env=env, cwd=tmp_path, stdout=log, stderr=log
        )


def wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def test_a_sigkilled_workers_batch_is_retaken_one_lease_later_and_nothing_is_lost(
    ralph: RalphServer, silent_lrs: SilentLrs, tmp_path: Path
) -> None:
    registration = str(uuid.uuid4())
    outbox = Outbox(outbox_tables)
    entries = outbox_tables.entries
    workers: list[subprocess.Popen[bytes]] = []
    with postgres_schema_url() as url:
        db = Database(url)
        migrations.upgrade(db)
        with db.engine.begin() as conn:
            sent = [statement(registration, n) for n in range(COUNT)]
            outbox.enqueue(conn, [statement_bytes(s) for s in sent], ["ralph"])

        def claims() -> set[str | None]:
            with db.engine.connect() as conn:
                return set(conn.scalars(select(entries.c.claim_token)))

        def lease_end() -> datetime:
            with db.engine.connect() as conn:
                end = conn.scalar(select(func.min(entries.c.next_attempt_at)))
            assert end is not None
            return end if end.tzinfo else end.replace(tzinfo=UTC)

        def in_ralph() -> list[str]:
            with LrsClient(ralph.lrs_target()) as lrs:
                return [s["id"] for s in lrs.query(registration=registration, limit=100)]

        try:
            workers.append(start_worker(tmp_path, url, {"endpoint": silent_lrs.endpoint}))
            wait_for(silent_lrs.reached.is_set, 60, "the first worker's delivery")
            [held_by] = claims()
            assert held_by is not None  # the whole batch is claimed by the first worker
            first_lease_end = lease_end()

            target = ralph.lrs_target()
            assert target.password is not None
            workers.append(
                start_worker(
                    tmp_path,
                    url,
                    {
                        "endpoint": ralph.endpoint,
                        "username": ralph.username,
                        "password": target.password.get_secret_value(),
                    },
                )
            )
            # While the first worker lives, its heartbeat keeps the batch past the first lease.
            wait_for(
                lambda: datetime.now(UTC) > first_lease_end + timedelta(seconds=IDLE_SECONDS * 3),
                30,
                "the first lease to pass",
            )
            assert claims() == {held_by}
            assert lease_end() > first_lease_end
            assert in_ralph() == []

            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(10)
            killed_lease_end = lease_end()  # no heartbeat moves it any more
            wait_for(lambda: len(in_ralph()) >= COUNT, 60, "every statement in Ralph")
            # Ralph stores a batch before it answers, the worker records it after the answer.
            wait_for(lambda: claims() == {None}, 60, "the second worker's outcomes")

            with db.engine.connect() as conn:
                statuses = list(conn.scalars(select(entries.c.status)))
                first_delivered = conn.scalar(select(func.min(entries.c.delivered_at)))
        finally:
            for process in workers:
                if process.poll() is None:
                    process.terminate()
                    process.wait(30)
            db.dispose()

    # The second worker took the batch only once the killed worker's lease had run out (the
    # database's own times, not the test's clock: how fast a loaded machine gets there is
    # not the point; test_leases.py pins the lease length with a fake clock).
    assert first_delivered is not None
    first = first_delivered if first_delivered.tzinfo else first_delivered.replace(tzinfo=UTC)
    assert first >= killed_lease_end
    assert sorted(in_ralph()) == sorted(str(s["id"]) for s in sent)
    assert statuses == [DELIVERED] * COUNT
