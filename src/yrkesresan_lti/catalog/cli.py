"""``yrkesresan catalog``: validate, show, schema and diff catalogs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from yrkesresan_lti.catalog.diff import diff_catalogs
from yrkesresan_lti.catalog.loader import load_catalog
from yrkesresan_lti.catalog.render import count_lines, tree_lines
from yrkesresan_lti.catalog.root import Catalog
from yrkesresan_lti.catalog.schema import catalog_schema, journey_schema
from yrkesresan_lti.exceptions import CatalogError

PATH = click.Path(path_type=Path)


def register(group: click.Group) -> None:
    """Add the ``catalog`` command group to the ``yrkesresan`` console script."""
    group.add_command(catalog)


@click.group()
def catalog() -> None:
    """Katalogen: validera, visa, schema och jämför (catalog tools)."""


def _load_or_exit(path: Path) -> Catalog:
    try:
        return load_catalog(path)
    except CatalogError as err:
        problems = err.problems or []
        for problem in problems:
            click.echo(str(problem))
        if not problems:
            click.echo(f"{path}: error: {err}")
        raise SystemExit(1) from None


@catalog.command()
@click.argument("path", type=PATH)
@click.option("--strict", is_flag=True, help="Varningar ger också felkod 1 (warnings fail).")
def validate(path: Path, strict: bool) -> None:
    """Kontrollera en katalog (fil eller katalogmapp); felkod 1 vid fel."""
    loaded = _load_or_exit(path)
    for warning in loaded.warnings:
        click.echo(str(warning))
    failed = strict and bool(loaded.warnings)
    verdict = "har varningar (has warnings)" if failed else "är giltig (is valid)"
    click.echo(f"Katalogen {path} (version {loaded.version}) {verdict}:")
    for line in count_lines(loaded):
        click.echo(line)
    if failed:
        raise SystemExit(1)


@catalog.command()
@click.argument("path", type=PATH)
@click.option("--lang", default="sv", show_default=True, help="Språk för titlar (sv, en).")
@click.option("--no-iris", is_flag=True, help="Visa inte IRI:er (hide IRIs).")
def show(path: Path, lang: str, no_iris: bool) -> None:
    """Visa katalogen som ett träd med slugs, titlar och IRI:er."""
    for line in tree_lines(_load_or_exit(path), lang=lang, with_iris=not no_iris):
        click.echo(line)


@catalog.command()
@click.option("--journey", is_flag=True, help="Schema för en resefil (journeys/*.yaml).")
@click.option("--output", "-o", type=PATH, help="Skriv till fil i stället för stdout.")
def schema(journey: bool, output: Path | None) -> None:
    """Skriv ut JSON Schema för katalogformatet (för editorer)."""
    text = json.dumps(journey_schema() if journey else catalog_schema(), indent=2)
    text += "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@catalog.command()
@click.argument("old", type=PATH)
@click.argument("new", type=PATH)
def diff(old: Path, new: Path) -> None:
    """Jämför två kataloger; felkod 1 om IRI:er tagits bort eller ändrats."""
    result = diff_catalogs(_load_or_exit(old), _load_or_exit(new))
    for iri in result.removed:
        click.echo(f"- borttagen (removed): {iri}")
    for change in result.changed:
        click.echo(f"~ ändrad (changed): {change.iri}: {change.reason}")
    for iri in result.added:
        click.echo(f"+ ny (added): {iri}")
    for change in result.moved:
        click.echo(f"> flyttad (moved): {change.iri}: {change.reason}")
    if result.breaking:
        click.echo(
            f"BRYTANDE (breaking): {len(result.removed)} borttagna, {len(result.changed)} "
            "ändrade IRI:er; statements i LRS:en pekar på dem. Behåll slugs, eller "
            "publicera som ny version och meddela LRS-konsumenterna."
        )
        raise SystemExit(1)
    click.echo(f"Inga brytande ändringar (no breaking changes); {len(result.added)} nya IRI:er.")
