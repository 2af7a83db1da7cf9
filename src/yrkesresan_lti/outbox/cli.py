"""``yrkesresan outbox ...``: status, flush, retry-dead, purge-delivered, init-db.

Reads :class:`~yrkesresan_lti.settings.Settings` (database ``YRKESRESAN_DATABASE_URL``,
LRS targets ``YRKESRESAN_LRS__*`` / ``YRKESRESAN_LRS_TARGETS``). Works on the adapter's
database (its migrations create the table) or standalone after ``outbox init-db``.

Targets other than LRSs (the adapter's ``ags``: scores its worker posts to the LMSs) are
told by installed packages through the ``yrkesresan.outbox_targets`` entry-point group:
each names a function ``(settings) -> {target: note}``; ``status`` shows the note instead
of "not configured".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from importlib.metadata import entry_points

import click
from sqlalchemy import Engine, MetaData, create_engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_lti.cli_output import echo_json, ensure_instance_dir, json_option
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.settings import Settings

from .lrs import deliverers_from_settings
from .outbox import Outbox
from .schema import DEFAULT_TABLE_NAME, define_outbox_tables
from .worker import OutboxWorker

NO_LRS = N_(
    "No LRS is configured: statements wait safely in the outbox until YRKESRESAN_LRS__ENDPOINT "
    "(or YRKESRESAN_LRS_TARGETS) is set."
)
HEADINGS = (N_("target"), N_("pending"), N_("delivered"), N_("dead"))
_DURATION = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def register(group: click.Group) -> None:
    group.add_command(outbox)


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise click.BadParameter(
            gettext(N_("%(text)s: give e.g. 30d, 12h or 90m"), text=repr(text))
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _open(settings: Settings, *, create: bool = False) -> tuple[Engine, Outbox]:
    if settings.database_url is None:
        if create:
            ensure_instance_dir(settings.instance_path)
        elif not settings.instance_path.is_dir():  # no database yet: do not create one
            raise click.ClickException(_missing_table())
    engine = create_engine(settings.sqlalchemy_url, hide_parameters=True)
    metadata = MetaData()
    tables = define_outbox_tables(metadata)
    try:
        if create:
            metadata.create_all(engine)
        exists = create or inspect(engine).has_table(tables.entries.name)
    except SQLAlchemyError as err:
        engine.dispose()
        url = engine.url.render_as_string(hide_password=True)
        raise click.ClickException(
            gettext(
                N_("Cannot open the database %(url)s: %(error)s"),
                url=url,
                error=getattr(err, "orig", None) or err,
            )
        ) from err
    if not exists:
        engine.dispose()
        raise click.ClickException(_missing_table())
    return engine, Outbox(tables)


def _missing_table() -> str:
    return gettext(
        N_(
            "The table %(table)s is missing: run `yrkesresan outbox init-db` (or the "
            "adapter's migrations)."
        ),
        table=DEFAULT_TABLE_NAME,
    )


TargetNotes = Callable[[Settings], Mapping[str, str]]


def worker_targets(settings: Settings) -> dict[str, str]:
    """Target → note of every non-LRS target an installed package's worker delivers."""
    notes: dict[str, str] = {}
    for entry in entry_points(group="yrkesresan.outbox_targets"):
        try:
            describe: TargetNotes = entry.load()
        except ImportError:
            continue  # the package's extra is not installed: it delivers nothing
        notes.update(describe(settings))
    return notes


@click.group(
    "outbox",
    help=N_("The outbox: statements waiting for delivery to the LRS."),
)
def outbox() -> None:
    pass


@outbox.command("init-db", help=N_("Create the outbox table (standalone use)."))
def init_db() -> None:
    engine, box = _open(Settings(), create=True)
    engine.dispose()
    click.echo(gettext(N_("Done: %(table)s"), table=box.tables.entries.name))


