"""``yrkesresan doctor``: check the installation and say what to fix (exit code 1 if not ok).

Configuration, the database and its migrations, the tool's keys, every platform's key set
URL (fetched and parsed as JWKS), every LRS target (``about`` and a read of one statement
with the target's credentials) and the clock against the HTTP ``Date`` of those answers.
The checks are in :mod:`yrkesresan_adapter.cli.checks`.
"""

from __future__ import annotations

import click
from pydantic import ValidationError

from yrkesresan_adapter.cli.checks import Check, Doctor
from yrkesresan_adapter.cli.errors import invalid_settings
from yrkesresan_lti.cli_output import (
    EXIT_OK,
    EXIT_PROBLEM,
    echo_json,
    ensure_instance_dir,
    json_option,
)
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.settings import Settings

MARKS = {"ok": N_("ok"), "fail": N_("FEL"), "skip": N_("hoppas över")}
NAMES = {
    "configuration": N_("inställningar"),
    "database": N_("databas"),
    "migrations": N_("migreringar"),
    "keys": N_("nycklar"),
    "platform": N_("plattform"),
    "lrs": "LRS",
    "clock": N_("klocka"),
}


@click.command(
    "doctor",
    help=N_(
        "Kontrollera installationen: inställningar, databas och migreringar, nycklar, "
        "plattformarnas JWKS-adresser, LRS-målen och klockan; felkod 1 om något behöver "
        "åtgärdas."
    ),
)
@json_option
def doctor(as_json: bool) -> None:
    given = click.get_current_context().find_object(Settings)
    try:
        settings = given or Settings()
    except ValidationError as err:
        failed = Check(
            "configuration",
            "fail",
            "settings_invalid",
            N_("Ogiltiga inställningar: %(problems)s"),
            N_("Rätta YRKESRESAN_*-variablerna eller .env."),
            details={"problems": invalid_settings(err)},
        )
        _report([failed], as_json)
        return
    if settings.database_url is None:
        ensure_instance_dir(settings.instance_path)
    _report(list(Doctor(settings).run()), as_json)


def _report(checks: list[Check], as_json: bool) -> None:
    ok = all(check.status != "fail" for check in checks)
    if as_json:
        echo_json(
            {
                "ok": ok,
                "checks": [
                    {
                        "name": c.name,
                        "target": c.target or None,
                        "status": c.status,
                        "code": c.code,
                        "message": gettext(c.message, **c.details),
                        "fix": gettext(c.fix, **c.details) if c.fix else None,
                        "details": c.details,
                    }
                    for c in checks
                ],
            }
        )
    else:
        for c in checks:
            name = gettext(NAMES[c.name]) + (f" {c.target}" if c.target else "")
            click.echo(f"[{gettext(MARKS[c.status])}] {name}: {gettext(c.message, **c.details)}")
            if c.fix and c.status == "fail":
                click.echo(
                    "      " + gettext(N_("Åtgärd: %(fix)s"), fix=gettext(c.fix, **c.details))
                )
        verdict = N_("Allt ser bra ut.") if ok else N_("Något behöver åtgärdas (se FEL ovan).")
        click.echo(gettext(verdict))
    raise SystemExit(EXIT_OK if ok else EXIT_PROBLEM)
