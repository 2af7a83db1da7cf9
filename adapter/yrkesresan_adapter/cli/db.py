"""``yrkesresan db``: migrate and inspect the database; helpers the other storage commands share.

Commands read :class:`Settings` from the click context object when one is given (tests),
else from the environment. Exit codes: 0 done, 1 failed (message on stderr), 2 bad usage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_adapter import migrations
from yrkesresan_adapter.storage.database import Database
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.settings import Settings


def current_settings() -> Settings:
    """The settings in the click context, or those of the environment and ``.env``."""
    given = click.get_current_context().find_object(Settings)
    if given is not None:
        return given
    try:
        return Settings()
    except ValidationError as err:
        problems = "; ".join(  # without the input values: they may be secrets
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}"
            for e in err.errors(include_input=False)
        )
        raise click.ClickException(
            f"ogiltiga inställningar (invalid settings): {problems}"
        ) from err


@contextmanager
def open_database(*, migrate: bool | None = None) -> Iterator[Database]:
    """The configured database, its schema brought up to date outside production.

    Our own errors and database failures become a one-line message and exit code 1.
    """
    settings = current_settings()
    db = Database(settings.sqlalchemy_url)
    try:
        if migrate if migrate is not None else not settings.production:
            migrations.upgrade_if_behind(db)
        elif migrate is None and not migrations.is_current(db):
            raise click.ClickException(
                "databasens schema är inte uppdaterat: kör 'yrkesresan db upgrade' "
                "(the database schema is behind: run 'yrkesresan db upgrade')"
            )
        yield db
    except YrkesresanError as err:
        raise click.ClickException(str(err)) from err
    except SQLAlchemyError as err:
        raise click.ClickException(
            f"databasen kan inte användas (database error): {type(err).__name__}: "
            f"{str(err).splitlines()[0]}"
        ) from err
    finally:
        db.dispose()


@click.group("db")
def db_group() -> None:
    """Databasen: migreringar och status. Database migrations and status."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade(revision: str) -> None:
    """Uppgradera schemat. Upgrade the schema to the newest (or given) revision."""
    with open_database(migrate=False) as db:
        before = migrations.current_revision(db)
        migrations.upgrade(db, revision)
        after = migrations.current_revision(db)
    if before == after:
        click.echo(f"Databasen är redan på revision {after} (already up to date).")
    else:
        click.echo(f"Databasen uppgraderad: {before or 'tom'} -> {after} (upgraded).")


@db_group.command("current")
def current() -> None:
    """Visa databasens revision. Show the database's revision and the newest one."""
    with open_database(migrate=False) as db:
        revision = migrations.current_revision(db)
    head = migrations.head_revision()
    state = "aktuell (up to date)" if revision == head else "behöver uppgraderas (behind)"
    click.echo(f"revision: {revision or 'ingen (empty)'}\nsenaste (head): {head}\n{state}")


@db_group.command("check")
def check() -> None:
    """Kontrollera att schemat stämmer med koden. Exit 1 if migrations or changes are pending."""
    with open_database(migrate=False) as db:
        if not migrations.is_current(db):
            raise click.ClickException(
                f"databasen är på {migrations.current_revision(db) or 'ingen revision'}, "
                f"senaste är {migrations.head_revision()}: kör 'yrkesresan db upgrade' (behind)"
            )
        diff = migrations.schema_diff(db)
    if diff:
        lines = "\n".join(f"  {_describe(entry)}" for entry in diff)
        raise click.ClickException(
            f"schemat skiljer sig från modellerna (schema differs from the models):\n{lines}"
        )
    click.echo("Schemat är aktuellt och stämmer med modellerna (schema up to date).")


def _describe(entry: object) -> str:
    """One Alembic diff entry as ``operation table.column`` (entries are tuples or lists)."""
    if isinstance(entry, list):
        return "; ".join(_describe(part) for part in entry)
    if not isinstance(entry, tuple) or not entry:
        return str(entry)
    names = [str(getattr(part, "name", part)) for part in entry[1:] if part is not None]
    return f"{entry[0]} {' '.join(names[:3])}"
