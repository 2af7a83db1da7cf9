"""``catalog validate|show --json``: stable keys, the exit code of the human output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.catalog.factories import Data, first_course


def test_validate_as_json(
    write_catalog: Callable[..., Path], catalog_data: Data, run_cli: Any
) -> None:
    first_course(catalog_data)["goals"].append({"slug": "oanvant", "title": {"sv": "Oanvänt"}})
    path = write_catalog(catalog_data)

    result = run_cli("validate", path, "--json")
    strict = run_cli("validate", path, "--json", "--strict")

    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["counts"]["courses"] >= 1
    [warning] = report["problems"]
    assert warning["severity"] == "warning"
    assert warning["path"].endswith("goals[2]")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["valid"] is False


def test_an_invalid_catalog_as_json(tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("validate", tmp_path / "finns-inte.yaml", "--json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"][0]["reason"] == "no_such_path"


def test_show_as_json_lists_every_node_with_its_parent(
    write_catalog: Callable[..., Path], catalog_data: Data, run_cli: Any
) -> None:
    result = run_cli("show", write_catalog(catalog_data), "--json")

    assert result.exit_code == 0
    tree = json.loads(result.stdout)
    assert set(tree) == {"title", "version", "iri_base", "nodes"}
    iris = {node["iri"] for node in tree["nodes"]}
    journey = tree["nodes"][0]
    assert journey["kind"] == "journey"
    assert journey["parent"] is None
    assert all(n["parent"] in iris for n in tree["nodes"][1:])
    assert {"journey", "course", "goal", "task"} <= {n["kind"] for n in tree["nodes"]}
