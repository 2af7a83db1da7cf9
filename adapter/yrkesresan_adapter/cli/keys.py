"""``yrkesresan keys``: list and rotate the tool's signing keys.

Rotation is two steps, a day or more apart: ``keys rotate`` publishes a *next* key;
a later ``keys rotate`` promotes it to sign (``--promote`` does it at once) and retires
the old key, which stays published for ``YRKESRESAN_KEY_ROTATION_OVERLAP_DAYS``.
"""

from __future__ import annotations

from datetime import datetime

import click

from yrkesresan_adapter.cli.db import current_settings, open_database
from yrkesresan_adapter.cli.errors import error_text
from yrkesresan_adapter.storage.keys import KeyInfo, store_from_settings
from yrkesresan_lti.cli_output import echo_json, json_option, table_lines
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_, gettext

STATE_LABELS = {
    "current": N_("aktuell, signerar"),
    "next": N_("nästa, publicerad"),
    "retired": N_("avslutad, publicerad"),
}


@click.group("keys", help=N_("Verktygets signeringsnycklar (JWKS)."))
def keys_group() -> None:
    pass


@keys_group.command(
    "list",
    help=N_("Visa de publicerade nycklarna: kid, tillstånd, skapad och publicerad till."),
)
@json_option
def list_keys(as_json: bool) -> None:
    with open_database() as db:
        infos = store_from_settings(db, current_settings()).list_keys()
    if as_json:
        echo_json([key_data(info) for info in infos])
        return
    if not infos:
        click.echo(gettext(N_("Inga nycklar ännu; de skapas vid första start.")))
        return
    headers = [
        "kid",
        gettext(N_("tillstånd")),
        gettext(N_("skapad")),
        gettext(N_("publicerad till")),
    ]
    for line in table_lines(headers, [_row(info) for info in infos]):
        click.echo(line)


def key_data(info: KeyInfo) -> dict[str, object]:
    """A key as ``keys list --json`` prints it: times in ISO 8601 UTC (docs/operations.md)."""
    return {
        "kid": info.kid,
        "state": info.state,
        "created_at": _iso(info.created_at),
        "activated_at": _iso(info.activated_at),
        "retired_at": _iso(info.retired_at),
        "published_until": _iso(info.published_until),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@keys_group.command("rotate", help=N_("Publicera en ny nästa nyckel, eller ta den i bruk."))
@click.option(
    "--promote",
    is_flag=True,
    help=N_("Ta nästa nyckel i bruk nu, även om den nyss publicerades."),
)
def rotate(promote: bool) -> None:
    with open_database() as db:
        store = store_from_settings(db, current_settings())
        try:
            result = store.rotate(promote=promote)
        except YrkesresanError as err:
            raise click.ClickException(error_text(err)) from err
    if result.action == "created":
        click.echo(
            gettext(
                N_(
                    "Nästa nyckel %(kid)s är publicerad men signerar inte än. Kör 'yrkesresan "
                    "keys rotate' igen om ett dygn för att ta den i bruk."
                ),
                kid=result.kid,
            )
        )
    else:
        retired = ", ".join(result.retired) or "-"
        click.echo(
            gettext(
                N_(
                    "Nyckel %(kid)s signerar nu. Avslutade nycklar är publicerade under "
                    "övergångstiden: %(retired)s."
                ),
                kid=result.kid,
                retired=retired,
            )
        )


def _row(info: KeyInfo) -> tuple[str, str, str, str]:
    until = _fmt(info.published_until) if info.published_until else gettext(N_("tills vidare"))
    return (info.kid, gettext(STATE_LABELS[info.state]), _fmt(info.created_at), until)


def _fmt(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"
