"""`yrkesresan ags flush`: queued AGS scores reach the platform through the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.advantage.conftest import registration_for
from tests.lti_fixtures import TOOL_URL, make_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.lti.advantage.ags import Score
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_SCORE_KIND, AGS_TARGET, score_payload
from yrkesresan_lti.outbox.outbox import Outbox
from yrkesresan_lti.testing.services import FakePlatformServices, serve

AT = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)


@pytest.fixture
def platform_with_queued_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakePlatformServices]:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    app = make_app(tmp_path)
    state = AdapterState.of(app)
    jwks = {"keys": [dict(state.services.tool_keys.signing_key().public_jwk)]}
    platform = FakePlatformServices(tool_jwks=lambda: jwks)
    with serve(platform):
        registration = state.services.platforms.save(registration_for(platform))
        lineitem = platform.add_line_item("Samtal med barn", 3)
        payload = score_payload(registration, lineitem, Score.for_progress("3", 2, 3, AT))
        with state.services.db.session() as session:
            Outbox(outbox_tables).enqueue(session, [payload], [AGS_TARGET], kind=AGS_SCORE_KIND)
        state.services.db.dispose()
        yield platform


def _flush(tmp_path: Path) -> Result:
    env = {
        "YRKESRESAN_INSTANCE_PATH": str(tmp_path / "instance"),
        "YRKESRESAN_BASE_URL": TOOL_URL,
        "YRKESRESAN_SECRET_KEY": "test-secret-key-of-enough-length",
    }
    return CliRunner().invoke(build_cli(), ["ags", "flush"], env=env)


def test_queued_score_is_posted(
    tmp_path: Path, platform_with_queued_score: FakePlatformServices
) -> None:
    result = _flush(tmp_path)
    assert result.exit_code == 0, result.output
    assert "Skickade: 1" in result.output
    [(_, score)] = platform_with_queued_score.scores
    assert (score["userId"], score["scoreGiven"], score["scoreMaximum"]) == ("3", 2, 3)


def test_platform_down_keeps_the_score_for_a_retry(
    tmp_path: Path, platform_with_queued_score: FakePlatformServices
) -> None:
    platform_with_queued_score.fail("/scores", 503)
    result = _flush(tmp_path)
    assert result.exit_code == 1
    assert "försöks igen" in result.output
    assert platform_with_queued_score.scores == []
