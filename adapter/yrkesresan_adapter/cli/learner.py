"""``yrkesresan learner``: everything the adapter holds on one person, exported or erased
(GDPR articles 15 and 17; docs/privacy.md).

A person is (issuer, client_id, LTI ``sub``); ``--client-id`` is needed when the issuer
has several registrations, ``--deployment`` limits to one deployment. Exit codes: 0 done,
1 nothing known about the person or a failure (message on stderr), 2 bad usage.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from yrkesresan_adapter.cli.db import current_settings, open_database
from yrkesresan_adapter.cli.errors import error_text
from yrkesresan_adapter.storage.database import Database
from yrkesresan_adapter.storage.registrations import SqlPlatformStore
from yrkesresan_lti.clock import utcnow
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer

if TYPE_CHECKING:  # the commands import the features when they run: --help stays quick
    from yrkesresan_adapter.privacy import ErasureReport, Findings, Person


@click.group("learner", help=N_("En persons uppgifter: registerutdrag och radering."))
def learner_group() -> None:
    pass


def _person_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = (
        click.option("--issuer", required=True, help=N_("Plattformens utfärdare (iss).")),
        click.option("--sub", required=True, help=N_("Personens LTI-sub i plattformen.")),
        click.option(
            "--client-id",
            default=None,
            help=N_("Klient-id, om utfärdaren har flera registreringar."),
        ),
        click.option("--deployment", default=None, help=N_("Bara denna deployment.")),
        click.option(
            "--email",
            "emails",
            multiple=True,
            help=N_(
                "E-postadress som statements kan bära som aktör (plattformar med "
                "skicka namn på); kan upprepas."
            ),
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _person(
    db: Database, issuer: str, sub: str, client_id: str | None, deployment: str | None
) -> Person:
    from yrkesresan_adapter.privacy import Person

    if client_id is None:  # like the platform commands: the one registration of the issuer
        client_id = SqlPlatformStore(db).get(issuer, None).client_id
    return Person(issuer=issuer, client_id=client_id, sub=sub, deployment_id=deployment)


def _pseudonymizer(settings: Settings) -> Pseudonymizer:
    try:
        return Pseudonymizer.from_settings(settings)
    except YrkesresanError as err:
        raise click.ClickException(error_text(err)) from err


def _unknown(person: Person) -> click.ClickException:
    return click.ClickException(
        gettext(
            N_(
                "Inga uppgifter om %(sub)s hos %(issuer)s (client_id %(client_id)s): kontrollera "
                "utfärdare, sub och --client-id"
            ),
            sub=person.sub,
            issuer=person.issuer,
            client_id=person.client_id,
        )
    )


@learner_group.command(
    "export", help=N_("Skriv ut allt verktyget har om en person som JSON (registerutdrag).")
)
@_person_options
@click.option(
    "--output", type=click.File("w", encoding="utf-8"), default="-", help=N_("Fil att skriva till.")
)
def export(
    issuer: str,
    sub: str,
    client_id: str | None,
    deployment: str | None,
    emails: tuple[str, ...],
    output: Any,
) -> None:
    from yrkesresan_adapter.privacy import find

    settings = current_settings()
    names = _pseudonymizer(settings)
    with open_database() as db:
        person = _person(db, issuer, sub, client_id, deployment)
        with db.engine.connect() as conn:
            found = find(conn, person, names, emails)
    if found.empty:
        raise _unknown(person)
    data = {"exported_at": utcnow().isoformat(), **found.to_json()}
    output.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@learner_group.command(
    "erase",
    help=N_(
        "Radera allt verktyget har om en person, makulera personens statements i LRS och "
        "skriv ut vad LRS-operatören måste radera för hand."
    ),
)
@_person_options
@click.option("--yes", is_flag=True, help=N_("Fråga inte först."))
def erase_command(
    issuer: str,
    sub: str,
    client_id: str | None,
    deployment: str | None,
    emails: tuple[str, ...],
    yes: bool,
) -> None:
    from yrkesresan_adapter.pages import DEFAULT_LRS_TARGET
    from yrkesresan_adapter.privacy import erase, find
    from yrkesresan_adapter.storage.metadata import outbox_tables
    from yrkesresan_lti.outbox.outbox import Outbox
    from yrkesresan_lti.xapi.factory import StatementFactory

    settings = current_settings()
    names = _pseudonymizer(settings)
    targets = [t.name for t in settings.all_lrs_targets] or [DEFAULT_LRS_TARGET]
    with open_database() as db:
        person = _person(db, issuer, sub, client_id, deployment)
        with db.engine.connect() as conn:
            preview = find(conn, person, names, emails)
        if preview.empty:
            raise _unknown(person)
        if not yes:
            click.confirm(_question(preview), abort=True)
        factory = StatementFactory(_catalog(settings), names)
        with db.engine.begin() as conn:  # one transaction: everything or nothing
            found = find(conn, person, names, emails)
            report = erase(
                conn, found, factory, targets, settings.public_url, Outbox(outbox_tables)
            )
    _print_report(found, report, targets)


def _catalog(settings: Settings) -> Any:
    from yrkesresan_lti.catalog import load_catalog
    from yrkesresan_lti.catalog.default import default_catalog_path

    try:
        return load_catalog(settings.catalog_path or default_catalog_path())
    except YrkesresanError as err:
        raise click.ClickException(error_text(err)) from err


def _question(found: Findings) -> str:
    rows = sum(len(r) for r in found.rows.values()) + len(found.launch_states)
    return gettext(
        N_(
            "Radera %(rows)s rader och %(statements)s statements om %(sub)s hos %(issuer)s "
            "(client_id %(client_id)s)?"
        ),
        rows=rows,
        statements=len(found.statements),
        sub=found.person.sub,
        issuer=found.person.issuer,
        client_id=found.person.client_id,
    )


def _print_report(found: Findings, report: ErasureReport, targets: list[str]) -> None:
    for table, count in sorted(report.deleted.items()):
        if count:
            click.echo(gettext(N_("Raderat ur %(table)s: %(count)s"), table=table, count=count))
    for column, count in sorted(report.anonymized.items()):
        if count:
            click.echo(gettext(N_("Ersatt i %(column)s: %(count)s"), column=column, count=count))
    click.echo(
        gettext(
            N_("Makulerings-statements köade till %(targets)s: %(count)s"),
            targets=", ".join(targets),
            count=len(report.voiding),
        )
    )
    if report.kept_as_instructor:
        click.echo(
            gettext(
                N_(
                    "Kvar i utkorgen: %(count)s statements om andra deltagare där personen är "
                    "kursledare (context.instructor); de raderas när de levererats och rensas."
                ),
                count=len(report.kept_as_instructor),
            )
        )
    if report.kept_trainer_register:
        click.echo(
            gettext(
                N_(
                    "Kvar i regionens utbildarregister (ändras av regionen med "
                    "'yrkesresan occasion trainer'): %(keys)s"
                ),
                keys=", ".join(report.kept_trainer_register),
            )
        )
    click.echo(
        gettext(
            N_(
                "xAPI 1.0.3 saknar radering: den som driver LRS:en måste själv radera alla "
                "statements med aktören nedan, med registreringarna nedan och med id:na nedan:"
            )
        )
    )
    for_operator = {
        "actor": found.actor.to_json(),
        "registrations": report.registrations,
        "statement_ids": report.statement_ids,
    }
    click.echo(json.dumps(for_operator, ensure_ascii=False, indent=2))
