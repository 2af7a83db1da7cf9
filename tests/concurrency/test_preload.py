"""gunicorn with ``--preload``: the master loads the app (and, outside production, migrates
and so uses the database) before it forks the workers. Each worker must open its own
connections: workers sharing the master's PostgreSQL connection interleave their statements
on one socket (the first symptom: ``DuplicatePreparedStatement``, a 500 on the first page;
the worse one: one worker's commit ending another's transaction)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.db_fixtures import empty_database_url
from tests.lti_server import RunningTool, gunicorn_tool

pytestmark = pytest.mark.slow

LAUNCHES = 40
WORKERS = 4


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def preloaded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningTool]:
    with (
        empty_database_url(request.param, tmp_path) as url,
        gunicorn_tool(tmp_path, url, workers=WORKERS, config=True, options=["--preload"]) as tool,
    ):
        yield tool


def test_preloaded_workers_launch_on_connections_of_their_own(preloaded: RunningTool) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        runs = list(pool.map(lambda _: preloaded.launch(), range(LAUNCHES)))  # each: page 200

    assert len({run.nonce for run in runs}) == LAUNCHES
    assert preloaded.stderr_path is not None
    written = preloaded.stderr_path.read_text("utf-8")
    assert "Traceback" not in written
    assert "ERROR" not in written
    with preloaded.database.connection() as connection:  # every launch's nonce is stored
        stored = connection.execute(text("SELECT count(*) FROM lti_nonces")).scalar_one()
    assert stored == LAUNCHES
