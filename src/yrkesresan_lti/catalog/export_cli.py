"""``yrkesresan catalog export``: knowledge goals as Moodle competencies, Canvas outcomes or
CASE 1.0 (the formats: :mod:`yrkesresan_lti.catalog.exports`)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import click

from yrkesresan_lti.catalog.exports import (
    EXPORT_FORMATS,
    canvas_outcomes,
    case_package_json,
    moodle_competencies,
    pick_journeys,
)
from yrkesresan_lti.catalog.loader import load_catalog
from yrkesresan_lti.catalog.models import Journey
from yrkesresan_lti.catalog.root import Catalog
from yrkesresan_lti.exceptions import CatalogError
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.untrusted import ascii_digits

SUFFIX = {"moodle-competencies": ".csv", "canvas-outcomes": ".csv", "case": ".json"}


def _changed_at(value: str | None) -> datetime:
    """``--changed-at``, else ``SOURCE_DATE_EPOCH``, else today 00:00 UTC (stable all day)."""
    if value:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if ascii_digits(epoch):
        return datetime.fromtimestamp(int(epoch), UTC)
    now = datetime.now(UTC)
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


def _render(
    fmt: str, catalog: Catalog, journeys: list[Journey], lang: str, changed: datetime
) -> bytes:
    if fmt == "canvas-outcomes":
        return canvas_outcomes(journeys, lang=lang)
    (journey,) = journeys
    if fmt == "moodle-competencies":
        return moodle_competencies(journey, lang=lang)
    return case_package_json(catalog, journey, changed_at=changed, lang=lang)


def _write(output: Path | None, data: bytes) -> None:
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream unchanged
    else:
        output.write_bytes(data)


@click.command(
    help=N_(
        "Export the knowledge goals for an LMS: moodle-competencies (one competency framework "
        "CSV per journey), canvas-outcomes (outcomes CSV) or case (1EdTech CASE 1.0 JSON, one "
        "package per journey). Example: yrkesresan catalog export examples/catalog --format "
        "moodle-competencies --journey barn-och-unga -o barn-och-unga.csv"
    )
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help=N_("The format.")
)
@click.option("--journey", help=N_("Only this journey (its slug)."))
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default="sv",
    show_default=True,
    help=N_("Language of the texts (Swedish where there is no English)."),
)
@click.option(
    "--changed-at",
    help=N_("CASE lastChangeDateTime (ISO 8601); default SOURCE_DATE_EPOCH, else today."),
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help=N_("A file, or a directory for one file per journey; default stdout."),
)
def export(
    path: Path,
    fmt: str,
    journey: str | None,
    lang: str,
    changed_at: str | None,
    output: Path | None,
) -> None:
    try:
        catalog = load_catalog(path)
    except CatalogError as err:  # as `catalog validate` reports it
        for problem in err.problems or []:
            click.echo(str(problem))
        if not err.problems:
            click.echo(gettext(N_("%(path)s: error: %(error)s"), path=path, error=err))
        raise SystemExit(1) from None
    try:
        journeys = pick_journeys(catalog, journey)
        changed = _changed_at(changed_at)
    except (CatalogError, ValueError) as err:
        raise click.UsageError(str(err)) from None
    if fmt == "canvas-outcomes" or len(journeys) == 1:
        if output is not None and output.is_dir():
            output = output / f"{journeys[0].slug if journey else 'catalog'}-{fmt}{SUFFIX[fmt]}"
        _write(output, _render(fmt, catalog, journeys, lang, changed))
        return
    if output is None or not output.is_dir():
        raise click.UsageError(
            gettext(
                N_(
                    "%(format)s holds one journey per file: choose one with --journey "
                    "(%(journeys)s) or give -o an existing directory for one file each."
                ),
                format=fmt,
                journeys=", ".join(j.slug for j in journeys),
            )
        )
    for one in journeys:
        target = output / f"{one.slug}-{fmt}{SUFFIX[fmt]}"
        _write(target, _render(fmt, catalog, [one], lang, changed))
        click.echo(gettext(N_("Wrote %(path)s"), path=target), err=True)
