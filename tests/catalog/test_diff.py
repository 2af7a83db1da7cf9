"""``catalog diff``: removed or changed IRIs break LRS consumers; added ones do not."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.catalog.factories import BASE, Data, first_course, make_course

Writer = Callable[..., Path]
K = f"{BASE}journeys/barn-och-unga/courses/kurs-1"


def _pair(write: Writer, old: Data, new: Data) -> tuple[Path, Path]:
    return write(old, "old.yaml"), write(new, "new.yaml")


def test_removed_task_is_breaking(catalog_data: Data, write_catalog: Writer, run_cli: Any) -> None:
    new = copy.deepcopy(catalog_data)
    first_course(new)["preparation"]["tasks"] = []

    result = run_cli("diff", *_pair(write_catalog, catalog_data, new))

    assert result.exit_code == 1
    assert f"- borttagen: {K}/preparation/tasks/forbered" in result.output
    assert "BRYTANDE:" in result.output


def test_renamed_course_slug_removes_every_iri_below_it(
    catalog_data: Data, write_catalog: Writer, run_cli: Any
) -> None:
    new = copy.deepcopy(catalog_data)
    first_course(new)["slug"] = "kurs-ett"

    result = run_cli("diff", *_pair(write_catalog, catalog_data, new))

    assert result.exit_code == 1
    assert f"- borttagen: {K}\n" in result.output
    assert f"- borttagen: {K}/goals/mal-1\n" in result.output
    assert f"+ ny: {BASE}journeys/barn-och-unga/courses/kurs-ett\n" in result.output


def test_changed_goal_links_are_breaking(
    catalog_data: Data, write_catalog: Writer, run_cli: Any
) -> None:
    new = copy.deepcopy(catalog_data)
    first_course(new)["follow_up"]["tasks"][0]["goals"] = ["mal-2"]

    result = run_cli("diff", *_pair(write_catalog, catalog_data, new))

    assert result.exit_code == 1
    assert f"~ ändrad: {K}/follow-up/tasks/efterarbete: kopplingarna till mål ändrade" in (
        result.output
    )
    assert "] till [mal-2]" in result.output
    assert "goal links" not in result.output


def test_added_course_and_moved_course_are_informational(
    catalog_data: Data, write_catalog: Writer, run_cli: Any
) -> None:
    new = copy.deepcopy(catalog_data)
    phases = new["journeys"][0]["phases"]
    phases[1]["courses"] = [phases[0]["courses"].pop(0), make_course("kurs-3")]
    new["title"] = {"sv": "Ny titel"}

    result = run_cli("diff", *_pair(write_catalog, catalog_data, new))

    assert result.exit_code == 0
    assert "borttagen" not in result.output
    assert f"+ ny: {BASE}journeys/barn-och-unga/courses/kurs-3\n" in result.output
    assert f"> flyttad: {K}: flyttad från {BASE}journeys/barn-och-unga/phases/" in result.output


def test_diff_of_an_invalid_catalog_reports_problems(
    catalog_data: Data, write_catalog: Writer, run_cli: Any
) -> None:
    new = copy.deepcopy(catalog_data)
    first_course(new)["capcity"] = 1

    result = run_cli("diff", *_pair(write_catalog, catalog_data, new))

    assert result.exit_code == 1
    assert "new.yaml:" in result.output
    assert "okänd nyckel 'capcity'" in result.output


def test_diff_as_json_names_each_change_by_code(
    catalog_data: Data, write_catalog: Writer, run_cli: Any
) -> None:
    new = copy.deepcopy(catalog_data)
    first_course(new)["follow_up"]["tasks"][0]["goals"] = ["mal-2"]

    result = run_cli("diff", *_pair(write_catalog, catalog_data, new), "--json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["breaking"] is True
    assert report["removed"] == []
    [change] = report["changed"]
    assert change["iri"] == f"{K}/follow-up/tasks/efterarbete"
    assert change["code"] == "goals"
    assert change["after"] == "mal-2"
