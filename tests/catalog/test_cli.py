"""``yrkesresan catalog validate|show|schema`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.catalog.factories import EXAMPLES
from yrkesresan_lti.catalog import Catalog, load_catalog
from yrkesresan_lti.catalog.schema import catalog_schema, journey_schema
from yrkesresan_lti.cli import build_cli


def test_validate_examples_prints_counts(run_cli: Any) -> None:
    counts = load_catalog(EXAMPLES).counts()

    result = run_cli("validate", EXAMPLES)

    assert result.exit_code == 0, result.output
    assert "är giltig" in result.output
    assert f"kurser: {counts['courses']}" in result.output
    assert f"uppgifter: {counts['tasks']}" in result.output
    assert "varningar: 0" in result.output


def test_show_prints_tree_with_swedish_titles_slugs_and_iris(run_cli: Any) -> None:
    catalog = load_catalog(EXAMPLES)
    course = next(c for _, _, c in catalog.courses() if c.slug == "handlaggning-med-barn-i-centrum")

    result = run_cli("show", EXAMPLES)

    assert result.exit_code == 0
    assert "kurs handlaggning-med-barn-i-centrum: Handläggning med barn i centrum" in result.output
    assert "resväska ny: Ny (0–2 år)" in result.output
    assert "resväska erfaren: Erfaren (5– år)" in result.output
    assert course.iri in result.output
    assert all(iri in result.output for iri in catalog.iris())


def test_show_in_english_without_iris(run_cli: Any) -> None:
    result = run_cli("show", "--lang", "en", "--no-iris", EXAMPLES)

    assert "Case management with the child at the centre" in result.output
    assert "resväska van: Experienced (2–5 years)" in result.output
    assert "https://" not in result.output.split("\n", 2)[2]


def test_schema_prints_the_catalog_and_journey_schemas(run_cli: Any, tmp_path: Path) -> None:
    printed = run_cli("schema")
    written = run_cli("schema", "--journey", "-o", tmp_path / "journey.schema.json")

    assert json.loads(printed.output) == catalog_schema()
    assert written.exit_code == 0
    assert json.loads((tmp_path / "journey.schema.json").read_text()) == journey_schema()


def test_catalog_group_is_part_of_the_console_script() -> None:
    result = CliRunner().invoke(build_cli(), ["catalog", "validate", str(EXAMPLES)])

    assert result.exit_code == 0, result.output


def test_examples_single_file_variant_loads() -> None:
    tiny = load_catalog(EXAMPLES / "tiny.yaml")

    assert isinstance(tiny, Catalog)
    assert tiny.counts()["courses"] == 1
