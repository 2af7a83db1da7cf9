"""What a catalog may say about an occasion fits the tool's columns: the catalog's edge
refuses a longer place, title or trainer name, and an occasion at every limit is imported
from the catalog on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.catalog.factories import first_course, make_catalog, to_yaml
from yrkesresan_adapter.cli import register
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.exceptions import CatalogError
from yrkesresan_lti.settings import Settings


def catalog_with(tmp_path: Path, *, place: str, title: str, trainer: str, region: str) -> Path:
    data = make_catalog()
    data["journeys"][0]["responsible_organisation"] = region
    occasion = first_course(data)["occasions"][0]
    occasion.update(place=place, title={"sv": title}, trainers=[trainer])
    path = tmp_path / "catalog.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("place", {"place": "p" * 256}),
        ("title", {"title": "t" * 256}),
        ("trainers", {"trainer": "u" * 101}),
        ("responsible_organisation", {"region": "r" * 256}),
    ],
)
def test_a_catalog_with_a_longer_name_is_refused_where_it_says_it(
    tmp_path: Path, field: str, values: dict[str, str]
) -> None:
    limits = {"place": "Göteborg", "title": "Hösten", "trainer": "Anna", "region": "GR"}
    path = catalog_with(tmp_path, **{**limits, **values})
    with pytest.raises(CatalogError) as refused:
        load_catalog(path)
    assert any(field in problem.path for problem in refused.value.problems)


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_an_occasion_at_every_limit_is_imported(database_url: str, tmp_path: Path) -> None:
    path = catalog_with(
        tmp_path, place="p" * 255, title="t" * 255, trainer="u" * 100, region="r" * 255
    )
    settings = Settings(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        catalog_path=path,
        _env_file=None,
    )

    @click.group()
    def cli() -> None:
        pass

    register(cli)
    result = CliRunner().invoke(cli, ["occasion", "list", "--json"], obj=settings)
    assert result.exit_code == 0, result.output
    places = [o["place"] for o in json.loads(result.stdout)["occasions"]]
    assert "p" * 255 in places
