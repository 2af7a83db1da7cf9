"""``yrkesresan platform set-region|clear-region|regions``: which regions (RSS) a platform
coordinates — its administrators add, change and cancel those regions' occasions on the
admin page (docs/occasions.md). The CLI itself is not restricted."""

from __future__ import annotations

import unicodedata

import click

from yrkesresan_adapter.cli.db import open_database
from yrkesresan_adapter.cli.platform import CLIENT_ID
from yrkesresan_adapter.pages.occasions import REGION_LENGTH, RegionRights
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.cli_output import echo_json, json_option, table_lines
from yrkesresan_lti.i18n import N_, gettext


class RegionName(click.ParamType[str]):
    """A region as occasions name it (``GR``, ``Region Skåne``): 1–255 printable characters."""

    name = "REGION"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        text = str(value).strip()
        printable = all(unicodedata.category(c)[0] != "C" for c in text)
        if not text or len(text) > REGION_LENGTH or not printable:
            self.fail(
                gettext(
                    N_(
                        "%(text)s är inget regionnamn: 1–%(limit)s tecken utan styrtecken, "
                        "som i kurstillfällenas kolumn region (t.ex. GR)"
                    ),
                    text=repr(text),
                    limit=REGION_LENGTH,
                ),
                param,
                ctx,
            )
        return text


@click.command(
    "set-region",
    help=N_(
        "Ange vilka regioner plattformen samordnar: dess administratörer ändrar bara "
        "kurstillfällen i dem (ersätter plattformens tidigare regioner)."
    ),
)
@click.argument("issuer")
@click.argument("regions", nargs=-1, required=True, type=RegionName())
@CLIENT_ID
def set_region(issuer: str, regions: tuple[str, ...], client_id: str | None) -> None:
    with open_database() as db:
        platform = SqlPlatformStore(db).get(issuer, client_id)
        with db.session() as session:
            RegionRights().set(session, platform.issuer, platform.client_id, regions)
            known = RegionRights().in_use(session)
    wanted = sorted(set(regions))
    click.echo(
        gettext(
            N_("%(name)s samordnar nu: %(regions)s"),
            name=platform.name,
            regions=", ".join(wanted),
        )
    )
    for region in wanted:
        if region not in known:
            click.echo(
                gettext(
                    N_(
                        "Obs: inget kurstillfälle i databasen har regionen %(region)s ännu "
                        "(stavat rätt?)."
                    ),
                    region=region,
                )
            )


@click.command(
    "clear-region",
    help=N_("Plattformen samordnar ingen region: dess administratörer ändrar inga kurstillfällen."),
)
@click.argument("issuer")
@CLIENT_ID
def clear_region(issuer: str, client_id: str | None) -> None:
    with open_database() as db:
        platform = SqlPlatformStore(db).get(issuer, client_id)
        with db.session() as session:
            RegionRights().set(session, platform.issuer, platform.client_id, ())
    click.echo(gettext(N_("%(name)s samordnar ingen region."), name=platform.name))


@click.command("regions", help=N_("Lista vilka regioner varje plattform samordnar."))
@json_option
def list_regions(as_json: bool) -> None:
    with open_database() as db:
        platforms = SqlPlatformStore(db).list()
        with db.session() as session:
            rights = RegionRights().all(session)
    rows = [
        (p.name, p.issuer, p.client_id, rights.get((p.issuer, p.client_id), [])) for p in platforms
    ]
    if as_json:
        echo_json(
            [
                {"name": name, "issuer": issuer, "client_id": client, "regions": regions}
                for name, issuer, client, regions in rows
            ]
        )
        return
    if not rows:
        click.echo(gettext(N_("Inga plattformar registrerade.")))
        return
    headers = [gettext(N_("namn")), "issuer", "client_id", gettext(N_("regioner"))]
    table = [(n, i, c, ", ".join(r) or "-") for n, i, c, r in rows]
    for line in table_lines(headers, table):
        click.echo(line)


def add_region_commands(group: click.Group) -> None:
    """Add ``set-region``, ``clear-region`` and ``regions`` to ``yrkesresan platform``."""
    for command in (set_region, clear_region, list_regions):
        group.add_command(command)
