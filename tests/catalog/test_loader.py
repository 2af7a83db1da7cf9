"""Loading files and directories, dumping back, and where problems are reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.catalog.factories import Data, first_course, line_of, make_catalog, make_journey, to_yaml
from yrkesresan_lti.catalog import dump_catalog, dump_catalog_yaml, load_catalog
from yrkesresan_lti.catalog.yaml_lines import load_with_lines
from yrkesresan_lti.exceptions import CatalogError

Writer = Callable[..., Path]


def _directory(write: Writer, journeys: list[Data]) -> Path:
    header = make_catalog()
    del header["journeys"]
    path = write(header, "katalog/catalog.yaml")
    for n, journey in enumerate(journeys):
        write(journey, f"katalog/journeys/{n:02d}-{journey['slug']}.yaml")
    return path.parent


def test_directory_reads_one_journey_per_file_in_name_order(write_catalog: Writer) -> None:
    directory = _directory(write_catalog, [make_journey("b-resa"), make_journey("a-resa")])

    catalog = load_catalog(directory)

    assert [j.slug for j in catalog.journeys] == ["b-resa", "a-resa"]


def test_directory_problem_names_the_journey_file_and_path_inside_it(
    write_catalog: Writer,
) -> None:
    broken = make_journey("b-resa")
    first_course({"journeys": [broken]})["preparation"]["tasks"][0]["goals"] = ["saknas"]
    directory = _directory(write_catalog, [make_journey("a-resa"), broken])
    line = line_of(to_yaml(broken), "- saknas")

    with pytest.raises(CatalogError) as err:
        load_catalog(directory)

    problem = err.value.problems[0]
    assert problem.file == str(directory / "journeys" / "01-b-resa.yaml")
    assert (problem.line, problem.path) == (
        line,
        "phases[0].courses[0].preparation.tasks[0].goals[0]",
    )


def test_directory_without_catalog_yaml_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"has no catalog\.yaml"):
        load_catalog(tmp_path)


def test_json_file_problems_carry_line_numbers(write_catalog: Writer, catalog_data: Data) -> None:
    first_course(catalog_data)["occasions"][0]["capacity"] = 0
    path = write_catalog(catalog_data, "catalog.json")
    line = line_of(path.read_text(encoding="utf-8"), '"capacity": 0')

    with pytest.raises(CatalogError) as err:
        load_catalog(path)

    assert err.value.problems[0].line == line


def test_json_file_may_name_its_schema(write_catalog: Writer, catalog_data: Data) -> None:
    catalog_data["$schema"] = "catalog.schema.json"

    assert load_catalog(write_catalog(catalog_data, "catalog.json")).version == "2027.1"


@pytest.mark.parametrize(
    ("text", "says"),
    [("", "mapping"), ("- en lista\n", "mapping"), ('{"a": 1,,}', "broken JSON")],
    ids=["empty", "list", "broken-json"],
)
def test_files_that_are_not_a_catalog_mapping(write_catalog: Writer, text: str, says: str) -> None:
    name = "catalog.json" if text.startswith("{") else "catalog.yaml"

    with pytest.raises(CatalogError, match=says):
        load_catalog(write_catalog(text, name))


def test_yaml_keeps_clock_times_and_yes_no_words_as_text() -> None:
    data, _ = load_with_lines("start: 13:00\nlang: no\nmode: 0755\nn: 12\nok: true\n")

    assert data == {"start": "13:00", "lang": "no", "mode": "0755", "n": 12, "ok": True}


def test_unquoted_afternoon_times_load_as_times(write_catalog: Writer, catalog_data: Data) -> None:
    text = to_yaml(catalog_data).replace("end: '16:00'", "end: 16:00")

    catalog = load_catalog(write_catalog(text))

    assert str(catalog.journeys[0].phases[0].courses[0].occasions[0].days[0].end) == "16:00:00"


def test_numeric_version_asks_for_quotes(write_catalog: Writer, catalog_data: Data) -> None:
    text = to_yaml(catalog_data).replace("version: '2027.1'", "version: 2027.1")

    with pytest.raises(CatalogError, match="in quotes"):
        load_catalog(write_catalog(text))


def test_dump_then_load_gives_the_same_catalog(write_catalog: Writer, catalog_data: Data) -> None:
    original = load_catalog(write_catalog(catalog_data))

    again = load_catalog(write_catalog(dump_catalog_yaml(original), "again.yaml"))

    assert dump_catalog(again) == dump_catalog(original)
    assert again.iris() == original.iris()


@pytest.mark.parametrize("text", ["-.5", "+.5", "1.0e5", "+1.5e3", "-.0", "13:00", "no"])
def test_dumped_text_that_looks_like_a_number_stays_text(
    write_catalog: Writer, catalog_data: Data, text: str
) -> None:
    course = first_course(catalog_data)
    course["description"] = {"sv": text, "en": text}
    original = load_catalog(write_catalog(catalog_data))

    again = load_catalog(write_catalog(dump_catalog_yaml(original), "again.yaml"))

    assert dump_catalog(again) == dump_catalog(original)
    assert first_course(dump_catalog(again))["description"] == {"sv": text, "en": text}


def test_dump_yaml_can_point_editors_at_the_schema(
    catalog_data: Data, write_catalog: Writer
) -> None:
    text = dump_catalog_yaml(
        load_catalog(write_catalog(catalog_data)), schema="catalog.schema.json"
    )

    assert text.startswith("# yaml-language-server: $schema=catalog.schema.json\n")
    assert yaml.safe_load(text)["version"] == "2027.1"


def test_alias_cycle_is_reported_not_followed(write_catalog: Writer) -> None:
    with pytest.raises(CatalogError, match="remove the cycle") as err:
        load_catalog(write_catalog("a: &x\n  - *x\n"))

    assert err.value.problems[0].line == 1


def test_alias_bomb_is_refused(write_catalog: Writer) -> None:
    levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 8):
        levels.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]")

    with pytest.raises(CatalogError, match="anchors and aliases"):
        load_catalog(write_catalog("\n".join(levels) + "\n"))


def test_anchors_for_repeated_texts_are_fine(write_catalog: Writer, catalog_data: Data) -> None:
    text = to_yaml(catalog_data).replace(
        "  target_groups:\n  - sv: Socialsekreterare\n",
        "  target_groups:\n  - &grupp\n    sv: Socialsekreterare\n  - *grupp\n",
    )

    catalog = load_catalog(write_catalog(text))

    assert catalog.journeys[0].target_groups == [{"sv": "Socialsekreterare"}] * 2
