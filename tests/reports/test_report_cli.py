"""``yrkesresan report``: the figures of a real LRS as text, CSV, JSON and HTML; every LRS
fault a Swedish message, exit code 1 and no file (an earlier report left as it was)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner, Result

from tests.reports.history import COURSE, History
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.reports import Filters
from yrkesresan_lti.reports.from_statements import figures_from_statements

FAKE = "https://lrs.example.se/xAPI/"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("YRKESRESAN_REPORT_PASSWORD", "hemligt")
    return CliRunner()


def report(runner: CliRunner, *args: str, lrs: str = FAKE) -> Result:
    return runner.invoke(build_cli(), ["report", "--lrs", lrs, "--user", "analys", *args])


@pytest.mark.ralph
def test_json_of_ralph_is_the_figures_of_the_history(
    runner: CliRunner,
    report_lrs: RalphServer,
    report_history: History,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("YRKESRESAN_REPORT_PASSWORD", report_lrs.password)
    args = ["report", "--lrs", report_lrs.endpoint, "--user", report_lrs.username]
    result = runner.invoke(build_cli(), [*args, "--format", "json", "--course", COURSE])
    assert result.exit_code == 0, result.output
    expected = figures_from_statements(report_history.statements, Filters(course=COURSE))
    assert json.loads(result.output) == json.loads(json.dumps(expected.to_json()))

    table = runner.invoke(build_cli(), args)
    assert table.exit_code == 0, table.output
    assert "Göteborg" in table.output  # SCB's name of kommunkod 1480
    assert "Samtal med barn" in table.output  # the course's name in the statements


@pytest.mark.ralph
def test_html_report_file_is_written_in_english_on_request(
    runner: CliRunner, report_lrs: RalphServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("YRKESRESAN_REPORT_PASSWORD", report_lrs.password)
    out = tmp_path / "rapport.html"
    args = ["report", "--lrs", report_lrs.endpoint, "--user", report_lrs.username]
    result = runner.invoke(build_cli(), [*args, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    swedish = out.read_text("utf-8")
    assert '<html lang="sv">' in swedish
    assert "Deltagare per kommun" in swedish
    english = runner.invoke(build_cli(), [*args, "--format", "html", "--lang", "en"])
    assert '<html lang="en">' in english.output
    assert "Participants per municipality" in english.output
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.html"]  # no temporary left


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": 401}, "tog inte emot inloggningen (401)"),
        ({"status": 403}, "(403)"),
        ({"status": 404}, "är ingen xAPI-adress (404)"),
        ({"body": "<html>login</html>"}, "svarade inte med JSON"),
        (
            {"json": {"statements": [], "more": "https://annan.example.se/statements?p=2"}},
            "annan server",
        ),
        ({"json": {"statements": [], "more": "/xAPI/statements"}}, "i en cirkel"),
    ],
)
def test_a_faulty_lrs_is_a_swedish_message_and_nothing_is_written(
    runner: CliRunner,
    mocked: responses.RequestsMock,
    tmp_path: Path,
    answer: dict[str, object],
    message: str,
) -> None:
    mocked.get(FAKE + "statements", **answer)
    earlier = tmp_path / "rapport.csv"
    earlier.write_text("förra rapporten\n", encoding="utf-8")
    result = report(runner, "--format", "csv", "-o", str(earlier))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert "hemligt" not in result.output
    assert earlier.read_text("utf-8") == "förra rapporten\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.csv"]


def test_an_lrs_that_keeps_failing_is_reported_after_the_retries(
    runner: CliRunner, mocked: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("yrkesresan_lti.retry.RetryPolicy.sleep", lambda self, s: None)
    mocked.get(FAKE + "statements", status=503)
    result = report(runner)
    assert result.exit_code == 1
    assert "svarar inte" in result.output
    assert len(mocked.calls) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "Atlantis"], "Fel: Atlantis"),
        (["--municipality", "9999"], "Fel: 9999"),
        (["--course", "samtal-med-barn"], "Fel: samtal-med-barn är ingen IRI"),
        (["--year", "tjugo"], "Fel: tjugo"),
        (["-o", "/finns/inte/rapport.html"], "Fel: mappen /finns/inte finns inte"),
    ],
)
def test_bad_options_are_refused_before_the_lrs_is_asked(
    runner: CliRunner, mocked: responses.RequestsMock, args: list[str], message: str
) -> None:
    result = report(runner, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert len(mocked.calls) == 0


def test_a_user_without_a_password_is_told_where_to_put_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("YRKESRESAN_REPORT_PASSWORD")
    result = report(runner)
    assert result.exit_code == 2
    assert "YRKESRESAN_REPORT_PASSWORD" in result.output


def test_a_municipality_by_name_filters_by_its_code(
    runner: CliRunner, mocked: responses.RequestsMock
) -> None:
    mocked.get(FAKE + "statements", json={"statements": []})
    result = report(
        runner, "--municipality", "Göteborg", "--region", "Västra Götaland", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["filters"]["municipality"] == "1480"
    assert json.loads(result.output)["filters"]["county"] == "14"
