"""``yrkesresan xapi``: the xAPI side of the tool (``profile`` prints the xAPI Profile)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.catalog.default import default_catalog_path
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer


def register(group: click.Group) -> None:
    """Add the ``xapi`` command group to the ``yrkesresan`` console script."""
    group.add_command(xapi)


@click.group()
def xapi() -> None:
    """xAPI: profil och påståenden (xAPI profile and statements)."""


@xapi.command()
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, exists=True),
    help="Katalog vars IRI-bas profilen använder (default: YRKESRESAN_CATALOG_PATH / exemplet).",
)
@click.option(
    "--iri-base",
    help="IRI-bas direkt, utan katalog (e.g. https://yrkesresan.se/id/).",
)
def profile(catalog_path: Path | None, iri_base: str | None) -> None:
    """Skriv ut Yrkesresans xAPI-profil som JSON-LD (print the xAPI Profile)."""
    if catalog_path is not None and iri_base is not None:
        raise click.UsageError("give --catalog or --iri-base, not both")
    try:
        if iri_base is None:
            path = catalog_path or Settings().catalog_path or default_catalog_path()
            iri_base = load_catalog(path).iri_base
        elif not iri_base.startswith(("http://", "https://")) or not iri_base.endswith("/"):
            raise click.BadParameter(
                "must be an http(s) URL ending in '/'", param_hint="--iri-base"
            )
    except YrkesresanError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps(build_profile(iri_base), ensure_ascii=False, indent=2))


@xapi.command()
@click.argument("issuer")
@click.argument("sub")
def pseudonym(issuer: str, sub: str) -> None:
    """Skriv ut aktörens pseudonym för (issuer, sub) med YRKESRESAN_PSEUDONYM_KEY.

    For requests about one learner (registerutdrag, radering): the LRS knows the learner only
    as account{homePage: ISSUER, name: <this value>}. Statements made before profile version
    1.2 carry the longer name under "account_until_profile_1_1": look for both.
    """
    try:
        pseudonymizer = Pseudonymizer.from_settings(Settings())
    except YrkesresanError as err:
        raise click.ClickException(str(err)) from None
    accounts = {
        "account": {"homePage": issuer, "name": pseudonymizer.pseudonym(issuer, sub)},
        "account_until_profile_1_1": {
            "homePage": issuer,
            "name": pseudonymizer.digest(issuer, sub),
        },
    }
    click.echo(json.dumps(accounts))
