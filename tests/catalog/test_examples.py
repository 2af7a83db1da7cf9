"""The example catalog in examples/catalog: valid, complete and honest about its links."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from tests.catalog.factories import EXAMPLES
from yrkesresan_lti.catalog import Catalog, Phase, Stage, Task, default_catalog_path, load_catalog
from yrkesresan_lti.catalog.schema import catalog_schema, journey_schema
from yrkesresan_lti.exceptions import CatalogError

TRUSTED_PREFIXES = (
    "https://kunskapsguiden.se/",
    "https://www.socialstyrelsen.se/",
    "https://www.riksdagen.se/sv/dokument-och-lagar/",
)
PLACEHOLDER_PREFIX = "https://example.org/yrkesresan/platshallare/"


@pytest.fixture(scope="module")
def examples() -> Catalog:
    return load_catalog(EXAMPLES)


def test_examples_load_without_warnings(examples: Catalog) -> None:
    assert examples.warnings == []
    assert [j.slug for j in examples.journeys] == ["barn-och-unga", "funktionshinder-utforare"]


def test_every_task_links_only_to_goals_of_its_own_course(examples: Catalog) -> None:
    for _, _, course in examples.courses():
        own_goals = {goal.iri for goal in course.goals}
        for task in course.tasks:
            assert task.goal_iris
            assert set(task.goal_iris) <= own_goals


def test_barn_och_unga_has_three_phases_and_realistic_courses(examples: Catalog) -> None:
    journey = examples.journeys[0]
    titles = [c.title["sv"] for p in journey.phases for c in p.courses]

    assert journey.responsible_organisation == "Göteborgsregionen (GR)"
    assert [(p.slug, p.years_min, p.years_max) for p in journey.phases] == [
        ("ny", 0, 2),
        ("van", 2, 5),
        ("erfaren", 5, None),
    ]
    assert len(titles) >= 6
    assert "Handläggning med barn i centrum" in titles
    for phase in journey.phases:
        for course in phase.courses:
            assert 3 <= len(course.goals) <= 6
            assert len({task.kind for task in course.tasks}) >= 2


def test_funktionshinder_uses_the_three_stages(examples: Catalog) -> None:
    journey = examples.journeys[1]

    assert journey.responsible_organisation == "Kommunförbundet Västernorrland"
    assert [s.slug for s in journey.stages] == ["bas", "fordjupning", "spets"]
    assert 2 <= sum(len(s.courses) for s in journey.stages) <= 3


def test_every_course_has_an_occasion_in_2027(examples: Catalog) -> None:
    for _, step, course in examples.courses():
        assert isinstance(step, (Phase, Stage))
        assert course.occasions, course.slug
        for occasion in course.occasions:
            assert all(day.date.year == 2027 for day in occasion.days)
            assert occasion.trainers
            assert occasion.registration_deadline < occasion.days[0].date


def test_journeys_phases_and_courses_have_english_titles(examples: Catalog) -> None:
    for journey in examples.journeys:
        assert "en" in journey.title
        for step in journey.steps:
            assert "en" in step.title
            assert all("en" in course.title for course in step.courses)


def test_links_are_trusted_sources_or_marked_placeholders(examples: Catalog) -> None:
    tasks = [node for node in examples.walk() if isinstance(node, Task)]
    for task in tasks:
        if task.url.startswith(PLACEHOLDER_PREFIX):
            assert "(platshållare)" in task.title["sv"], task.slug
        else:
            assert task.url.startswith(TRUSTED_PREFIXES), task.url


def test_committed_schemas_match_the_models_and_accept_the_examples() -> None:
    committed = json.loads((EXAMPLES / "catalog.schema.json").read_text(encoding="utf-8"))
    committed_journey = json.loads((EXAMPLES / "journey.schema.json").read_text(encoding="utf-8"))

    assert committed == catalog_schema()
    assert committed_journey == journey_schema()
    for name, schema in [("catalog.yaml", committed), ("tiny.yaml", committed)] + [
        (f"journeys/{p.name}", committed_journey) for p in (EXAMPLES / "journeys").glob("*.yaml")
    ]:
        data = json.loads(json.dumps(yaml.safe_load((EXAMPLES / name).read_text()), default=_iso))
        jsonschema.Draft202012Validator(schema).validate(data)


def _iso(value: object) -> str:
    assert isinstance(value, date)
    return value.isoformat()


def test_example_files_point_editors_at_the_schema() -> None:
    for path in [EXAMPLES / "catalog.yaml", *(EXAMPLES / "journeys").glob("*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        assert (path.parent / first.split("=", 1)[1]).is_file()


def test_default_catalog_path_is_the_example_directory() -> None:
    assert default_catalog_path().resolve() == EXAMPLES.resolve()


def test_the_example_catalog_is_package_data_and_examples_links_to_it() -> None:
    # One source of truth: the package's copy, which a wheel ships; examples/catalog links to it.
    packaged = Path(__file__).resolve().parents[2] / "src/yrkesresan_lti/catalog/example"
    assert default_catalog_path().resolve() == packaged
    assert EXAMPLES.is_symlink()
    assert EXAMPLES.resolve() == packaged


def test_default_catalog_path_tells_deployments_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="YRKESRESAN_CATALOG_PATH"):
        default_catalog_path(package_dir=tmp_path)
