"""``yrkesresan stats``: a readable table (Swedish by default, English by locale), CSV and
JSON of the same figures, filters by name or code; a filter naming nothing is a Swedish
message and exit code 1."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.stats.history import day, question, statement
from tests.storage.test_cli import invoke, ok
from tests.storage.test_cli import settings as settings
from yrkesresan_adapter import migrations
from yrkesresan_adapter.stats.ledger import Ledger
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.catalog.default import default_catalog_path
from yrkesresan_lti.settings import Settings

CATALOG = load_catalog(default_catalog_path())
JOURNEY, _STEP, COURSE = next(CATALOG.courses())
OCCASION = f"{COURSE.iri}/occasions/goteborg-ht"


@pytest.fixture
def history(settings: Settings) -> Settings:
    """Six people of Göteborg attended and answered; one of Stockholm only launched."""
    db = Database(settings.sqlalchemy_url)
    migrations.upgrade(db)
    made = []
    for n, rating in enumerate((5, 5, 4, 4, 3, 1)):
        made.append(statement("attended", f"p{n}", day(OCCASION, 1)))
        made.append(statement("answered", f"p{n}", question(COURSE.iri), rating=rating))
    made.append(statement("launched", "s1", COURSE.iri, municipality="0180", county="01"))
    with db.connection() as conn:
        Ledger().record(conn, made)
    db.dispose()
    return settings


def test_the_table_is_swedish_and_names_what_it_counts(history: Settings) -> None:
    text = ok(invoke(history, "stats"))
    total = next(line for line in text.splitlines() if line.startswith("Totalt"))
    assert total.split()[1:] == ["1", "24", "0", "6", "6", "1", "7", "0", "0", "6", "67", "%"]
    assert "Per kommun" in text
    assert "Göteborg" in text
    assert "Stockholm" in text
    assert CATALOG.node(COURSE.iri).title["sv"] in text


def test_english_by_locale(history: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YRKESRESAN_LOCALE", "en")
    from yrkesresan_adapter.web.texts import cli_gettext
    from yrkesresan_lti.i18n import install, uninstall

    install(cli_gettext("en"))
    try:
        text = ok(invoke(history, "stats"))
    finally:
        uninstall()
    assert "Participants" in text
    assert "Per municipality" in text
    assert not {"Deltagare", "Totalt"} & set(text.split())


def test_csv_and_json_carry_the_same_figures(history: Settings) -> None:
    data = json.loads(ok(invoke(history, "stats", "--format", "json")))
    rows = list(csv.DictReader(io.StringIO(ok(invoke(history, "stats", "--format", "csv")))))
    assert data["total"]["participants"] == 6
    assert data["total"]["users"] == 7
    assert data["total"]["evaluation"]["distribution"] == {"1": 1, "2": 0, "3": 1, "4": 2, "5": 2}
    assert rows[0]["dimension"] == "total"
    assert rows[0]["participants"] == "6"
    by_municipality = {r["key"]: r for r in rows if r["dimension"] == "municipality"}
    assert by_municipality["1480"]["label"] == "Göteborg"
    assert by_municipality["0180"]["users"] == "1"
    assert data["labels"]["1480"] == "Göteborg"


@pytest.mark.parametrize(
    ("arguments", "participants"),
    [
        (("--municipality", "Göteborg"), 6),
        (("--municipality", "0180"), 0),
        (("--region", "Västra Götalands län"), 6),
        (("--region", "01"), 0),
        (("--course", COURSE.slug), 6),
        (("--journey", JOURNEY.iri), 6),
        (("--year", "2001"), 0),
    ],
)
def test_filters_by_name_or_code(
    history: Settings, arguments: tuple[str, ...], participants: int
) -> None:
    data = json.loads(ok(invoke(history, "stats", "--format", "json", *arguments)))
    assert data["total"]["participants"] == participants


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--year", "tjugo"), "tjugo är inget år"),
        (("--region", "Atlantis"), "Atlantis är inte ett svenskt län"),
        (("--municipality", "9999"), "9999"),
        (("--municipality", "Gotham"), "Gotham"),
        (("--course", "ingen-kurs"), "ingen-kurs är ingen kurs i katalogen"),
        (("--journey", "ingen-resa"), "ingen-resa är ingen yrkesresa i katalogen"),
    ],
)
def test_a_filter_naming_nothing_exits_1_with_a_swedish_message(
    settings: Settings, arguments: tuple[str, ...], message: str
) -> None:
    result = invoke(settings, "stats", *arguments)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
