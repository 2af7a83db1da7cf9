"""Erasure against Ralph: the person's delivered statements are voided in the LRS by the
tool's voiding statements, delivered through the outbox by the ordinary worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.conftest import load_test_catalog
from tests.privacy.conftest import ANNA, ISSUER, PSEUDONYM_KEY, Scenario, pseudonym
from tests.ralph_fixtures import ralph  # noqa: F401 - fixture
from yrkesresan_adapter.delivery import delivery_worker
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi.client import LrsClient

pytestmark = pytest.mark.ralph
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture
def settings(tmp_path: Path, database_url: str, ralph: RalphServer) -> Settings:  # noqa: F811
    load_test_catalog(tmp_path)
    return Settings(
        _env_file=None,
        instance_path=tmp_path / "instance",
        database_url=database_url,
        catalog_path=tmp_path / "catalog.yaml",
        pseudonym_key=PSEUDONYM_KEY,
        base_url="https://yrkesresan.kommun.example",
        lrs_targets=[ralph.lrs_target("ralph")],
    )


def test_the_voiding_statements_reach_the_lrs(scenario: Scenario, ralph: RalphServer) -> None:  # noqa: F811
    first = delivery_worker(scenario.app, targets=["ralph"]).flush()
    assert first.delivered
    assert not first.dead
    sent = [
        s for s in scenario.statements() if s["actor"].get("account", {}).get("name") == pseudonym()
    ]
    result = scenario.cli("learner", "erase", "--issuer", ISSUER, "--sub", ANNA, "--yes")
    assert result.exit_code == 0, result.output
    second = delivery_worker(scenario.app, targets=["ralph"]).flush()
    assert second.delivered
    assert not second.dead
    assert not second.retried
    already = {s["object"]["id"] for s in sent if s["verb"]["id"] == VOIDED}
    expected = {s["id"] for s in sent if s["verb"]["id"] != VOIDED} - already
    registrations = {s["context"]["registration"] for s in sent}
    in_lrs = []
    with LrsClient(ralph.lrs_target()) as lrs:
        for registration in registrations:
            in_lrs += list(lrs.query(registration=registration, limit=100))
    voiding = [
        s
        for s in in_lrs
        if s["verb"]["id"] == VOIDED and s["actor"]["account"]["name"] == "yrkesresan-lti"
    ]
    ours = {s["id"] for s in sent}  # Ralph is shared: the same registrations from other runs
    assert {s["object"]["id"] for s in voiding} & ours == expected
    assert all(
        s["actor"]["account"]["homePage"] == "https://yrkesresan.kommun.example" for s in voiding
    )
