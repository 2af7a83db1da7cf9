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
from yrkesresan_lti.i18n import N_, gettext

PATH = click.Path(path_type=Path)


def register(group: click.Group) -> None:
    """Add the ``catalog`` command group to the ``yrkesresan`` console script."""
    from yrkesresan_lti.catalog.export_cli import export

    group.add_command(catalog)
    catalog.add_command(export)


@click.group(help=N_("The catalog: validate, show, schema, diff and export."))
def catalog() -> None:
    pass


def _load_or_exit(path: Path) -> Catalog:
    try:
        return load_catalog(path)
    except CatalogError as err:
        problems = err.problems or []
        for problem in problems:
            click.echo(str(problem))
        if not problems:
            click.echo(gettext(N_("%(path)s: error: %(error)s"), path=path, error=err))
        raise SystemExit(1) from None


@catalog.command(help=N_("Check a catalog (a file or a catalog folder); exit code 1 on errors."))
@click.argument("path", type=PATH)
@click.option("--strict", is_flag=True, help=N_("Warnings fail too (exit code 1)."))
def validate(path: Path, strict: bool) -> None:
    loaded = _load_or_exit(path)
    for warning in loaded.warnings:
        click.echo(str(warning))
    failed = strict and bool(loaded.warnings)
    verdict = (
        N_("The catalog %(path)s (version %(version)s) has warnings:")
        if failed
        else N_("The catalog %(path)s (version %(version)s) is valid:")
    )
    click.echo(gettext(verdict, path=path, version=loaded.version))
    for line in count_lines(loaded):
        click.echo(line)
    if failed:
        raise SystemExit(1)


@catalog.command(help=N_("Show the catalog as a tree of slugs, titles and IRIs."))
@click.argument("path", type=PATH)
@click.option(
    "--lang", default="sv", show_default=True, help=N_("Language of the titles (sv, en).")
)
@click.option("--no-iris", is_flag=True, help=N_("Hide the IRIs."))
def show(path: Path, lang: str, no_iris: bool) -> None:
    for line in tree_lines(_load_or_exit(path), lang=lang, with_iris=not no_iris):
        click.echo(line)


@catalog.command(help=N_("Print the JSON Schema of the catalog format (for editors)."))
@click.option("--journey", is_flag=True, help=N_("The schema of a journey file (journeys/*.yaml)."))
@click.option("--output", "-o", type=PATH, help=N_("Write to a file instead of stdout."))
def schema(journey: bool, output: Path | None) -> None:
    text = json.dumps(journey_schema() if journey else catalog_schema(), indent=2)
    text += "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@catalog.command(help=N_("Compare two catalogs; exit code 1 when IRIs were removed or changed."))
@click.argument("old", type=PATH)
@click.argument("new", type=PATH)
def diff(old: Path, new: Path) -> None:
    result = diff_catalogs(_load_or_exit(old), _load_or_exit(new))
    for iri in result.removed:
        click.echo(gettext(N_("- removed: %(iri)s"), iri=iri))
    for change in result.changed:
        click.echo(
            gettext(N_("~ changed: %(iri)s: %(reason)s"), iri=change.iri, reason=change.reason)
        )
    for iri in result.added:
        click.echo(gettext(N_("+ added: %(iri)s"), iri=iri))
    for change in result.moved:
        click.echo(
            gettext(N_("> moved: %(iri)s: %(reason)s"), iri=change.iri, reason=change.reason)
        )
    if result.breaking:
        click.echo(
            gettext(
                N_(
                    "BREAKING: %(removed)s removed, %(changed)s changed IRIs; statements in the "
                    "LRS point at them. Keep the slugs, or publish a new version and tell the LRS"
                    " consumers."
                ),
                removed=len(result.removed),
                changed=len(result.changed),
            )
        )
        raise SystemExit(1)
    click.echo(gettext(N_("No breaking changes; %(added)s new IRIs."), added=len(result.added)))
