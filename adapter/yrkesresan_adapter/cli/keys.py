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
def list_keys() -> None:
    with open_database() as db:
        infos = store_from_settings(db, current_settings()).list_keys()
    if not infos:
        click.echo(gettext(N_("Inga nycklar ännu; de skapas vid första start.")))
        return
    state, created, until = (
        gettext(N_("tillstånd")),
        gettext(N_("skapad")),
        gettext(N_("publicerad till")),
    )
    click.echo(f"{'kid':<44} {state:<31} {created:<17} {until}")
    for info in infos:
        click.echo(_row(info))


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


def _row(info: KeyInfo) -> str:
    until = _fmt(info.published_until) if info.published_until else gettext(N_("tills vidare"))
    state = gettext(STATE_LABELS[info.state])
    return f"{info.kid:<44} {state:<31} {_fmt(info.created_at):<17} {until}"


def _fmt(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"
