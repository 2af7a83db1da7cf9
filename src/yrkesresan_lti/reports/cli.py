"""``yrkesresan report``: the programme's figures from any xAPI 1.0.3 LRS.

Reads the statements (:mod:`.reader`), counts the figures (:mod:`.from_statements`) and
prints them as a text table, CSV or JSON (:mod:`.tabular`, :meth:`Figures.to_json`) or
writes a self-contained HTML report (:mod:`.html`). Nothing is written until every page
is read and counted; ``--output`` is replaced in one step (a temporary file renamed), so
a failed run leaves an earlier report as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click
from pydantic import SecretStr, ValidationError

from yrkesresan_lti.error_texts import error_text
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_, current_language, gettext, language
from yrkesresan_lti.reports.figures import Figures, Filters
from yrkesresan_lti.reports.filter_args import parse_county, parse_municipality, parse_year
from yrkesresan_lti.reports.html import html_report
from yrkesresan_lti.reports.lrs_report import DEFAULT_PAGE_SIZE, figures_from_lrs
from yrkesresan_lti.reports.reader import DEFAULT_MAX_PAGES, LrsReader
from yrkesresan_lti.reports.tabular import csv_text, text_table
from yrkesresan_lti.settings import LrsTarget
from yrkesresan_lti.xapi.transport import redact_url

PASSWORD_ENV = "YRKESRESAN_REPORT_PASSWORD"  # noqa: S105 - the variable's name
USER_ENV = "YRKESRESAN_REPORT_USER"


def register(group: click.Group) -> None:
    """Add ``report`` to the ``yrkesresan`` console script."""
    group.add_command(report)


def _iri(value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.ClickException(
            gettext(
                N_(
                    "%(value)s is not an IRI: an LRS knows journeys and courses by their IRI, "
                    "e.g. https://yrkesresan.se/id/journeys/barn-och-unga"
                ),
                value=value,
            )
        )
    return value


def _filters(
    year: str | None,
    region: str | None,
    municipality: str | None,
    journey: str | None,
    course: str | None,
) -> Filters:
    """The filters as codes and IRIs (region and municipality also by name, as for
    ``yrkesresan stats``); a bad one is a Swedish message and exit code 1."""
    try:
        return Filters(
            year=parse_year(year),
            county=parse_county(region),
            municipality=parse_municipality(municipality),
            journey=_iri(journey),
            course=_iri(course),
        )
    except YrkesresanError as err:
        raise click.ClickException(error_text(err)) from None


def _target(url: str, user: str | None, password_env: str) -> LrsTarget:
    password = os.environ.get(password_env)
    if user is not None and password is None:
        raise click.UsageError(
            gettext(
                N_("--user needs a password: put it in the environment variable %(name)s"),
                name=password_env,
            )
        )
    try:
        return LrsTarget(
            name="report",
            endpoint=url,
            username=user,
            password=SecretStr(password) if password is not None else None,
        )
    except ValidationError:
        raise click.BadParameter(
            gettext(N_("must be the http(s) address of the LRS's xAPI endpoint")),
            param_hint="--lrs",
        ) from None


def render(figures: Figures, output_format: str, *, lang: str, source: str) -> str:
    """The report as text in ``output_format`` (table, csv, json or html)."""
    if output_format == "json":
        return json.dumps(figures.to_json(), ensure_ascii=False, indent=2) + "\n"
    if output_format == "csv":
        return csv_text(figures)
    if output_format == "html":
        return html_report(figures, lang=lang, source=source, created=datetime.now(UTC))
    return text_table(figures)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` in one step: a temporary file next to it, renamed."""
    directory = path.parent
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command(
    help=N_(
        "The programme's figures from any xAPI 1.0.3 LRS: occasions, seats, registered, "
        "attended, participants, municipalities, users, completions, knowledge goals and "
        "course evaluations, per year, region, municipality, journey and course.\n\n"
        "Reads only statements (GET /statements, following 'more'); voided statements do "
        "not count. HTML is one self-contained file with charts and a map of Sweden."
    )
)
@click.option("--lrs", "url", required=True, help=N_("The LRS's xAPI endpoint (http(s) URL)."))
@click.option("--user", envvar=USER_ENV, help=N_("User for Basic auth (YRKESRESAN_REPORT_USER)."))
@click.option(
    "--password-env",
    default=PASSWORD_ENV,
    show_default=True,
    help=N_("Environment variable that holds the password (never on the command line)."),
)
@click.option("--year", help=N_("Only this year (Swedish time), e.g. 2026."))
@click.option("--region", help=N_("Only this county: its code (two digits, e.g. 14) or name."))
@click.option("--municipality", help=N_("Only this municipality: its code (e.g. 1480) or name."))
@click.option("--journey", help=N_("Only this journey (its IRI)."))
@click.option("--course", help=N_("Only this course (its IRI)."))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "html"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Write to this file (replaced only when the report is complete)."),
)
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    help=N_("Language of the report (default: the command line's, YRKESRESAN_LOCALE)."),
)
@click.option(
    "--page-size",
    type=click.IntRange(1, 10_000),
    default=DEFAULT_PAGE_SIZE,
    show_default=True,
    help=N_("Statements asked for per page (the LRS may send fewer)."),
)
@click.option(
    "--max-pages",
    type=click.IntRange(1),
    default=DEFAULT_MAX_PAGES,
    show_default=True,
    help=N_("Give up after this many pages (an LRS that pages forever)."),
)
def report(
    url: str,
    user: str | None,
    password_env: str,
    year: str | None,
    region: str | None,
    municipality: str | None,
    journey: str | None,
    course: str | None,
    output_format: str,
    output: Path | None,
    lang: str | None,
    page_size: int,
    max_pages: int,
) -> None:
    if output is not None and not output.parent.is_dir():
        raise click.ClickException(
            gettext(N_("the folder %(path)s does not exist"), path=str(output.parent))
        )
    filters = _filters(year, region, municipality, journey, course)
    target = _target(url, user, password_env)
    with language(lang):
        shown_lang = current_language()
        languages = (shown_lang, "en" if shown_lang == "sv" else "sv")
        try:
            with LrsReader(target, max_pages=max_pages) as reader:
                figures = figures_from_lrs(
                    reader, filters, page_size=page_size, languages=languages
                )
        except YrkesresanError as err:
            raise click.ClickException(error_text(err)) from None
        text = render(figures, output_format, lang=shown_lang, source=redact_url(url))
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
