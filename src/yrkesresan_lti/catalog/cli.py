"""``yrkesresan catalog``: validate, show, schema and diff catalogs."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from yrkesresan_lti.catalog.diff import IriChange, diff_catalogs
from yrkesresan_lti.catalog.loader import load_catalog
from yrkesresan_lti.catalog.render import KIND_NAMES, count_lines, tree_data, tree_lines
from yrkesresan_lti.catalog.root import Catalog
from yrkesresan_lti.catalog.schema import catalog_schema, journey_schema
from yrkesresan_lti.cli_output import EXIT_OK, EXIT_PROBLEM, echo_json, json_option
from yrkesresan_lti.error_texts import error_text, problem_text
from yrkesresan_lti.exceptions import CatalogError, CatalogProblem
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


def _load_or_exit(path: Path, *, as_json: bool = False) -> Catalog:
    try:
        return load_catalog(path)
    except CatalogError as err:
        problems = err.problems or []
        if as_json:
            echo_json({"path": str(path), "valid": False, "problems": _problems(problems)})
        for problem in [] if as_json else problems:
            click.echo(problem_text(problem))
        if not problems and not as_json:
            click.echo(gettext(N_("%(path)s: error: %(error)s"), path=path, error=error_text(err)))
        raise SystemExit(EXIT_PROBLEM) from None


def _problems(problems: list[CatalogProblem]) -> list[dict[str, object]]:
    return [
        {
            "severity": p.severity,
            "file": p.file,
            "line": p.line,
            "path": p.path,
            "reason": p.reason or None,
            "message": p.message,
        }
        for p in problems
    ]


@catalog.command(help=N_("Check a catalog (a file or a catalog folder); exit code 1 on errors."))
@click.argument("path", type=PATH)
@click.option("--strict", is_flag=True, help=N_("Warnings fail too (exit code 1)."))
@json_option
def validate(path: Path, strict: bool, as_json: bool) -> None:
    loaded = _load_or_exit(path, as_json=as_json)
    failed = strict and bool(loaded.warnings)
    if as_json:
        echo_json(
            {
                "path": str(path),
                "valid": not failed,
                "version": loaded.version,
                "counts": loaded.counts(),
                "problems": _problems(loaded.warnings),
            }
        )
        raise SystemExit(EXIT_PROBLEM if failed else EXIT_OK)
    for warning in loaded.warnings:
        click.echo(problem_text(warning))
    verdict = (
        N_("The catalog %(path)s (version %(version)s) has warnings:")
        if failed
        else N_("The catalog %(path)s (version %(version)s) is valid:")
    )
    click.echo(gettext(verdict, path=path, version=loaded.version))
    for line in count_lines(loaded):
        click.echo(line)
    if failed:
        raise SystemExit(EXIT_PROBLEM)


@catalog.command(help=N_("Show the catalog as a tree of slugs, titles and IRIs."))
@click.argument("path", type=PATH)
@click.option(
    "--lang", default="sv", show_default=True, help=N_("Language of the titles (sv, en).")
)
@click.option("--no-iris", is_flag=True, help=N_("Hide the IRIs."))
@json_option
def show(path: Path, lang: str, no_iris: bool, as_json: bool) -> None:
    loaded = _load_or_exit(path, as_json=as_json)
    if as_json:
        echo_json(tree_data(loaded))
        return
    for line in tree_lines(loaded, lang=lang, with_iris=not no_iris):
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
@json_option
def diff(old: Path, new: Path, as_json: bool) -> None:
    result = diff_catalogs(_load_or_exit(old, as_json=as_json), _load_or_exit(new, as_json=as_json))
    if as_json:
        echo_json(
            {
                "breaking": result.breaking,
                "removed": result.removed,
                "changed": [asdict(change) for change in result.changed],
                "added": result.added,
                "moved": [asdict(change) for change in result.moved],
            }
        )
        raise SystemExit(EXIT_PROBLEM if result.breaking else EXIT_OK)
    for iri in result.removed:
        click.echo(gettext(N_("- removed: %(iri)s"), iri=iri))
    for change in result.changed:
        click.echo(
            gettext(N_("~ changed: %(iri)s: %(reason)s"), iri=change.iri, reason=_why(change))
        )
    for iri in result.added:
        click.echo(gettext(N_("+ added: %(iri)s"), iri=iri))
    for change in result.moved:
        click.echo(gettext(N_("> moved: %(iri)s: %(reason)s"), iri=change.iri, reason=_why(change)))
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
        raise SystemExit(EXIT_PROBLEM)
    click.echo(gettext(N_("No breaking changes; %(added)s new IRIs."), added=len(result.added)))


CHANGE_TEXTS = {
    "kind": N_("was a %(before)s, is a %(after)s"),
    "goals": N_("goal links changed from [%(before)s] to [%(after)s]"),
    "moved": N_("moved from %(before)s to %(after)s"),
}


def _why(change: IriChange) -> str:
    """The reason of ``change`` in the installed locale (node kinds by their labels)."""
    before, after = change.before, change.after
    if change.code == "kind":
        before, after = (gettext(KIND_NAMES.get(name, name)) for name in (before, after))
    return gettext(CHANGE_TEXTS[change.code], before=before, after=after)
