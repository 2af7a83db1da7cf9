"""``yrkesresan platform``: register LMS platforms (Moodle, Canvas, ...) and their deployments.

A registration is keyed on (issuer, client_id); commands that name an issuer take
``--client-id`` when the issuer has several registrations (Canvas).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import click

from yrkesresan_adapter.cli.db import open_database
from yrkesresan_adapter.cli.municipality import (
    clear_municipality,
    municipality_data,
    municipality_lines,
    set_municipality,
)
from yrkesresan_adapter.pages.occasions import RegionRights
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.cli_output import echo_json, json_option, table_lines
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration


class HttpUrl(click.ParamType[str]):
    """An absolute http(s) URL; ``example`` is shown when the value is not one."""

    name = "URL"

    def __init__(self, example: str) -> None:
        self.example = example

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        text = str(value).strip()
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(
                gettext(
                    N_("%(text)s är ingen http(s)-adress, t.ex. %(example)s"),
                    text=repr(text),
                    example=self.example,
                ),
                param,
                ctx,
            )
        return text


MOODLE = "https://moodle.kommun.se"
CLIENT_ID = click.option(
    "--client-id", default=None, help=N_("Klient-id, om utfärdaren har flera registreringar.")
)


@click.group("platform", help=N_("Registrerade lärplattformar."))
def platform_group() -> None:
    pass


platform_group.add_command(set_municipality)
platform_group.add_command(clear_municipality)


@platform_group.command("add", help=N_("Registrera en plattform."))
@click.option(
    "--issuer",
    required=True,
    type=HttpUrl(MOODLE),
    help=N_(
        "Plattformens utfärdare (iss), t.ex. https://moodle.kommun.se för Moodle, "
        "https://canvas.instructure.com för Canvas."
    ),
)
@click.option("--client-id", required=True, help=N_("Klient-id som plattformen gav verktyget."))
@click.option("--name", required=True, help=N_("Visningsnamn, t.ex. kommunens namn."))
@click.option(
    "--login-url",
    required=True,
    type=HttpUrl(f"{MOODLE}/mod/lti/auth.php"),
    help=N_(
        "Adressen för OIDC-inloggning (auth login URL), t.ex. "
        "https://moodle.kommun.se/mod/lti/auth.php."
    ),
)
@click.option(
    "--token-url",
    required=True,
    type=HttpUrl(f"{MOODLE}/mod/lti/token.php"),
    help=N_(
        "Adressen för OAuth2-token (token URL), t.ex. https://moodle.kommun.se/mod/lti/token.php."
    ),
)
@click.option(
    "--keyset-url",
    required=True,
    type=HttpUrl(f"{MOODLE}/mod/lti/certs.php"),
    help=N_(
        "Adressen till plattformens nyckeluppsättning (JWKS), t.ex. "
        "https://moodle.kommun.se/mod/lti/certs.php."
    ),
)
@click.option("--audience", default=None, help=N_("Audience för token-anrop (valfri)."))
@click.option(
    "--deployment", "deployments", multiple=True, help=N_("Deployment-id (kan upprepas).")
)
@click.option("--active", is_flag=True, help=N_("Aktivera de angivna deploymenterna direkt."))
@click.option("--send-names", is_flag=True, help=N_("Skicka namn i xAPI (av som standard)."))
def add(
    issuer: str,
    client_id: str,
    name: str,
    login_url: str,
    token_url: str,
    keyset_url: str,
    audience: str | None,
    deployments: tuple[str, ...],
    active: bool,
    send_names: bool,
) -> None:
    registration = PlatformRegistration(
        issuer=issuer,
        client_id=client_id,
        name=name,
        auth_login_url=login_url,
        auth_token_url=token_url,
        key_set_url=keyset_url,
        auth_audience=audience,
        deployments=tuple(Deployment(d, active=active) for d in dict.fromkeys(deployments)),
        send_names=send_names,
    )
    with open_database() as db:
        saved = SqlPlatformStore(db).add(registration)
    click.echo(
        gettext(
            N_("Registrerad: %(name)s — %(issuer)s %(client_id)s"),
            name=saved.name,
            issuer=saved.issuer,
            client_id=saved.client_id,
        )
    )
    if saved.deployments and not active:
        click.echo(
            gettext(
                N_(
                    "Deploymenterna är inaktiva: aktivera med 'yrkesresan platform "
                    "activate-deployment'."
                )
            )
        )


@platform_group.command("list", help=N_("Lista registrerade plattformar."))
@json_option
def list_platforms(as_json: bool) -> None:
    with open_database() as db:
        registrations = SqlPlatformStore(db).list()
        with db.session() as session:
            rights = RegionRights().all(session)
        if as_json:
            echo_json(
                [
                    {
                        **platform_data(r),
                        "municipalities": municipality_data(db, r),
                        "regions": rights.get((r.issuer, r.client_id), []),
                    }
                    for r in registrations
                ]
            )
            return
    if not registrations:
        click.echo(gettext(N_("Inga plattformar registrerade.")))
        return
    headers = [gettext(N_("namn")), "issuer", "client_id", "deployments"]
    rows = [(r.name, r.issuer, r.client_id, _deployments(r)) for r in registrations]
    for line in table_lines(headers, rows):
        click.echo(line)


@platform_group.command("show", help=N_("Visa en registrering."))
@click.argument("issuer")
@CLIENT_ID
@json_option
def show(issuer: str, client_id: str | None, as_json: bool) -> None:
    with open_database() as db:
        r = SqlPlatformStore(db).get(issuer, client_id)
        with db.session() as session:
            regions = RegionRights().of_platform(session, r.issuer, r.client_id)
        if as_json:
            data = platform_data(r)
            data |= {"municipalities": municipality_data(db, r), "regions": regions}
            echo_json(data)
            return
        municipalities = municipality_lines(db, r)
    fields = [
        (gettext(N_("namn")), r.name),
        ("issuer", r.issuer),
        ("client_id", r.client_id),
        (gettext(N_("inloggningsadress (login URL)")), r.auth_login_url),
        (gettext(N_("tokenadress (token URL)")), r.auth_token_url),
        (gettext(N_("nyckeladress (keyset URL)")), r.key_set_url),
        (gettext(N_("mottagare (audience)")), r.auth_audience or "-"),
        (
            gettext(N_("skicka namn")),
            gettext(N_("ja")) if r.send_names else gettext(N_("nej")),
        ),
        (gettext(N_("deployments")), _deployments(r)),
        (gettext(N_("regioner")), ", ".join(regions) or gettext(N_("ingen"))),
    ]
    for label, value in fields:
        click.echo(f"{label}: {value}")
    for line in municipalities:
        click.echo(line)


def platform_data(r: PlatformRegistration) -> dict[str, object]:
    """A registration as ``platform list|show --json`` print it (docs/operations.md)."""
    return {
        "name": r.name,
        "issuer": r.issuer,
        "client_id": r.client_id,
        "login_url": r.auth_login_url,
        "token_url": r.auth_token_url,
        "keyset_url": r.key_set_url,
        "audience": r.auth_audience,
        "send_names": r.send_names,
        "deployments": [
            {"deployment_id": d.deployment_id, "active": d.active} for d in r.deployments
        ],
    }


@platform_group.command(
    "activate-deployment", help=N_("Aktivera (och lägg vid behov till) en deployment.")
)
@click.argument("issuer")
@click.argument("deployment_id")
@CLIENT_ID
def activate_deployment(issuer: str, deployment_id: str, client_id: str | None) -> None:
    _set_active(
        issuer, deployment_id, client_id, True, N_("Deployment %(deployment)s aktiv för %(name)s.")
    )


@platform_group.command(
    "deactivate-deployment", help=N_("Inaktivera en deployment: dess starter nekas.")
)
@click.argument("issuer")
@click.argument("deployment_id")
@CLIENT_ID
def deactivate_deployment(issuer: str, deployment_id: str, client_id: str | None) -> None:
    _set_active(
        issuer,
        deployment_id,
        client_id,
        False,
        N_("Deployment %(deployment)s inaktiv för %(name)s."),
    )


def _set_active(
    issuer: str, deployment_id: str, client_id: str | None, active: bool, done: str
) -> None:
    """Switch a deployment on or off and say so (``done``: the message id to print)."""
    with open_database() as db:
        r = SqlPlatformStore(db).set_deployment_active(issuer, deployment_id, active, client_id)
    click.echo(gettext(done, deployment=deployment_id, name=r.name))


@platform_group.command("remove", help=N_("Ta bort en registrering och dess deployments."))
@click.argument("issuer")
@CLIENT_ID
@click.option("--yes", is_flag=True, help=N_("Fråga inte först."))
def remove(issuer: str, client_id: str | None, yes: bool) -> None:
    with open_database() as db:
        store = SqlPlatformStore(db)
        r = store.get(issuer, client_id)
        if not yes:
            question = gettext(
                N_("Ta bort %(name)s (%(issuer)s, %(client_id)s)?"),
                name=r.name,
                issuer=r.issuer,
                client_id=r.client_id,
            )
            click.confirm(question, abort=True)
        store.remove(r.issuer, r.client_id)
        with db.session() as session:
            RegionRights().set(session, r.issuer, r.client_id, ())
    click.echo(
        gettext(
            N_("Borttagen: %(name)s — %(issuer)s %(client_id)s"),
            name=r.name,
            issuer=r.issuer,
            client_id=r.client_id,
        )
    )


def _deployments(registration: PlatformRegistration) -> str:
    if not registration.deployments:
        return "-"
    active, inactive = gettext(N_("aktiv")), gettext(N_("inaktiv"))
    return ", ".join(
        f"{d.deployment_id} ({active if d.active else inactive})" for d in registration.deployments
    )
