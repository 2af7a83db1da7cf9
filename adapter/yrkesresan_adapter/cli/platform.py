"""``yrkesresan platform``: register LMS platforms (Moodle, Canvas, ...) and their deployments.

A registration is keyed on (issuer, client_id); commands that name an issuer take
``--client-id`` when the issuer has several registrations (Canvas).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import click

from yrkesresan_adapter.cli.db import open_database
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
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
                f"{text!r} är ingen http(s)-adress (not an http(s) URL), t.ex. "
                "https://moodle.kommun.se/mod/lti/auth.php",
                param,
                ctx,
            )
        return text


URL = HttpUrl()
CLIENT_ID = click.option(
    "--client-id", default=None, help="Client id, om utfärdaren har flera registreringar."
)


@click.group("platform")
def platform_group() -> None:
    """Registrerade lärplattformar (LMS). Registered LMS platforms."""


@platform_group.command("add")
@click.option("--issuer", required=True, type=URL, help="Plattformens issuer (iss).")
@click.option("--client-id", required=True, help="Client id som plattformen gav verktyget.")
@click.option("--name", required=True, help="Visningsnamn, t.ex. kommunens namn.")
@click.option("--login-url", required=True, type=URL, help="OIDC auth login URL.")
@click.option("--token-url", required=True, type=URL, help="OAuth2 token URL.")
@click.option("--keyset-url", required=True, type=URL, help="Plattformens JWKS URL.")
@click.option("--audience", default=None, help="Auth audience för token-anrop (valfri).")
@click.option("--deployment", "deployments", multiple=True, help="Deployment id (kan upprepas).")
@click.option("--active", is_flag=True, help="Aktivera de angivna deploymenterna direkt.")
@click.option("--send-names", is_flag=True, help="Skicka namn i xAPI (av som standard).")
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
    """Registrera en plattform. Register a platform."""
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
    click.echo(f"Registrerad (registered): {saved.name} — {saved.issuer} {saved.client_id}")
    if saved.deployments and not active:
        click.echo(
            "Deploymenterna är inaktiva: aktivera med 'yrkesresan platform "
            "activate-deployment' (deployments are inactive)."
        )


@platform_group.command("list")
def list_platforms() -> None:
    """Lista registrerade plattformar. List registered platforms."""
    with open_database() as db:
        registrations = SqlPlatformStore(db).list()
    if not registrations:
        click.echo("Inga plattformar registrerade (no platforms registered).")
        return
    for registration in registrations:
        click.echo(
            f"{registration.name}\t{registration.issuer}\t{registration.client_id}\t"
            f"deployments: {_deployments(registration)}"
        )


@platform_group.command("show")
@click.argument("issuer")
@CLIENT_ID
def show(issuer: str, client_id: str | None) -> None:
    """Visa en registrering. Show one registration."""
    with open_database() as db:
        r = SqlPlatformStore(db).get(issuer, client_id)
    fields = [
        ("namn (name)", r.name),
        ("issuer", r.issuer),
        ("client_id", r.client_id),
        ("login URL", r.auth_login_url),
        ("token URL", r.auth_token_url),
        ("keyset URL", r.key_set_url),
        ("audience", r.auth_audience or "-"),
        ("skicka namn (send names)", "ja (yes)" if r.send_names else "nej (no)"),
        ("deployments", _deployments(r)),
    ]
    for label, value in fields:
        click.echo(f"{label}: {value}")


@platform_group.command("activate-deployment")
@click.argument("issuer")
@click.argument("deployment_id")
@CLIENT_ID
def activate_deployment(issuer: str, deployment_id: str, client_id: str | None) -> None:
    """Aktivera (och lägg vid behov till) en deployment. Activate a deployment."""
    with open_database() as db:
        r = SqlPlatformStore(db).set_deployment_active(issuer, deployment_id, True, client_id)
    click.echo(f"Deployment {deployment_id} aktiv för {r.name} (active).")


@platform_group.command("deactivate-deployment")
@click.argument("issuer")
@click.argument("deployment_id")
@CLIENT_ID
def deactivate_deployment(issuer: str, deployment_id: str, client_id: str | None) -> None:
    """Inaktivera en deployment: dess starter nekas. Deactivate a deployment."""
    with open_database() as db:
        r = SqlPlatformStore(db).set_deployment_active(issuer, deployment_id, False, client_id)
    click.echo(f"Deployment {deployment_id} inaktiv för {r.name} (inactive).")


@platform_group.command("remove")
@click.argument("issuer")
@CLIENT_ID
@click.option("--yes", is_flag=True, help="Fråga inte (do not ask for confirmation).")
def remove(issuer: str, client_id: str | None, yes: bool) -> None:
    """Ta bort en registrering och dess deployments. Remove a registration."""
    with open_database() as db:
        store = SqlPlatformStore(db)
        r = store.get(issuer, client_id)
        if not yes:
            click.confirm(f"Ta bort {r.name} ({r.issuer}, {r.client_id})? (remove?)", abort=True)
        store.remove(r.issuer, r.client_id)
    click.echo(f"Borttagen (removed): {r.name} — {r.issuer} {r.client_id}")


def _deployments(registration: PlatformRegistration) -> str:
    if not registration.deployments:
        return "-"
    return ", ".join(
        f"{d.deployment_id} ({'aktiv' if d.active else 'inaktiv'})"
        for d in registration.deployments
    )
