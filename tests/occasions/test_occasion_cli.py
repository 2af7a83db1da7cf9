"""``yrkesresan occasion``: the catalog's occasions are there once, a coordinator imports
next term's occasions from an Excel CSV, a bad file imports nothing and exits 1, and
list/show print stable JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from yrkesresan_adapter.cli import register
from yrkesresan_lti.settings import Settings

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
HEADER = "kurs;tillfälle;region;dagar;plats;utbildare;platser;sista_anmälningsdag"
ROW = f"{COURSE};ht-2027;GR;2027-09-14 09:00-16:00;Göteborg;anna;2;2027-09-01"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(instance_path=tmp_path / "instance", _env_file=None)


def invoke(settings: Settings, *args: str) -> Result:
    @click.group()
    def cli() -> None:
        pass

    register(cli)
    return CliRunner().invoke(cli, ["occasion", *args], obj=settings)


def occasions(settings: Settings) -> list[dict[str, object]]:
    result = invoke(settings, "list", "--json")
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.stdout)["occasions"]
    return found


def test_import_from_excel_csv_and_refuse_a_bad_file(settings: Settings, tmp_path: Path) -> None:
    seeded = occasions(settings)
    assert len(seeded) == 13  # the example catalog's occasions, imported once
    assert len(occasions(settings)) == 13
    result = invoke(settings, "trainer", "anna", "--region", "GR", "--name", "Anna Berg")
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(f"{HEADER}\r\n{ROW.replace(';2;', ';två;')}\r\n".encode("utf-8-sig"))
    result = invoke(settings, "import", str(bad))
    assert result.exit_code == 1
    assert "2" in result.output
    assert "platser" in result.output
    assert len(occasions(settings)) == 13  # nothing imported
    good = tmp_path / "good.csv"
    good.write_bytes(f"{HEADER}\r\n{ROW}\r\n".encode("utf-8-sig"))
    result = invoke(settings, "import", str(good))
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke(settings, "show", f"{COURSE}/occasions/ht-2027", "--json").stdout)
    assert (shown["capacity"], shown["trainers"], shown["registered"]) == (2, ["anna"], 0)
    assert [entry["action"] for entry in shown["audit"]] == ["imported"]


def test_cancel_and_unknown_occasion(settings: Settings) -> None:
    iri = str(occasions(settings)[0]["iri"])
    result = invoke(settings, "cancel", iri)
    assert result.exit_code == 0, result.output
    assert json.loads(invoke(settings, "show", iri, "--json").stdout)["status"] == "cancelled"
    assert invoke(settings, "show", f"{iri}-nope").exit_code == 1
