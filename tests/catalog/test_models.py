"""The catalog object model: IRIs, look-ups, lineage and derived values."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.catalog.factories import BASE, Data, first_course, make_catalog, make_journey
from yrkesresan_lti.catalog import (
    Catalog,
    Checklist,
    Course,
    CourseDay,
    CourseOccasion,
    Journey,
    KnowledgeGoal,
    Phase,
    Task,
)
from yrkesresan_lti.exceptions import CatalogError, DetachedCatalogNode, UnknownCatalogNode

J = f"{BASE}journeys/barn-och-unga"
K = f"{J}/courses/kurs-1"


@pytest.fixture
def catalog(catalog_data: Data) -> Catalog:
    return Catalog.model_validate(catalog_data)


def test_iris_follow_the_documented_scheme(catalog: Catalog) -> None:
    expected = {
        J: Journey,
        f"{J}/phases/ny": Phase,
        K: Course,
        f"{K}/goals/mal-1": KnowledgeGoal,
        f"{K}/preparation": Checklist,
        f"{K}/preparation/tasks/forbered": Task,
        f"{K}/follow-up/tasks/efterarbete": Task,
        f"{K}/occasions/vt-2027": CourseOccasion,
        f"{K}/occasions/vt-2027/days/2": CourseDay,
    }
    for iri, kind in expected.items():
        node = catalog.node(iri)
        assert isinstance(node, kind)
        assert node.iri == iri


def test_course_iri_does_not_depend_on_its_phase(catalog_data: Data) -> None:
    phases = catalog_data["journeys"][0]["phases"]
    before = Catalog.model_validate(catalog_data)
    phases[1]["courses"] = [phases[0]["courses"].pop(0)]
    after = Catalog.model_validate(catalog_data)

    assert set(before.iris()) == set(after.iris())
    assert after.lineage(K)[1].slug == "van"


def test_lineage_runs_from_journey_to_node(catalog: Catalog) -> None:
    lineage = catalog.lineage(f"{K}/preparation/tasks/forbered")

    assert [node.slug for node in lineage] == [
        "barn-och-unga",
        "ny",
        "kurs-1",
        "preparation",
        "forbered",
    ]


def test_unknown_iri_raises_unknown_catalog_node(catalog: Catalog) -> None:
    with pytest.raises(UnknownCatalogNode, match="catalog show"):
        catalog.node(f"{J}/courses/finns-inte")


def test_walk_yields_every_node_once_parents_first(catalog: Catalog) -> None:
    nodes = list(catalog.walk())
    iris = [node.iri for node in nodes]

    assert iris == catalog.iris()
    assert len(set(iris)) == len(iris)
    assert isinstance(nodes[0], Journey)


def test_courses_yield_journey_step_and_course(catalog: Catalog) -> None:
    triples = [(j.slug, s.slug, c.slug) for j, s, c in catalog.courses()]

    assert triples == [("barn-och-unga", "ny", "kurs-1"), ("barn-och-unga", "ny", "kurs-2")]


def test_task_exposes_duration_and_goal_iris(catalog: Catalog) -> None:
    task = catalog.node(f"{K}/follow-up/tasks/efterarbete")

    assert isinstance(task, Task)
    assert task.duration == timedelta(minutes=30)
    assert task.goal_iris == [f"{K}/goals/mal-1", f"{K}/goals/mal-2"]


def test_course_tasks_lists_preparation_before_follow_up(catalog: Catalog) -> None:
    course = catalog.node(K)

    assert isinstance(course, Course)
    assert [t.slug for t in course.tasks] == ["forbered", "efterarbete"]
    assert [p.title["sv"] for p in course.parts] == ["Förberedelser", "Kursdagar", "Efterarbete"]


def test_occasion_title_defaults_from_slug(catalog: Catalog) -> None:
    occasion = catalog.node(f"{K}/occasions/vt-2027")

    assert occasion.title == {"sv": "Kurstillfälle vt-2027", "en": "Occasion vt-2027"}


def test_iri_of_a_detached_node_is_a_clear_error(catalog_data: Data) -> None:
    course = Course.model_validate(first_course(catalog_data))

    with pytest.raises(DetachedCatalogNode, match=r"catalog\.walk\(\)"):
        _ = course.iri


def test_nodes_passed_to_two_catalogs_keep_their_own_iris() -> None:
    journey = Journey.model_validate(make_journey())
    one = Catalog(iri_base="https://a.example/", version="1", title={"sv": "A"}, journeys=[journey])
    two = Catalog(iri_base="https://b.example/", version="1", title={"sv": "B"}, journeys=[journey])

    assert one.journeys[0].iri == "https://a.example/journeys/barn-och-unga"
    assert two.journeys[0].iri == "https://b.example/journeys/barn-och-unga"


def test_building_an_invalid_catalog_in_code_raises_catalog_error(catalog_data: Data) -> None:
    first_course(catalog_data)["follow_up"]["tasks"][0]["goals"] = ["saknas"]

    with pytest.raises(CatalogError) as err:
        Catalog.model_validate(catalog_data)

    assert err.value.problems[0].path.endswith("follow_up.tasks[0].goals[0]")


def test_iri_base_must_end_with_a_slash() -> None:
    with pytest.raises(ValueError, match="must end with '/'"):
        Catalog.model_validate(make_catalog(iri_base="https://yrkesresan.example/id"))


def test_counts_every_kind_of_node(catalog: Catalog) -> None:
    assert catalog.counts() == {
        "journeys": 1,
        "phases": 2,
        "stages": 0,
        "courses": 2,
        "goals": 4,
        "tasks": 4,
        "occasions": 2,
    }
