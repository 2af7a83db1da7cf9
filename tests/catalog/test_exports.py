"""Knowledge goals exported for Moodle (competency framework CSV), Canvas (outcomes CSV)
and CASE 1.0 (JSON), each checked against its published column list or schema."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.catalog.factories import EXAMPLES
from yrkesresan_lti.catalog import Catalog, load_catalog
from yrkesresan_lti.catalog.exports import (
    canvas_outcomes,
    case_package,
    case_package_json,
    moodle_competencies,
    node_uuid,
)
from yrkesresan_lti.catalog.exports.common import journey_courses

FIXTURES = Path(__file__).parent / "fixtures"
CHANGED = datetime(2027, 1, 15, 8, 30, tzinfo=UTC)

MOODLE_HEADER = [
    # framework_importer::list_required_headers() of Moodle 4.5 (admin/tool/lpimportcsv),
    # as its lang/en strings spell them and its own exporter writes them.
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
CANVAS_NAMED = [
    # "Outcomes Import Format Documentation" (Canvas, doc/api/outcomes_csv.md)
    "vendor_guid",
    "object_type",
    "title",
    "description",
    "display_name",
    "calculation_method",
    "calculation_int",
    "workflow_state",
    "parent_guids",
    "mastery_points",
    "ratings",
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(EXAMPLES)


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_moodle_csv_has_moodles_header_one_framework_and_a_tree_moodle_can_build(
    catalog: Catalog,
) -> None:
    journey = catalog.journeys[0]
    header, *rows = rows_of(moodle_competencies(journey))
    assert header == MOODLE_HEADER
    assert all(len(row) == len(MOODLE_HEADER) for row in rows)
    frameworks = [r for r in rows if r[12] == "1"]
    competencies = [r for r in rows if r[12] == "0"]
    assert len(frameworks) == 1
    assert frameworks[0][5] == "Not yet competent,Competent"
    goals = [g for c in journey_courses(journey) for g in c.goals]
    assert len(competencies) == len(journey_courses(journey)) + len(goals)
    # The importer links children by the parent's ID number, taken as written (≤ 100 chars).
    idnumbers = [r[1] for r in competencies]
    assert len(set(idnumbers)) == len(idnumbers)
    assert all(len(i) <= 100 and len(r[2]) <= 100 for r, i in zip(rows, idnumbers, strict=False))
    top = [r for r in competencies if r[0] == ""]
    assert [r[2] for r in top] == [c.title["sv"] for c in journey_courses(journey)]
    children = [r for r in competencies if r[0] != ""]
    assert {r[0] for r in children} <= {r[1] for r in top}
    assert len(children) == len(goals)


def test_moodle_ids_are_the_iris_or_their_uuid_when_longer_than_moodle_allows(
    catalog: Catalog,
) -> None:
    journey = catalog.journeys[0]
    course = journey_courses(journey)[0]
    goal = next(g for g in course.goals if len(g.iri) > 100)
    _, _, *rows = rows_of(moodle_competencies(journey))
    by_id = {r[1]: r for r in rows}

    assert by_id[course.iri][0] == ""
    goal_row = by_id[f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, goal.iri)}"]
    assert goal_row[0] == course.iri
    assert goal_row[3].endswith(goal.iri)  # the IRI is always in the description


def test_moodle_csv_is_utf8_without_bom_and_keeps_swedish_letters(catalog: Catalog) -> None:
    data = moodle_competencies(catalog.journeys[0])

    assert not data.startswith(b"\xef\xbb\xbf")
    assert "Handläggning med barn i centrum" in data.decode("utf-8")
    assert "myndighetsutövning" in rows_of(data)[1][2]


def test_moodle_csv_in_english(catalog: Catalog) -> None:
    rows = rows_of(moodle_competencies(catalog.journeys[0], lang="en"))

    assert "Case management with the child at the centre" in [r[2] for r in rows]


def test_canvas_csv_has_the_documented_columns_and_groups_before_their_outcomes(
    catalog: Catalog,
) -> None:
    header, *rows = rows_of(canvas_outcomes(catalog.journeys))
    assert header[: len(CANVAS_NAMED)] == CANVAS_NAMED
    assert all(h == "" for h in header[len(CANVAS_NAMED) :])
    seen_groups: set[str] = set()
    for row in rows:
        guid, kind, title, _, _, method, number, state, parents, mastery, *ratings = row
        assert guid
        assert " " not in guid
        assert title
        assert state == "active"
        assert all(p in seen_groups for p in parents.split())  # "must refer to previous rows"
        if kind == "group":
            assert method == number == mastery == ""
            assert not any(ratings)
            seen_groups.add(guid)
        else:
            assert kind == "outcome"
            assert method == "highest"
            assert number == ""
            points = [float(p) for p in ratings[::2]]
            assert points == sorted(points, reverse=True)
            assert float(mastery) in points
    goals = [g.iri for j in catalog.journeys for c in journey_courses(j) for g in c.goals]
    assert [r[0] for r in rows if r[1] == "outcome"] == goals
    assert len({r[0] for r in rows}) == len(rows)


def test_canvas_outcomes_sit_in_their_course_group(catalog: Catalog) -> None:
    journey = catalog.journeys[1]
    course = journey_courses(journey)[0]
    _, *rows = rows_of(canvas_outcomes([journey]))
    by_guid = {r[0]: r for r in rows}

    assert by_guid[course.iri][8] == journey.iri
    assert by_guid[course.goals[0].iri][8] == course.iri
    assert by_guid[course.goals[0].iri][2] == course.goals[0].title["sv"]


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / "case-v1p0-cfpackage.schema.json").read_text())
    return loaded


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_case_package_validates_against_the_case_1_0_schema(catalog: Catalog, lang: str) -> None:
    for journey in catalog.journeys:
        package = case_package(catalog, journey, changed_at=CHANGED, lang=lang)
        jsonschema.Draft7Validator(schema()).validate(package)


def test_the_schema_refuses_what_case_does_not_allow(catalog: Catalog) -> None:
    package = case_package(catalog, catalog.journeys[0], changed_at=CHANGED)
    package["CFItems"][0]["identifier"] = package["CFItems"][0]["uri"]

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema()).validate(package)


def test_case_identifiers_are_uuids_of_our_iris_and_the_tree_is_complete(
    catalog: Catalog,
) -> None:
    journey = catalog.journeys[0]
    package = case_package(catalog, journey, changed_at=CHANGED)
    document, items = package["CFDocument"], package["CFItems"]
    assert document["uri"] == journey.iri
    assert all(i["identifier"] == node_uuid(i["uri"]) for i in [document, *items])
    parent_of = {
        a["originNodeURI"]["uri"]: a["destinationNodeURI"]["uri"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    for course in journey_courses(journey):
        assert parent_of[course.iri] == journey.iri
        assert all(parent_of[goal.iri] == course.iri for goal in course.goals)
    assert {i["uri"] for i in items} == set(parent_of)
    assert document["lastChangeDateTime"] == "2027-01-15T08:30:00Z"


def test_same_catalog_gives_the_same_bytes(catalog: Catalog) -> None:
    again = load_catalog(EXAMPLES)
    journey, same = catalog.journeys[0], again.journeys[0]

    assert moodle_competencies(journey) == moodle_competencies(same)
    assert canvas_outcomes(catalog.journeys) == canvas_outcomes(again.journeys)
    first = case_package_json(catalog, journey, changed_at=CHANGED)
    assert first == case_package_json(again, same, changed_at=CHANGED)
    assert "Kunskapsmål" in first.decode("utf-8")  # UTF-8, not \\u escapes


def test_cli_writes_one_format_to_stdout_or_a_file(run_cli: Any, tmp_path: Path) -> None:
    printed = run_cli("export", EXAMPLES, "--format", "canvas-outcomes")
    written = run_cli(
        "export", EXAMPLES, "--format", "moodle-competencies", "--journey", "barn-och-unga",
        "-o", tmp_path / "bou.csv",
    )  # fmt: skip

    assert printed.exit_code == 0, printed.output
    assert printed.stdout_bytes == canvas_outcomes(load_catalog(EXAMPLES).journeys)
    assert written.exit_code == 0, written.output
    assert (tmp_path / "bou.csv").read_bytes() == moodle_competencies(
        load_catalog(EXAMPLES).journeys[0]
    )


def test_cli_writes_one_case_file_per_journey_into_a_directory(
    run_cli: Any, tmp_path: Path
) -> None:
    result = run_cli(
        "export", EXAMPLES, "--format", "case", "--changed-at", "2027-01-15T08:30:00Z",
        "-o", tmp_path,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["barn-och-unga-case.json", "funktionshinder-utforare-case.json"]
    package = json.loads((tmp_path / names[0]).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema()).validate(package)
    assert package["CFDocument"]["lastChangeDateTime"] == "2027-01-15T08:30:00Z"


def test_cli_refuses_several_journeys_into_one_file_and_unknown_journeys(run_cli: Any) -> None:
    several = run_cli("export", EXAMPLES, "--format", "moodle-competencies")
    unknown = run_cli("export", EXAMPLES, "--format", "case", "--journey", "nope")

    assert several.exit_code == 2
    assert "--journey" in several.output
    assert "barn-och-unga" in several.output
    assert unknown.exit_code == 2
    assert "nope" in unknown.output
