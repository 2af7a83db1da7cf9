"""Every script in examples/ runs as its docstring says (the LRS ones against Ralph)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import MetaData, create_engine, select

from tests.examples.conftest import EXAMPLES
from yrkesresan_adapter.demo.ralph import RalphServer
from yrkesresan_lti.catalog import Course, KnowledgeGoal, default_catalog_path, load_catalog
from yrkesresan_lti.outbox import define_outbox_tables
from yrkesresan_lti.xapi import Learner, Pseudonymizer, StatementFactory, statement_bytes
from yrkesresan_lti.xapi.client import LrsClient, Outcome

Example = Callable[[str], ModuleType]
CATALOG = load_catalog(default_catalog_path())
COURSE: Course = next(course for _, _, course in CATALOG.courses())


def use_lrs(monkeypatch: pytest.MonkeyPatch, ralph: RalphServer) -> None:
    monkeypatch.setenv("YRKESRESAN_LRS__ENDPOINT", ralph.endpoint)
    monkeypatch.setenv("YRKESRESAN_LRS__USERNAME", ralph.username)
    monkeypatch.setenv("YRKESRESAN_LRS__PASSWORD", ralph.password)


def outbox_rows(database: str) -> list[dict[str, object]]:
    metadata = MetaData()
    entries = define_outbox_tables(metadata).entries
    with create_engine(database).connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(entries))]


def test_every_example_script_has_a_main_and_a_test() -> None:
    scripts = sorted(p.stem for p in EXAMPLES.glob("*.py"))
    source = Path(__file__).read_text(encoding="utf-8")
    assert len(scripts) >= 5
    for name in scripts:
        assert "def main(" in (EXAMPLES / f"{name}.py").read_text(encoding="utf-8")
        assert f'example("{name}")' in source, f"examples/{name}.py has no test"


# --- (a) load and validate a catalog, print a course's goals --------------------------------


def test_catalog_goals_prints_the_goals_of_a_course(
    example: Example, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example("catalog_goals").main(["--course", COURSE.slug, "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(COURSE.title["en"])
    assert out[1:] == [f"- {goal.title['en']}  <{goal.iri}>" for goal in COURSE.goals]


def test_catalog_goals_reports_a_broken_catalog_with_status_1(
    example: Example, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "catalog.yaml"
    broken.write_text("iri_base: not-a-url\nversion: '1'\ntitle: {sv: x}\n", encoding="utf-8")
    assert example("catalog_goals").main(["--catalog", str(broken)]) == 1
    assert "iri_base" in capsys.readouterr().err


def test_catalog_goals_names_the_courses_when_one_is_unknown(
    example: Example, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example("catalog_goals").main(["--course", "no-such-course"]) == 1
    assert COURSE.slug in capsys.readouterr().err


# --- (b) build, validate and send statements through the outbox ------------------------------


@pytest.mark.ralph
def test_send_statements_delivers_through_the_outbox_to_ralph(
    example: Example,
    ralph: RalphServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_lrs(monkeypatch, ralph)
    monkeypatch.setenv("YRKESRESAN_PSEUDONYM_KEY", "k" * 32)
    database = f"sqlite:///{tmp_path / 'outbox.db'}"
    assert example("send_statements").main(["--database", database, "--tasks", "2"]) == 0
    assert "delivered 3, to retry 0, dead 0" in capsys.readouterr().out
    rows = outbox_rows(database)
    assert [row["status"] for row in rows] == ["delivered"] * 3
    with LrsClient(ralph.lrs_target()) as lrs:
        for row in rows:
            stored = lrs.get(str(row["dedupe_id"]))
            assert stored is not None
            assert stored["actor"]["account"]["name"] == Pseudonymizer("k" * 32).pseudonym(
                "https://moodle.exempelkommun.se", "42"
            )


def test_send_statements_without_an_lrs_says_so(
    example: Example, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example("send_statements").main(["--database", f"sqlite:///{tmp_path}/o.db"]) == 0
    err = capsys.readouterr().err
    assert "YRKESRESAN_PSEUDONYM_KEY is not set" in err
    assert "no LRS is set" in err


# --- (c) the launch validator in a Flask app of one's own -------------------------------------


def test_flask_launch_takes_a_simulated_launch(example: Example) -> None:
    status, page = example("flask_launch").simulate()
    assert status == 200
    assert "Välkommen, Lina Larsson" in page
    assert "role: learner" in page


def test_flask_launch_main_simulates_one_launch(
    example: Example, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example("flask_launch").main(["--simulate"]) == 0
    assert capsys.readouterr().out.startswith("200 <h1>Välkommen")


def test_flask_launch_refuses_a_launch_without_its_login(example: Example) -> None:
    module = example("flask_launch")
    app = module.create_app(module.MemoryPlatformStore(), "https://tool.example")
    answer = app.test_client().post(
        "/lti/launch", data={"state": "x", "id_token": "y"}, base_url="https://tool.example"
    )
    assert answer.status_code == 400
    assert answer.text == "LTI refused: BadState"


def test_flask_launch_refuses_a_login_from_an_unknown_platform(example: Example) -> None:
    module = example("flask_launch")
    app = module.create_app(module.MemoryPlatformStore(), "https://tool.example")
    answer = app.test_client().post(
        "/lti/login",
        data={
            "iss": "https://lms.unknown",
            "login_hint": "1",
            "target_link_uri": "https://tool.example",
        },
        base_url="https://tool.example",
    )
    assert answer.status_code == 400
    assert answer.text.startswith("LTI refused: ")


# --- (d) historical completions from a CSV ---------------------------------------------------

HEADER = "issuer,client_id,deployment_id,sub,municipality,task_iri,completed_at\n"


def completions_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "completions.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_import_completions_enqueues_statements_at_their_own_time(
    example: Example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("YRKESRESAN_LRS__ENDPOINT", "https://lrs.invalid/xapi/")
    tasks = COURSE.tasks[:2]
    path = completions_csv(
        tmp_path,
        f"https://moodle.a.se,abc,1,7,Ale,{tasks[0].iri},2025-03-01T09:30:00+01:00",
        f"https://moodle.b.se,abc,1,8,Bjuv,{tasks[1].iri},2025-04-02T10:00:00Z",
    )
    database = f"sqlite:///{tmp_path / 'outbox.db'}"
    module = example("import_completions")
    assert module.main([str(path), "--database", database]) == 0
    rows = outbox_rows(database)
    bodies = [json.loads(bytes(row["payload"])) for row in rows]  # type: ignore[arg-type]
    assert [b["timestamp"] for b in bodies] == [
        "2025-03-01T08:30:00.000Z",
        "2025-04-02T10:00:00.000Z",
    ]
    assert [b["object"]["id"] for b in bodies] == [tasks[0].iri, tasks[1].iri]
    # Importing the same file again makes the same statements (the LRS keeps one of each).
    again = f"sqlite:///{tmp_path / 'again.db'}"
    assert module.main([str(path), "--database", again]) == 0
    assert [row["dedupe_id"] for row in outbox_rows(again)] == [row["dedupe_id"] for row in rows]


def test_import_completions_imports_nothing_when_a_line_is_bad(
    example: Example,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("YRKESRESAN_LRS__ENDPOINT", "https://lrs.invalid/xapi/")
    task = COURSE.tasks[0]
    path = completions_csv(
        tmp_path,
        f"https://moodle.a.se,abc,1,7,Ale,{task.iri},2025-03-01T09:30:00+01:00",
        f"https://moodle.a.se,abc,1,7,Ale,{task.iri},2025-03-01 09:30",
        f"https://moodle.a.se,abc,1,7,Ale,{COURSE.iri},2025-03-01T09:30:00Z",
    )
    database = f"sqlite:///{tmp_path / 'outbox.db'}"
    assert example("import_completions").main([str(path), "--database", database]) == 1
    err = capsys.readouterr().err
    assert "line 3: completed_at" in err
    assert "line 4: task_iri: not a task of the catalog" in err
    assert not (tmp_path / "outbox.db").exists()


@pytest.mark.ralph
def test_import_completions_delivers_to_ralph(
    example: Example, ralph: RalphServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_lrs(monkeypatch, ralph)
    path = completions_csv(
        tmp_path, f"https://moodle.c.se,abc,1,9,Cityn,{COURSE.tasks[0].iri},2024-01-05T08:00:00Z"
    )
    database = f"sqlite:///{tmp_path / 'outbox.db'}"
    assert example("import_completions").main([str(path), "--database", database, "--deliver"]) == 0
    assert [row["status"] for row in outbox_rows(database)] == ["delivered"]


# --- (e) an LRS consumer: goal coverage per municipality ------------------------------------

WINDOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)
"""The seeded statements' time: no other test of the session's Ralph uses it."""


class _At:
    def now(self) -> datetime:
        return WINDOW


@pytest.mark.ralph
def test_coverage_report_charts_goals_per_municipality(
    example: Example,
    ralph: RalphServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    goals = [node.iri for node in CATALOG.walk() if isinstance(node, KnowledgeGoal)]
    factory = StatementFactory(CATALOG, Pseudonymizer("p" * 32), clock=_At())

    def learner(sub: str, municipality: str) -> Learner:
        return Learner("https://lms.se", sub, "abc", "1", municipality)

    seeded = [
        factory.goal_reached(learner("1", "Alingsås"), goals[0]),
        factory.goal_reached(learner("2", "Alingsås"), goals[1]),
        factory.goal_reached(learner("2", "Alingsås"), goals[0]),
        factory.goal_reached(learner("3", "Borås"), goals[2]),
        factory.task_completed(learner("3", "Borås"), COURSE.tasks[0].iri),  # not a goal
    ]
    with LrsClient(ralph.lrs_target()) as lrs:
        results = lrs.send([statement_bytes(s) for s in seeded])
    assert {r.outcome for r in results} == {Outcome.DELIVERED}
    use_lrs(monkeypatch, ralph)
    svg = tmp_path / "coverage.svg"
    window = ["--since", "2031-03-03T11:00:00+00:00", "--until", "2031-03-03T13:00:00+00:00"]
    assert example("coverage_report").main([*window, "--svg", str(svg)]) == 0
    out = capsys.readouterr().out.splitlines()
    total = len(goals)
    assert out[0].startswith("Alingsås  #")
    assert out[0].endswith(f"(2/{total}, 2 learners)")
    assert out[1].startswith("Borås     #")
    assert out[1].endswith(f"(1/{total}, 1 learners)")
    drawing = svg.read_text(encoding="utf-8")
    assert drawing.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "Alingsås" in drawing
    assert "Borås" in drawing
    assert "<script" not in drawing


@pytest.mark.ralph
def test_coverage_report_says_when_the_period_is_empty(
    example: Example,
    ralph: RalphServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_lrs(monkeypatch, ralph)
    window = ["--since", "2039-01-01T00:00:00+00:00", "--until", "2039-01-02T00:00:00+00:00"]
    assert example("coverage_report").main(window) == 1
    assert "no goal reached" in capsys.readouterr().err
