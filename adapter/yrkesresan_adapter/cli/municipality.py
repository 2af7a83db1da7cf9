"""``yrkesresan platform set-municipality|clear-municipality``: which municipality (SCB
kommunkod) a platform, one of its deployments or one LMS context belongs to.

``platform show`` lists what is attached (:func:`municipality_lines`, :func:`municipality_data`).
An unknown kommunkod or name, platform or deployment prints a Swedish message and exits 1
with nothing written (docs/operations.md, "Kommun och län").
"""

from __future__ import annotations

import click

from yrkesresan_adapter.cli.db import open_database
from yrkesresan_adapter.cli.errors import reported
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.municipalities import Assignment, SqlMunicipalityStore
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.municipalities import UNKNOWN_NAME_SV, find_municipality

_CLIENT_ID = click.option(
    "--client-id", default=None, help=N_("Klient-id, om utfärdaren har flera registreringar.")
)
_DEPLOYMENT = click.option(
    "--deployment",
    "deployment_id",
    default=None,
    help=N_("Bara denna deployment (annars hela plattformen)."),
)
_CONTEXT = click.option(
    "--context",
    "context_id",
    default=None,
    help=N_(
        "Bara detta LMS-sammanhang (kursens context id), för en regional lärplattform som "
        "flera kommuner delar."
    ),
)


def _where(deployment_id: str | None, context_id: str | None) -> str:
    if context_id is not None and deployment_id is not None:
        return gettext(
            N_("sammanhang %(context)s i deployment %(deployment)s"),
            context=context_id,
            deployment=deployment_id,
        )
    if context_id is not None:
        return gettext(N_("sammanhang %(context)s"), context=context_id)
    if deployment_id is not None:
        return gettext(N_("deployment %(deployment)s"), deployment=deployment_id)
    return gettext(N_("hela plattformen"))


@click.command(
    "set-municipality",
    help=N_(
        "Koppla en kommun (SCB:s fyrsiffriga kommunkod, eller ett entydigt namn) till en "
        "plattform, en deployment eller ett LMS-sammanhang. Länet följer av kommunen."
    ),
)
@click.argument("issuer")
@click.argument("kommunkod")
@_CLIENT_ID
@_DEPLOYMENT
@_CONTEXT
def set_municipality(
    issuer: str,
    kommunkod: str,
    client_id: str | None,
    deployment_id: str | None,
    context_id: str | None,
) -> None:
    with reported():
        found = find_municipality(kommunkod)  # before the database: nothing is written
    with open_database() as db:
        SqlMunicipalityStore(db).attach(
            issuer, client_id, found, deployment_id=deployment_id, context_id=context_id
        )
    click.echo(
        gettext(
            N_("%(name)s (%(code)s, %(county)s) gäller nu för %(where)s."),
            name=found.name,
            code=found.code,
            county=found.county.name,
            where=_where(deployment_id, context_id),
        )
    )


@click.command(
    "clear-municipality",
    help=N_("Ta bort kommunen från en plattform, en deployment eller ett LMS-sammanhang."),
)
@click.argument("issuer")
@_CLIENT_ID
@_DEPLOYMENT
@_CONTEXT
def clear_municipality(
    issuer: str, client_id: str | None, deployment_id: str | None, context_id: str | None
) -> None:
    with open_database() as db:
        removed = SqlMunicipalityStore(db).detach(
            issuer, client_id, deployment_id=deployment_id, context_id=context_id
        )
    where = _where(deployment_id, context_id)
    if removed:
        click.echo(gettext(N_("Kommunen borttagen för %(where)s."), where=where))
    else:
        click.echo(gettext(N_("Ingen kommun var kopplad till %(where)s."), where=where))


def _assignments(db: Database, registration: PlatformRegistration) -> list[Assignment]:
    return SqlMunicipalityStore(db).list(registration.issuer, registration.client_id)


def municipality_lines(db: Database, registration: PlatformRegistration) -> list[str]:
    """``platform show``'s lines: one per attached municipality, or that none is."""
    assignments = _assignments(db, registration)
    if not assignments:
        return [
            gettext(
                N_("kommun: ingen kopplad (statements säger '%(unknown)s')"),
                unknown=UNKNOWN_NAME_SV,
            )
        ]
    lines = []
    for a in assignments:
        name = (
            f"{a.municipality.name} ({a.code}, {a.municipality.county.name})"
            if a.municipality
            else gettext(N_("%(code)s finns inte i SCB:s tabell"), code=a.code)
        )
        where = _where(a.deployment_id, a.context_id)
        lines.append(gettext(N_("kommun: %(name)s — %(where)s"), name=name, where=where))
    return lines


def municipality_data(db: Database, registration: PlatformRegistration) -> list[dict[str, object]]:
    """``platform show --json``'s ``municipalities`` (stable English keys)."""
    return [
        {
            "deployment_id": a.deployment_id,
            "context_id": a.context_id,
            "municipality_code": a.code,
            "municipality_name": a.municipality.name if a.municipality else None,
            "county_code": a.municipality.county.code if a.municipality else None,
            "county_name": a.municipality.county.name if a.municipality else None,
        }
        for a in _assignments(db, registration)
    ]
