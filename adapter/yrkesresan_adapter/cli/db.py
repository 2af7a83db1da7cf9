"""``yrkesresan db``: migrate and inspect the database; helpers the other storage commands share.

Commands read :class:`Settings` from the click context object when one is given (tests),
else from the environment. Exit codes (:mod:`yrkesresan_lti.cli_output`): 0 done, 1 failed
or not up to date (message on stderr), 2 bad usage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter import migrations
from yrkesresan_adapter.cli.errors import error_text, settings_problems
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.cli_output import EXIT_PROBLEM, echo_json, ensure_instance_dir, json_option
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.settings import Settings


def current_settings() -> Settings:
    """The settings in the click context, or those of the environment and ``.env``."""
    given = click.get_current_context().find_object(Settings)
    if given is not None:
        return given
    try:
        return Settings()
    except ValidationError as err:
        raise click.ClickException(settings_problems(err)) from err


@contextmanager
def open_database(*, migrate: bool | None = None) -> Iterator[Database]:
    """The configured database, its schema brought up to date outside production.

    Our own errors and database failures become a one-line message and exit code 1.
    """
    settings = current_settings()
    if settings.database_url is None:
        ensure_instance_dir(settings.instance_path)
    db = Database(settings.sqlalchemy_url)
    try:
        if migrate if migrate is not None else not settings.production:
            migrations.upgrade_if_behind(db)
        elif migrate is None and not migrations.is_current(db):
            raise click.ClickException(
                gettext(N_("Databasens schema är inte uppdaterat: kör 'yrkesresan db upgrade'."))
            )
        yield db
    except YrkesresanError as err:
        raise click.ClickException(error_text(err)) from err
    except SQLAlchemyError as err:
        raise click.ClickException(
            gettext(
                N_("Databasen kan inte användas: %(error)s"),
                error=f"{type(err).__name__}: {str(err).splitlines()[0]}",
            )
        ) from err
    finally:
        db.dispose()


@click.group("db", help=N_("Databasen: migreringar och status."))
def db_group() -> None:
    pass


@db_group.command(
    "upgrade", help=N_("Uppgradera schemat till den senaste (eller angivna) revisionen.")
)
@click.option(
    "--revision", default="head", show_default=True, help=N_("Revisionen att uppgradera till.")
)
def upgrade(revision: str) -> None:
    with open_database(migrate=False) as db:
        before = migrations.current_revision(db)
        migrations.upgrade(db, revision)
        after = migrations.current_revision(db)
    if before == after:
        click.echo(gettext(N_("Databasen är redan på revision %(revision)s."), revision=after))
    else:
        click.echo(
            gettext(
                N_("Databasen uppgraderad: %(before)s -> %(after)s."),
                before=before or gettext(N_("tom")),
                after=after,
            )
        )


STATE_TEXTS = {
    "current": N_("aktuell"),
    "behind": N_("behöver uppgraderas: kör 'yrkesresan db upgrade'"),
    "empty": N_("tom: kör 'yrkesresan db upgrade'"),
    "unknown": N_("okänd revision: databasen har migrerats av en nyare version av yrkesresan-lti"),
}


@db_group.command(
    "current",
    help=N_("Visa databasens revision och den senaste; felkod 1 om databasen inte är aktuell."),
)
@json_option
def current(as_json: bool) -> None:
    with open_database(migrate=False) as db:
        revision = migrations.current_revision(db)
    head = migrations.head_revision()
    state = migrations.revision_state(revision)
    if as_json:
        echo_json({"revision": revision, "head": head, "state": state})
    else:
        click.echo(gettext(N_("revision: %(revision)s"), revision=revision or gettext(N_("ingen"))))
        click.echo(gettext(N_("senaste: %(head)s"), head=head))
        click.echo(gettext(STATE_TEXTS[state]))
    if state != "current":
        raise SystemExit(EXIT_PROBLEM)


@db_group.command(
    "check",
    help=N_(
        "Kontrollera att schemat stämmer med koden; felkod 1 om migreringar eller ändringar väntar."
    ),
)
@json_option
def check(as_json: bool) -> None:
    with open_database(migrate=False) as db:
        revision = migrations.current_revision(db)
        state = migrations.revision_state(revision)
        diff = migrations.schema_diff(db) if state == "current" else []
    differences = [_describe(entry) for entry in diff]
    if as_json:
        echo_json(
            {
                "revision": revision,
                "head": migrations.head_revision(),
                "state": state,
                "differences": differences,
                "ok": state == "current" and not differences,
            }
        )
        if state != "current" or differences:
            raise SystemExit(EXIT_PROBLEM)
        return
    if state != "current":
        raise click.ClickException(
            gettext(
                N_(
                    "Databasen är på %(revision)s, senaste är %(head)s: kör 'yrkesresan db "
                    "upgrade'."
                ),
                revision=revision or "-",
                head=migrations.head_revision(),
            )
        )
    if differences:
        lines = "\n".join(f"  {line}" for line in differences)
        raise click.ClickException(
            gettext(N_("Schemat skiljer sig från modellerna:")) + "\n" + lines
        )
    click.echo(gettext(N_("Schemat är aktuellt och stämmer med modellerna.")))


def _describe(entry: object) -> str:
    """One Alembic diff entry as ``operation table.column`` (entries are tuples or lists)."""
    if isinstance(entry, list):
        return "; ".join(_describe(part) for part in entry)
    if not isinstance(entry, tuple) or not entry:
        return str(entry)
    names = [str(getattr(part, "name", part)) for part in entry[1:] if part is not None]
    return f"{entry[0]} {' '.join(names[:3])}"
