"""``yrkesresan keys``: list and rotate the tool's signing keys.

Rotation is two steps, a day or more apart: ``keys rotate`` publishes a *next* key;
a later ``keys rotate`` promotes it to sign (``--promote`` does it at once) and retires
the old key, which stays published for ``YRKESRESAN_KEY_ROTATION_OVERLAP_DAYS``.
"""

from __future__ import annotations

from datetime import datetime

import click

from yrkesresan_adapter.cli.db import current_settings, open_database
from yrkesresan_adapter.storage.keys import KeyInfo, store_from_settings
from yrkesresan_lti.exceptions import YrkesresanError

STATE_LABELS = {
    "current": "aktuell (current, signerar)",
    "next": "nästa (next, publicerad)",
    "retired": "avslutad (retired, publicerad)",
}


@click.group("keys")
def keys_group() -> None:
    """Verktygets signeringsnycklar (JWKS). The tool's signing keys."""


@keys_group.command("list")
def list_keys() -> None:
    """Visa publicerade nycklar. Show kid, state, created and published-until of each key."""
    with open_database() as db:
        infos = store_from_settings(db, current_settings()).list_keys()
    if not infos:
        click.echo("Inga nycklar ännu; de skapas vid första start (no keys yet).")
        return
    click.echo(f"{'kid':<44} {'tillstånd (state)':<31} {'skapad (created)':<17} publicerad till")
    for info in infos:
        click.echo(_row(info))


@keys_group.command("rotate")
@click.option(
    "--promote",
    is_flag=True,
    help="Ta nästa nyckel i bruk nu (promote the next key now, even if recently published).",
)
def rotate(promote: bool) -> None:
    """Publicera en ny nästa nyckel, eller ta den i bruk. Publish the next key, or promote it."""
    with open_database() as db:
        store = store_from_settings(db, current_settings())
        try:
            result = store.rotate(promote=promote)
        except YrkesresanError as err:
            raise click.ClickException(str(err)) from err
    if result.action == "created":
        click.echo(
            f"Nästa nyckel {result.kid} är publicerad men signerar inte än. Kör 'yrkesresan "
            "keys rotate' igen om ett dygn för att ta den i bruk (next key published)."
        )
    else:
        retired = ", ".join(result.retired) or "-"
        click.echo(
            f"Nyckel {result.kid} signerar nu. Avslutade nycklar är publicerade under "
            f"övergångstiden: {retired} (promoted; old keys stay published for the overlap)."
        )


def _row(info: KeyInfo) -> str:
    until = (
        _fmt(info.published_until)
        if info.published_until
        else "tills vidare (until further notice)"
    )
    return f"{info.kid:<44} {STATE_LABELS[info.state]:<31} {_fmt(info.created_at):<17} {until}"


def _fmt(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"
