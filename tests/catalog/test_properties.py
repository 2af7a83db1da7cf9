"""Property-based tests: round trips, IRI stability and robustness against broken input."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.factories import EXAMPLES, Data, make_catalog, to_yaml
from tests.catalog.strategies import catalogs
from yrkesresan_lti.catalog import (
    Catalog,
    Checklist,
    Course,
    CourseDay,
    CourseDays,
    CourseOccasion,
    Journey,
    KnowledgeGoal,
    Phase,
    Stage,
    Task,
    dump_catalog,
    dump_catalog_yaml,
    load_catalog,
)
from yrkesresan_lti.catalog.models import AnyNode
from yrkesresan_lti.exceptions import CatalogError

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def _file(text: str, name: str = "catalog.yaml") -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_text(text, encoding="utf-8")
        yield path


def _segment(node: AnyNode) -> str:
    """The documented IRI path segment(s) a node adds below its parent."""
    named = {
        Journey: "journeys/",
        Phase: "phases/",
        Stage: "stages/",
        KnowledgeGoal: "goals/",
        Task: "tasks/",
        CourseOccasion: "occasions/",
        CourseDay: "days/",
    }
    if isinstance(node, (Checklist, CourseDays)):
        return node.slug
    return named[type(node)] + node.slug


def _expected_iri(catalog: Catalog, lineage: tuple[AnyNode, ...]) -> str:
    journey, *rest = lineage
    path = [_segment(journey)]
    for node in rest:
        if isinstance(node, Course):
            path = [path[0], f"courses/{node.slug}"]  # courses hang under the journey
        else:
            path.append(_segment(node))
    return catalog.iri_base + "/".join(path)


@SETTINGS
@given(catalogs())
def test_load_dump_load_round_trips(data: Data) -> None:
    with _file(to_yaml(data)) as path:
        first = load_catalog(path)
    with _file(dump_catalog_yaml(first)) as path:
        second = load_catalog(path)

    assert dump_catalog(second) == dump_catalog(first)
    assert second.iris() == first.iris()


@SETTINGS
@given(catalogs())
def test_json_dump_round_trips_without_files(data: Data) -> None:
    first = Catalog.model_validate(data)

    assert dump_catalog(Catalog.model_validate(dump_catalog(first))) == dump_catalog(first)


@SETTINGS
@given(catalogs())
def test_every_iri_is_the_base_plus_the_slug_path(data: Data) -> None:
    catalog = Catalog.model_validate(data)

    for iri in catalog.iris():
        assert iri == _expected_iri(catalog, catalog.lineage(iri))


@SETTINGS
@given(catalogs(), st.sampled_from(["https://other.example/base/", "http://127.0.0.1/"]))
def test_iris_depend_only_on_base_and_slugs(data: Data, other_base: str) -> None:
    renamed = copy.deepcopy(data)
    renamed["iri_base"] = other_base
    for journey in renamed["journeys"]:
        journey["title"] = {"sv": "Annan titel"}
        journey["description"] = {"sv": "Annan beskrivning", "en": "Other"}
    first, again, moved = (Catalog.model_validate(d) for d in (data, data, renamed))

    assert again.iris() == first.iris()
    assert moved.iris() == [
        renamed["iri_base"] + iri.removeprefix(data["iri_base"]) for iri in first.iris()
    ]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_broken_text_gives_catalog_problems_never_other_errors(data: st.DataObject) -> None:
    lines = to_yaml(make_catalog()).splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        n = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["drop", "dedent", "garble", "swap"]))
        if how == "drop":
            del lines[n]
        elif how == "dedent":
            lines[n] = lines[n].lstrip()
        elif how == "garble":
            pos = data.draw(st.integers(0, len(lines[n])))
            char = data.draw(st.sampled_from(list(":-[]{}'\"&*!|>%@`#xå1 ")))
            lines[n] = lines[n][:pos] + char + lines[n][pos:]
        else:
            m = data.draw(st.integers(0, len(lines) - 1))
            lines[n], lines[m] = lines[m], lines[n]
    with _file("\n".join(lines) + "\n") as path:
        try:
            load_catalog(path)
        except CatalogError as err:
            problems = err.problems
        else:
            return
        assert problems
        for problem in problems:
            assert problem.file == str(path)
            assert str(problem).startswith(str(path))


def test_iris_are_the_same_in_fresh_processes() -> None:
    script = (
        "import sys\n"
        "from yrkesresan_lti.catalog import load_catalog\n"
        "print('\\n'.join(load_catalog(sys.argv[1]).iris()))\n"
    )
    in_process = load_catalog(EXAMPLES).iris()

    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, str(EXAMPLES)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        assert run.stdout.splitlines() == in_process