@outbox.command("status", help=N_("Counts per target and status, and the oldest pending entry."))
@json_option
def status(as_json: bool) -> None:
    settings = Settings()
    engine, box = _open(settings)
    with engine.connect() as conn:
        report = box.status(conn)
    engine.dispose()
    configured = {t.name for t in settings.all_lrs_targets}
    others = worker_targets(settings)
    rows = []
    for name in sorted(set(report.targets) | configured | set(others)):
        row = report.targets.get(name)
        pending, delivered, dead = (row.pending, row.delivered, row.dead) if row else (0, 0, 0)
        rows.append((name, pending, delivered, dead))
    age = report.oldest_pending_age(box.clock.now())
    if as_json:
        echo_json(
            {
                "targets": [
                    {
                        "name": name,
                        "pending": pending,
                        "delivered": delivered,
                        "dead": dead,
                        "configured": name in configured or name in others,
                    }
                    for name, pending, delivered, dead in rows
                ],
                "oldest_pending_age_seconds": int(age.total_seconds()) if age is not None else None,
                "lrs_configured": bool(configured),
            }
        )
        return
    heads = [gettext(h) for h in HEADINGS]
    click.echo(f"{heads[0]:<24}{heads[1]:>16}{heads[2]:>22}{heads[3]:>11}")
    for name, pending, delivered, dead in rows:
        if name in configured:
            note = ""
        elif name in others:
            note = f"  ({others[name]})"
        else:
            note = "  (" + gettext(N_("not configured")) + ")"
        click.echo(f"{name:<24}{pending:>16}{delivered:>22}{dead:>11}{note}")
    oldest = f"{int(age.total_seconds())} s" if age is not None else "–"
    click.echo(gettext(N_("Oldest pending: %(age)s"), age=oldest))
    if not configured:
        click.echo(gettext(NO_LRS))


@outbox.command("flush", help=N_("Deliver everything pending now."))
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help=N_("Entries taken from the outbox per round."),
)
def flush(batch_size: int) -> None:
    settings = Settings()
    if not settings.all_lrs_targets:
        click.echo(gettext(NO_LRS))
        return
    engine, box = _open(settings)
    deliverers = deliverers_from_settings(settings)
    worker = OutboxWorker(
        engine,
        deliverers,
        outbox=box,
        batch_size=batch_size,
        lease=settings.outbox_lease,
        heartbeat=settings.outbox_heartbeat,
        in_flight=settings.outbox_batches_in_flight,
    )
    try:
        with engine.begin() as conn:
            box.make_due(conn, worker.targets)
        total = worker.due_count()
        with click.progressbar(length=total, label=gettext(N_("Delivering"))) as bar:
            report = worker.flush(progress=bar.update)
    finally:
        for deliverer in deliverers.values():
            close = getattr(deliverer, "close", None)
            if close is not None:
                close()
        engine.dispose()
    click.echo(
        gettext(
            N_("Delivered: %(delivered)s, retry later: %(retried)s, dead: %(dead)s"),
            delivered=report.delivered,
            retried=report.retried,
            dead=report.dead,
        )
    )
    if report.retried:
        raise click.ClickException(
            gettext(
                N_("The LRS did not accept everything; the entries stay pending and are retried.")
            )
        )


@outbox.command("retry-dead", help=N_("Queue the dead entries again."))
@click.option("--target", default=None, help=N_("Only this target."))
def retry_dead(target: str | None) -> None:
    engine, box = _open(Settings())
    with engine.begin() as conn:
        count = box.retry_dead(conn, target)
    engine.dispose()
    click.echo(gettext(N_("Requeued: %(count)s"), count=count))


@outbox.command("purge-delivered", help=N_("Delete delivered entries older than --older-than."))
@click.option(
    "--older-than",
    "older_than",
    default="30d",
    show_default=True,
    help=N_("Age: days, hours or minutes, e.g. 30d, 12h or 90m."),
)
def purge_delivered(older_than: str) -> None:
    age = parse_duration(older_than)
    engine, box = _open(Settings())
    with engine.begin() as conn:
        count = box.purge_delivered(conn, age)
    engine.dispose()
    click.echo(gettext(N_("Deleted: %(count)s"), count=count))
