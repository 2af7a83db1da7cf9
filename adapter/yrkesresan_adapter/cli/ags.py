"""``yrkesresan ags``: deliver the AGS scores waiting in the outbox (target ``ags``), and
what ``yrkesresan outbox status`` says about that target."""

from __future__ import annotations

import click
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET
from yrkesresan_lti.settings import Settings

DELIVERED_BY_WORKER = N_("betyg till lärplattformen, levereras av `yrkesresan worker`")


def outbox_targets(settings: Settings) -> dict[str, str]:
    """Entry point ``yrkesresan.outbox_targets``: the adapter's worker delivers ``ags``
    (AGS is always set up in the adapter); line items deleted in the LMS are counted."""
    note = gettext(DELIVERED_BY_WORKER)
    gone = _gone_line_items(settings)
    if gone:
        note += "; " + gettext(
            N_("%(gone)s betygsposter borttagna i lärplattformen, skickas inte längre"),
            gone=gone,
        )
    return {AGS_TARGET: note}


def _gone_line_items(settings: Settings) -> int:
    from yrkesresan_adapter.advantage import PlacementStore, placements_table

    engine = create_engine(settings.sqlalchemy_url, hide_parameters=True)
    try:
        if not inspect(engine).has_table(placements_table.name):
            return 0
        with engine.connect() as conn:
            return PlacementStore(placements_table).gone_line_items(conn)
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


@click.group("ags", help=N_("Betyg till lärplattformarna (AGS)."))
def ags_group() -> None:
    pass


@ags_group.command(
    "flush",
    help=N_("Skicka väntande betyg nu (omförsök behåller sin väntetid)."),
)
def flush() -> None:
    from yrkesresan_adapter.app import create_app
    from yrkesresan_adapter.delivery import delivery_worker
    from yrkesresan_adapter.state import AdapterState

    app = create_app(Settings())
    try:
        worker = delivery_worker(app, targets=[AGS_TARGET])
        with worker.engine.begin() as conn:
            worker.outbox.make_due(conn, worker.targets)
        total = worker.due_count()
        with click.progressbar(length=total, label=gettext(N_("Skickar betyg"))) as bar:
            report = worker.flush(progress=bar.update)
    finally:
        AdapterState.of(app).services.db.dispose()
    click.echo(
        gettext(
            N_("Skickade: %(delivered)s, försöker igen senare: %(retried)s, döda: %(dead)s"),
            delivered=report.delivered,
            retried=report.retried,
            dead=report.dead,
        )
    )
    if report.retried:
        raise click.ClickException(
            gettext(N_("Några betyg togs inte emot; de ligger kvar och försöks igen (se loggen)."))
        )
