"""``yrkesresan occasion``: the course occasions a region runs (docs/occasions.md).

``add|list|show|edit|cancel|import FILE.csv|export`` and ``trainer add|list`` work on the
database through the same :class:`~yrkesresan_adapter.pages.occasions.planning.Planning`
as the admin page: every change is checked, audited and all-or-nothing; a refusal prints a
clear message and exits 1. ``list`` and ``show`` take ``--json`` (stable keys).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from yrkesresan_adapter.cli.db import current_settings
from yrkesresan_adapter.cli.errors import error_text
from yrkesresan_adapter.pages import PagesService
from yrkesresan_adapter.pages.occasions import OccasionService, Planning, Trainer
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.exceptions import InvalidOccasion, OccasionCsvError, YrkesresanError
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.occasion_csv import parse_day, write_occasions
from yrkesresan_lti.occasion_plan import OccasionStatus, PlannedDay, PlannedOccasion

ACTOR = "cli"


@contextmanager
def _disposed(app: Flask) -> Iterator[None]:
    """Close the command's database connections when it ends (a CLI run is one process's
    whole life for its pool, on PostgreSQL too)."""
    try:
        yield
    finally:
        AdapterState.of(app).services.db.dispose()


@contextmanager
def _planning() -> Iterator[tuple[Planning, OccasionService]]:
    """(``Planning``, ``OccasionService``) of an app on the configured database, inside
    its app context; errors become a message and exit 1."""
    from yrkesresan_adapter.app import create_app

    app = create_app(current_settings())
    with app.app_context(), _disposed(app):
        pages = PagesService.of()
        service = OccasionService.of()
        assert service.overlay is not None
        try:
            catalog = AdapterState.of(app).services.catalog.file_catalog()
            service.overlay.seed(catalog, now=pages.clock.now())
            yield service.planning(pages), service
        except OccasionCsvError as err:
            for line, column, message, details in err.problems:
                where = gettext(N_("rad %(line)s"), line=line)
                if column:
                    where += ", " + gettext(N_("kolumn %(column)s"), column=column)
                click.echo(f"{where}: {gettext(message, **details)}", err=True)
            raise click.ClickException(
                gettext(N_("%(n)s problem: inget importerades"), n=len(err.problems))
            ) from err
        except InvalidOccasion as err:
            message = gettext(err.details.get("message_id", ""), **err.details)
            raise click.ClickException(f"{err.reason}: {message}") from err
        except YrkesresanError as err:
            raise click.ClickException(error_text(err)) from err
        except SQLAlchemyError as err:
            raise click.ClickException(
                gettext(N_("Databasen kan inte användas: %(error)s"), error=type(err).__name__)
            ) from err


def _json(occasion: PlannedOccasion) -> dict[str, object]:
    return {
        "iri": occasion.iri,
        "course": occasion.course_iri,
        "slug": occasion.slug,
        "region": occasion.region,
        "title": occasion.title,
        "status": occasion.status.value,
        "capacity": occasion.capacity,
        "registration_deadline": occasion.registration_deadline.isoformat(),
        "place": occasion.place,
        "meeting_url": occasion.meeting_url,
        "trainers": list(occasion.trainers),
        "municipalities": list(occasion.municipalities),
        "days": [
            {
                "number": n,
                "date": d.date.isoformat(),
                "start": f"{d.start:%H:%M}",
                "end": f"{d.end:%H:%M}",
                "sequence": d.sequence,
            }
            for n, d in enumerate(occasion.days, start=1)
        ],
    }


@click.group("occasion", help=N_("Kurstillfällen som regionen anordnar."))
def occasion_group() -> None:
    pass


def _days(values: tuple[str, ...]) -> tuple[PlannedDay, ...]:
    try:
        return tuple(parse_day(v) for v in values)
    except ValueError as err:
        raise click.BadParameter(
            gettext(
                N_("%(value)s is not a course day like 2027-09-14 09:00-16:00"), value=str(err)
            ),
            param_hint="--day",
        ) from None


DAY = click.option(
    "--day", "days", multiple=True, help=N_("Kursdag: '2027-09-14 09:00-16:00' (upprepas).")
)


@occasion_group.command("add", help=N_("Lägg till ett kurstillfälle."))
@click.option("--course", required=True, help=N_("Kursens IRI i katalogen."))
@click.option("--slug", required=True, help=N_("Tillfällets kortnamn, t.ex. ht-2027."))
@click.option("--region", required=True, help=N_("Regionen (RSS) som anordnar."))
@DAY
@click.option("--capacity", type=int, required=True, help=N_("Antal platser."))
@click.option(
    "--deadline", type=click.DateTime(["%Y-%m-%d"]), required=True, help=N_("Sista anmälningsdag.")
)
@click.option("--place", default=None, help=N_("Plats."))
@click.option("--meeting-url", default=None, help=N_("Möteslänk."))
@click.option("--trainer", "trainers", multiple=True, help=N_("Utbildare (nyckel i registret)."))
@click.option(
    "--municipality", "municipalities", multiple=True, help=N_("Plattform (issuer) som får anmäla.")
)
@click.option("--status", type=click.Choice(["planned", "open"]), default="open", show_default=True)
def add(
    course: str,
    slug: str,
    region: str,
    days: tuple[str, ...],
    capacity: int,
    deadline: dt.datetime,
    place: str | None,
    meeting_url: str | None,
    trainers: tuple[str, ...],
    municipalities: tuple[str, ...],
    status: str,
) -> None:
    occasion = PlannedOccasion(
        course_iri=course,
        slug=slug,
        region=region,
        days=_days(days),
        capacity=capacity,
        registration_deadline=deadline.date(),
        place=place,
        meeting_url=meeting_url,
        trainers=trainers,
        municipalities=municipalities,
        status=OccasionStatus(status),
    )
    with _planning() as (planning, _service), _session() as db:
        planning.add(db, occasion, actor=ACTOR, now=_now())
    click.echo(gettext(N_("Kurstillfället %(iri)s är tillagt."), iri=occasion.iri))


def _now() -> dt.datetime:
    return PagesService.of().clock.now()


@contextmanager
def _session() -> Iterator[Session]:
    with PagesService.of().sessions() as db:
        yield db


@occasion_group.command("list", help=N_("Lista kurstillfällena."))
@click.option("--region", default=None, help=N_("Bara en regions tillfällen."))
@click.option("--json", "as_json", is_flag=True, help=N_("Skriv JSON."))
def list_occasions(region: str | None, as_json: bool) -> None:
    with _planning() as (planning, service), _session() as db:
        found = planning.plans.find(db, region=region)
        taken = service.store.taken(db, [o.iri for o in found])
        waiting = service.waiting.counts(db, [o.iri for o in found])
    if as_json:
        rows = [{**_json(o), "registered": taken[o.iri], "waiting": waiting[o.iri]} for o in found]
        click.echo(json.dumps({"occasions": rows}, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(gettext(N_("Inga kurstillfällen.")))
    for o in found:
        click.echo(
            f"{o.iri}  {o.status.value}  {o.days[0].date}  "
            f"{taken[o.iri]}/{o.capacity} (+{waiting[o.iri]})  {o.region}"
        )


@occasion_group.command("show", help=N_("Visa ett kurstillfälle med dess ändringslogg."))
@click.argument("iri")
@click.option("--json", "as_json", is_flag=True, help=N_("Skriv JSON."))
def show(iri: str, as_json: bool) -> None:
    with _planning() as (planning, service), _session() as db:
        occasion = planning._get(db, iri)
        taken = service.store.taken(db, [iri])[iri]
        waiting = service.waiting.counts(db, [iri])[iri]
        trail = planning.plans.audit_trail(db, iri)
    data = {
        **_json(occasion),
        "registered": taken,
        "waiting": waiting,
        "audit": [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "details": e.details}
            for e in trail
        ],
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        if key not in ("days", "audit"):
            click.echo(f"{key}: {value}")
    for day in occasion.days:
        click.echo(f"  {day.date} {day.start:%H:%M}-{day.end:%H:%M}")
    for entry in trail:
        click.echo(f"  {entry.at:%Y-%m-%d %H:%M} {entry.actor} {entry.action} {entry.details}")


@occasion_group.command("edit", help=N_("Ändra ett kurstillfälle (bara angivna fält)."))
@click.argument("iri")
@DAY
@click.option("--capacity", type=int, default=None)
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--place", default=None)
@click.option("--meeting-url", default=None)
@click.option("--trainer", "trainers", multiple=True)
@click.option("--status", type=click.Choice(["planned", "open", "held"]), default=None)
def edit(
    iri: str,
    days: tuple[str, ...],
    capacity: int | None,
    deadline: dt.datetime | None,
    place: str | None,
    meeting_url: str | None,
    trainers: tuple[str, ...],
    status: str | None,
) -> None:
    with _planning() as (planning, _service), _session() as db:
        old = planning._get(db, iri)
        changed = replace(
            old,
            days=_days(days) if days else old.days,
            capacity=capacity if capacity is not None else old.capacity,
            registration_deadline=deadline.date() if deadline else old.registration_deadline,
            place=place if place is not None else old.place,
            meeting_url=meeting_url if meeting_url is not None else old.meeting_url,
            trainers=trainers or old.trainers,
            status=OccasionStatus(status) if status else old.status,
        )
        planning.edit(db, changed, actor=ACTOR, now=_now())
    click.echo(gettext(N_("Kurstillfället %(iri)s är ändrat."), iri=iri))


@occasion_group.command(
    "cancel", help=N_("Ställ in ett kurstillfälle: de anmälda och deras chefer får ett meddelande.")
)
@click.argument("iri")
def cancel(iri: str) -> None:
    with _planning() as (planning, _service), _session() as db:
        n = planning.cancel(db, iri, actor=ACTOR, now=_now())
    click.echo(
        gettext(N_("Kurstillfället %(iri)s är inställt (%(n)s anmälda meddelas)."), iri=iri, n=n)
    )


@occasion_group.command(
    "import", help=N_("Importera kurstillfällen från en CSV-fil (allt eller inget).")
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_csv(path: Path) -> None:
    data = path.read_bytes()
    with _planning() as (planning, _service), _session() as db:
        added, changed = planning.import_csv(db, data, actor=ACTOR, now=_now())
    click.echo(
        gettext(N_("%(added)s tillagda, %(changed)s ändrade."), added=added, changed=changed)
    )


@occasion_group.command(
    "export", help=N_("Skriv kurstillfällena som CSV (samma format som import).")
)
@click.option("--region", default=None)
def export(region: str | None) -> None:
    with _planning() as (planning, _service), _session() as db:
        found = planning.plans.find(db, region=region)
    click.echo(write_occasions(found), nl=False)


@occasion_group.command("trainer", help=N_("Lägg till eller ändra en utbildare i registret."))
@click.argument("key")
@click.option("--region", required=True)
@click.option("--name", required=True)
@click.option("--email", default=None)
def trainer(key: str, region: str, name: str, email: str | None) -> None:
    with _planning() as (planning, _service), _session() as db:
        planning.plans.put_trainer(db, Trainer(key, region, name, email))
        planning.plans.audit(db, f"trainer:{key}", "trainer", actor=ACTOR, now=_now())
    click.echo(gettext(N_("Utbildaren %(key)s är sparad."), key=key))
