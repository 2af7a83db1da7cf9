"""``yrkesresan xapi``: the xAPI side of the tool (``profile`` prints the xAPI Profile)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.catalog.default import default_catalog_path
from yrkesresan_lti.error_texts import error_text
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

PSEUDONYM_HELP = N_(
    "Print the learner's pseudonym for (ISSUER, SUB) with YRKESRESAN_PSEUDONYM_KEY.\n\n"
    "For requests about one learner (a register extract, erasure): the LRS knows the learner "
    "only as account{homePage: ISSUER, name: <this value>}. Statements made before profile "
    'version 1.2 carry the longer name under "account_until_profile_1_1": look for both.'
)


def register(group: click.Group) -> None:
    """Add the ``xapi`` command group to the ``yrkesresan`` console script."""
    group.add_command(xapi)


@click.group(help=N_("xAPI: the profile and the learners' pseudonyms."))
def xapi() -> None:
    pass


@xapi.command(help=N_("Print Yrkesresan's xAPI Profile as JSON-LD."))
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, exists=True),
    help=N_(
        "The catalog whose IRI base the profile uses (default: YRKESRESAN_CATALOG_PATH, else the "
        "example)."
    ),
)
@click.option(
    "--iri-base",
    help=N_("The IRI base itself, without a catalog (e.g. https://yrkesresan.se/id/)."),
)
def profile(catalog_path: Path | None, iri_base: str | None) -> None:
    if catalog_path is not None and iri_base is not None:
        raise click.UsageError(gettext(N_("Give --catalog or --iri-base, not both.")))
    try:
        if iri_base is None:
            path = catalog_path or Settings().catalog_path or default_catalog_path()
            iri_base = load_catalog(path).iri_base
        elif not iri_base.startswith(("http://", "https://")) or not iri_base.endswith("/"):
            raise click.BadParameter(
                gettext(N_("must be an http(s) URL ending in '/'")),
                param_hint="--iri-base",
            )
    except YrkesresanError as err:
        raise click.ClickException(error_text(err)) from None
    click.echo(json.dumps(build_profile(iri_base), ensure_ascii=False, indent=2))


@xapi.command(help=PSEUDONYM_HELP)
@click.argument("issuer")
@click.argument("sub")
def pseudonym(issuer: str, sub: str) -> None:
    try:
        pseudonymizer = Pseudonymizer.from_settings(Settings())
    except YrkesresanError as err:
        raise click.ClickException(error_text(err)) from None
    accounts = {
        "account": {"homePage": issuer, "name": pseudonymizer.pseudonym(issuer, sub)},
        "account_until_profile_1_1": {
            "homePage": issuer,
            "name": pseudonymizer.digest(issuer, sub),
        },
    }
    click.echo(json.dumps(accounts))
