"""``yrkesresan stats``: the programme's figures from the tool's database (issue 14).

A readable table by default (the CLI's language), ``--format csv`` or ``--format json``
(:meth:`~yrkesresan_lti.reports.figures.Figures.to_json`); filters ``--year``,
``--region`` (county code or name), ``--municipality`` (kommunkod or name), ``--journey``
and ``--course`` (IRI or slug). A filter that names nothing prints a Swedish message and
exits 1 (docs/operations.md, "Statistik").
"""

from __future__ import annotations

import click

from yrkesresan_adapter.cli.db import current_settings, open_database
from yrkesresan_adapter.cli.errors import reported
from yrkesresan_adapter.stats.labels import with_labels
from yrkesresan_adapter.stats.query import FigureQueries
from yrkesresan_adapter.web.texts import cli_locale
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.catalog.default import default_catalog_path
from yrkesresan_lti.cli_output import echo_json
from yrkesresan_lti.i18n import N_
from yrkesresan_lti.reports.filter_args import parse_filters
from yrkesresan_lti.reports.tabular import csv_text, text_table


@click.command(
    "stats",
    help=N_(
        "Programmets siffror ur verktygets databas: kurstillfällen, platser, anmälda, "
        "deltagare, kommuner, användare, slutförda kurser, kunskapsmål och kursutvärderingar, "
        "totalt och per år, län, kommun, yrkesresa och kurs."
    ),
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help=N_("Tabell att läsa, CSV eller JSON (nycklar: docs/operations.md)."),
)
@click.option("--year", default=None, help=N_("Bara detta år (svensk tid), t.ex. 2026."))
@click.option("--region", default=None, help=N_("Bara detta län: länskod eller namn."))
@click.option("--municipality", default=None, help=N_("Bara denna kommun: kommunkod eller namn."))
@click.option("--journey", default=None, help=N_("Bara denna yrkesresa: IRI eller slug."))
@click.option("--course", default=None, help=N_("Bara denna kurs: IRI eller slug."))
def stats(
    output: str,
    year: str | None,
    region: str | None,
    municipality: str | None,
    journey: str | None,
    course: str | None,
) -> None:
    settings = current_settings()
    with reported():
        catalog = load_catalog(settings.catalog_path or default_catalog_path())
        filters = parse_filters(
            catalog,
            year=year,
            region=region,
            municipality=municipality,
            journey=journey,
            course=course,
        )
    with open_database() as db, db.connection() as conn:
        figures = FigureQueries().figures(conn, filters)
    figures = with_labels(figures, catalog, cli_locale())
    if output == "json":
        echo_json(figures.to_json())
    elif output == "csv":
        click.echo(csv_text(figures), nl=False)
    else:
        click.echo(text_table(figures), nl=False)
