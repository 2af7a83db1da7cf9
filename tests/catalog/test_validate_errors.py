"""Every kind of catalog error: exit code 1, one line naming file:line and the path, a fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.catalog.factories import (
    Data,
    first_course,
    line_of,
    make_catalog,
    make_course,
    to_yaml,
)

C = "journeys[0].phases[0].courses[0]"


@dataclass(frozen=True)
class Case:
    """Break a valid catalog; the problem must be reported at ``path`` on ``needle``'s line."""

    name: str
    breaks: Callable[[Data], None]
    path: str
    needle: str
    says: str
    occurrence: int = 1
    line_offset: int = 0


def _course(edit: Callable[[Data], None]) -> Callable[[Data], None]:
    return lambda data: edit(first_course(data))


def _set(mapping: Data, key: str, value: Any) -> None:
    mapping[key] = value


CASES = [
    Case(
        "wrong type",
        _course(lambda c: _set(c["occasions"][0], "capacity", "många")),
        f"{C}.occasions[0].capacity",
        "capacity: många",
        "whole number",
    ),
    Case(
        "unknown key",
        _course(lambda c: _set(c["occasions"][0], "capcity", 3)),
        f"{C}.occasions[0].capcity",
        "capcity:",
        "allowed here: slug, title, days",
    ),
    Case(
        "missing key",
        _course(lambda c: c["preparation"]["tasks"][0].pop("motivation")),
        f"{C}.preparation.tasks[0].motivation",
        "- slug: forbered",
        "required key 'motivation' is missing",
    ),
    Case(
        "dangling goal link",
        _course(lambda c: _set(c["follow_up"]["tasks"][0], "goals", ["mal-1", "finns-inte"])),
        f"{C}.follow_up.tasks[0].goals[1]",
        "- finns-inte",
        "use one of mal-1, mal-2 or add the goal",
    ),
    Case(
        "duplicate course slug in a journey",
        lambda d: _set(d["journeys"][0]["phases"][1], "courses", [make_course("kurs-1")]),
        "journeys[0].phases[1].courses[0].slug",
        "- slug: kurs-1",
        "already used at journeys[0].phases[0].courses[0]",
        occurrence=2,
    ),
    Case(
        "duplicate goal slug",
        _course(lambda c: _set(c["goals"][1], "slug", "mal-1")),
        f"{C}.goals[1].slug",
        "- slug: mal-1",
        "duplicate goal slug 'mal-1'",
        occurrence=2,
    ),
    Case(
        "zero duration",
        _course(lambda c: _set(c["preparation"]["tasks"][0], "estimated_time", "PT0M")),
        f"{C}.preparation.tasks[0].estimated_time",
        "estimated_time: PT0M",
        "give a positive time",
    ),
    Case(
        "duration that is not ISO 8601",
        _course(lambda c: _set(c["preparation"]["tasks"][0], "estimated_time", "45 minuter")),
        f"{C}.preparation.tasks[0].estimated_time",
        "estimated_time: 45 minuter",
        "write e.g. 'PT45M'",
    ),
    Case(
        "invalid URL",
        _course(lambda c: _set(c["preparation"]["tasks"][0], "url", "kunskapsguiden.se")),
        f"{C}.preparation.tasks[0].url",
        "url: kunskapsguiden.se",
        "full http(s) URL",
    ),
    Case(
        "unknown resource kind",
        _course(lambda c: _set(c["preparation"]["tasks"][0], "kind", "bok")),
        f"{C}.preparation.tasks[0].kind",
        "kind: bok",
        "'regulation', 'handbook'",
    ),
    Case(
        "overlapping phase years",
        lambda d: _set(d["journeys"][0]["phases"][1], "years_min", 1),
        "journeys[0].phases[1].years_min",
        "years_min: 1",
        "must not overlap",
    ),
    Case(
        "phase ending before it starts",
        lambda d: _set(d["journeys"][0]["phases"][1], "years_max", 2),
        "journeys[0].phases[1].years_max",
        "years_max: 2",
        "must be greater than years_min",
        occurrence=2,
    ),
    Case(
        "course days out of order",
        _course(lambda c: _set(c["occasions"][0]["days"][1], "date", "2027-03-01")),
        f"{C}.occasions[0].days[1].date",
        "2027-03-01",
        "list the days in date order",
    ),
    Case(
        "day ending before it starts",
        _course(lambda c: _set(c["occasions"][0]["days"][0], "end", "08:00")),
        f"{C}.occasions[0].days[0].end",
        "end: 08:00",
        "swap or fix the times",
    ),
    Case(
        "registration deadline after the first day",
        _course(lambda c: _set(c["occasions"][0], "registration_deadline", "2027-03-20")),
        f"{C}.occasions[0].registration_deadline",
        "registration_deadline: '2027-03-20'",
        "set it at least one day earlier",
    ),
    Case(
        "capacity below one",
        _course(lambda c: _set(c["occasions"][0], "capacity", 0)),
        f"{C}.occasions[0].capacity",
        "capacity: 0",
        "must be at least 1 (got 0)",
    ),
    Case(
        "occasion without place or meeting link",
        _course(lambda c: c["occasions"][0].pop("place")),
        f"{C}.occasions[0]",
        "- slug: vt-2027",
        "give one or both",
    ),
    Case(
        "text without Swedish",
        _course(lambda c: _set(c, "description", {"en": "Only English here"})),
        f"{C}.description",
        "Only English here",
        "add an 'sv' entry",
        line_offset=-1,
    ),
    Case(
        "slug with å",
        _course(lambda c: _set(c, "slug", "samtal-med-barn-å")),
        f"{C}.slug",
        "slug: samtal-med-barn-å",
        "no å/ä/ö",
    ),
    Case(
        "catalog without journeys",
        lambda d: _set(d, "journeys", []),
        "journeys",
        "journeys: []",
        "add at least one journey",
    ),
]


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI in English (before ``run_cli`` builds it): the cases quote the English fix."""
    monkeypatch.setenv("YRKESRESAN_LOCALE", "en")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_validate_reports_problem_with_file_line_and_path(
    case: Case,
    catalog_data: Data,
    write_catalog: Callable[..., Path],
    english: None,
    run_cli: Any,
) -> None:
    case.breaks(catalog_data)
    path = write_catalog(catalog_data)
    line = line_of(to_yaml(catalog_data), case.needle, case.occurrence) + case.line_offset

    result = run_cli("validate", path)

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    reported = [row for row in result.output.splitlines() if f": {case.path}: error:" in row]
    assert reported, result.output
    assert reported[0].startswith(f"{path}:{line}: {case.path}: error:"), result.output
    assert case.says in reported[0]


def test_broken_yaml_names_the_line(write_catalog: Callable[..., Path], run_cli: Any) -> None:
    text = to_yaml(make_catalog())
    lines = text.splitlines()
    lines.insert(3, "  sv: [unclosed")
    path = write_catalog("\n".join(lines) + "\n")

    result = run_cli("validate", path)

    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:")
    assert "trasig YAML" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_every_problem_gets_its_own_line(
    catalog_data: Data, write_catalog: Callable[..., Path], run_cli: Any
) -> None:
    course = first_course(catalog_data)
    course["occasions"][0]["capcity"] = 3
    course["preparation"]["tasks"][0]["url"] = "ftp://example.org/x"

    result = run_cli("validate", write_catalog(catalog_data))

    assert result.exit_code == 1
    errors = [row for row in result.output.splitlines() if ": error:" in row]
    assert len(errors) == 2


def test_missing_path_is_an_error_not_a_traceback(tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("validate", tmp_path / "finns-inte.yaml")

    assert result.exit_code == 1
    assert "filen eller mappen finns inte" in result.output


def test_unused_goal_is_a_warning_that_fails_only_in_strict_mode(
    catalog_data: Data, write_catalog: Callable[..., Path], run_cli: Any
) -> None:
    first_course(catalog_data)["goals"].append({"slug": "oanvant", "title": {"sv": "Oanvänt"}})
    text = to_yaml(catalog_data)
    path = write_catalog(catalog_data)
    line = line_of(text, "- slug: oanvant")

    relaxed, strict = run_cli("validate", path), run_cli("validate", "--strict", path)

    assert relaxed.exit_code == 0
    assert f"{path}:{line}: {C}.goals[2]: warning: ingen uppgift länkar till målet 'oanvant'" in (
        relaxed.output
    )
    assert "varningar: 1" in relaxed.output
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    ("case", "swedish"),
    [
        (next(c for c in CASES if c.name == "wrong type"), "här ska det stå ett heltal"),
        (next(c for c in CASES if c.name == "unknown key"), "okänd nyckel 'capcity'"),
        (next(c for c in CASES if c.name == "slug with å"), "är inget giltigt kortnamn"),
        (
            next(c for c in CASES if c.name == "catalog without journeys"),
            "katalogen har inga yrkesresor",
        ),
    ],
    ids=lambda value: value.name if isinstance(value, Case) else "",
)
def test_a_swedish_operator_reads_the_problem_in_swedish(
    case: Case, swedish: str, catalog_data: Data, write_catalog: Callable[..., Path], run_cli: Any
) -> None:
    case.breaks(catalog_data)
    result = run_cli("validate", write_catalog(catalog_data))
    reported = [row for row in result.output.splitlines() if f": {case.path}: error:" in row]
    assert reported, result.output
    assert swedish in reported[0]
    assert case.says not in reported[0]
