"""200 concurrent full launches against gunicorn (4 workers) on PostgreSQL.

Every launch succeeds, every nonce is recorded once, no launch can be replayed (neither
the form post, nor its id_token under another state sealed with its nonce), and the
platform's key set is fetched once per worker at most, never per launch.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from tests.db_fixtures import postgres_schema_url
from tests.lti_server import SECRET, LaunchRun, RunningTool, gunicorn_tool
from yrkesresan_adapter.lti.views import binding_cookie
from yrkesresan_adapter.storage.models import UsedNonce
from yrkesresan_lti.lti.sealed_state import StateSeal

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LAUNCHES = 200
WORKERS = 4


@pytest.fixture(scope="module")
def tool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningTool]:
    with (
        postgres_schema_url() as url,
        gunicorn_tool(tmp_path_factory.mktemp("gunicorn"), url, workers=WORKERS) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def runs(tool: RunningTool) -> list[LaunchRun]:
    roles = ["learner", "manager", "admin", "mentor"]
    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(lambda n: tool.launch(roles[n % 4]), range(LAUNCHES)))


def test_200_concurrent_launches_all_succeed(runs: list[LaunchRun]) -> None:
    assert len(runs) == LAUNCHES


def test_every_nonce_is_recorded_exactly_once(tool: RunningTool, runs: list[LaunchRun]) -> None:
    issued = [run.nonce for run in runs]
    assert len(set(issued)) == LAUNCHES
    with tool.database.session() as session:
        stored = session.scalars(
            select(UsedNonce.nonce).where(UsedNonce.issuer == tool.simulator.issuer)
        ).all()
    assert sorted(stored) == sorted(issued)


def test_the_key_set_is_not_fetched_per_launch(tool: RunningTool, runs: list[LaunchRun]) -> None:
    assert 1 <= tool.key_set.hits <= WORKERS


def _replay(tool: RunningTool, run: LaunchRun) -> requests.Response:
    session = requests.Session()
    for name, value in run.cookies.items():
        session.cookies.set(name, value, path="/lti/launch")
    return session.post(f"{tool.base_url}/lti/launch", data=run.form, allow_redirects=False)


def test_replaying_a_launch_post_is_refused(tool: RunningTool, runs: list[LaunchRun]) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda run: _replay(tool, run), runs[:50]))
    assert {(a.status_code, a.headers.get("X-Yrkesresan-Error")) for a in answers} == {
        (400, "BadState")
    }


def test_a_consumed_nonce_is_refused_even_under_a_new_state(
    tool: RunningTool, runs: list[LaunchRun]
) -> None:
    """Each id_token posted again under a fresh state whose seal names its nonce (as if the
    tool had sealed the nonce twice): the nonce store still refuses it, on every worker."""
    seal = StateSeal(SECRET.encode(), 600)
    issuer, client_id = tool.simulator.issuer, tool.simulator.client_id

    def replay(run: LaunchRun) -> requests.Response:
        state = secrets.token_urlsafe(24)
        session = requests.Session()
        binding = seal.seal(state, issuer, client_id, run.nonce)
        session.cookies.set(binding_cookie(state), binding, path="/lti/launch")
        form = {**run.form, "state": state}
        return session.post(f"{tool.base_url}/lti/launch", data=form, allow_redirects=False)

    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(replay, runs))
    assert {(a.status_code, a.headers.get("X-Yrkesresan-Error")) for a in answers} == {
        (400, "BadState")
    }


def test_gunicorn_logged_no_server_error(tool: RunningTool, runs: list[LaunchRun]) -> None:
    log = Path(tool.log_path).read_text()
    assert "Traceback" not in log
    assert "Exception" not in log
