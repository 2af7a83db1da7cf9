"""``yrkesresan platform``: register LMS platforms (Moodle, Canvas, ...) and their deployments.

A registration is keyed on (issuer, client_id); commands that name an issuer take
``--client-id`` when the issuer has several registrations (Canvas).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import click

from yrkesresan_adapter.cli.db import open_database
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.lti.stores import Deployment, PlatformRegistration


class HttpUrl(click.ParamType[str]):
    """An absolute http(s) URL."""

    name = "URL"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        text = str(value).strip()
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(
                gettext(
                    N_(
                        "%(text)s är ingen http(s)-adress, t.ex. https://moodle.kommun.se/mod/lti/auth.php"
                    ),
                    text=repr(text),
                ),
                param,
                ctx,
            )
        return text


URL = HttpUrl()
CLIENT_ID = click.option(
    "--client-id", default=None, help=N_("Klient-id, om utfärdaren har flera registreringar.")
)


@click.group("platform", help=N_("Registrerade lärplattformar."))
def platform_group() -> None:
    pass


@platform_group.command("add", help=N_("Registrera en plattform."))
@click.option("--issuer", required=True, type=URL, help=N_("Plattformens utfärdare (iss)."))
@click.option("--client-id", required=True, help=N_("Klient-id som plattformen gav verktyget."))
@click.option("--name", required=True, help=N_("Visningsnamn, t.ex. kommunens namn."))
@click.option(
    "--login-url",
    required=True,
    type=URL,
    help=N_("Adressen för OIDC-inloggning (auth login URL)."),
)
@click.option(
    "--token-url", required=True, type=URL, help=N_("Adressen för OAuth2-token (token URL).")
)
@click.option(
    "--keyset-url",
    required=True,
    type=URL,
    help=N_("Adressen till plattformens nyckeluppsättning (JWKS)."),
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
def list_platforms() -> None:
    with open_database() as db:
        registrations = SqlPlatformStore(db).list()
    if not registrations:
        click.echo(gettext(N_("Inga plattformar registrerade.")))
        return
    for registration in registrations:
        click.echo(
            f"{registration.name}\t{registration.issuer}\t{registration.client_id}\t"
            f"deployments: {_deployments(registration)}"
        )


@platform_group.command("show", help=N_("Visa en registrering."))
@click.argument("issuer")
@CLIENT_ID
def show(issuer: str, client_id: str | None) -> None:
    with open_database() as db:
        r = SqlPlatformStore(db).get(issuer, client_id)
    fields = [
        (gettext(N_("namn")), r.name),
        ("issuer", r.issuer),
        ("client_id", r.client_id),
        ("login URL", r.auth_login_url),
        ("token URL", r.auth_token_url),
        ("keyset URL", r.key_set_url),
        ("audience", r.auth_audience or "-"),
        (
            gettext(N_("skicka namn")),
            gettext(N_("ja")) if r.send_names else gettext(N_("nej")),
        ),
        ("deployments", _deployments(r)),
    ]
    for label, value in fields:
        click.echo(f"{label}: {value}")


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
