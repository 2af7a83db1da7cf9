"""``yrkesresan ags``: deliver the AGS scores waiting in the outbox (target ``ags``), and
what ``yrkesresan outbox status`` says about that target."""

from __future__ import annotations

import click
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET
from yrkesresan_lti.settings import Settings

DELIVERED_BY_WORKER = (
    "betyg till LMS, levereras av `yrkesresan worker` / "
    "scores for the LMS, delivered by `yrkesresan worker`"
)


def outbox_targets(settings: Settings) -> dict[str, str]:
    """Entry point ``yrkesresan.outbox_targets``: the adapter's worker delivers ``ags``
    (AGS is always set up in the adapter); line items deleted in the LMS are counted."""
    note = DELIVERED_BY_WORKER
    gone = _gone_line_items(settings)
    if gone:
        note += (
            f"; {gone} betygsposter borttagna i LMS, skickas inte längre / "
            f"{gone} line items deleted in the LMS, no longer sent"
        )
    return {AGS_TARGET: note}


def _gone_line_items(settings: Settings) -> int:
    from yrkesresan_adapter.advantage import PlacementStore, placements_table

    engine = create_engine(settings.sqlalchemy_url)
    try:
        if not inspect(engine).has_table(placements_table.name):
            return 0
        with engine.connect() as conn:
            return PlacementStore(placements_table).gone_line_items(conn)
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


@click.group("ags")
def ags_group() -> None:
    """Betyg till lärplattformarna (AGS). Scores for the LMSs."""


@ags_group.command("flush")
def flush() -> None:
    """Skicka väntande betyg nu / post pending scores now (retries keep their backoff)."""
    from yrkesresan_adapter.app import create_app
    from yrkesresan_adapter.delivery import delivery_worker
    from yrkesresan_adapter.state import AdapterState

    app = create_app(Settings())
    try:
        worker = delivery_worker(app, targets=[AGS_TARGET])
        with worker.engine.begin() as conn:
            worker.outbox.make_due(conn, worker.targets)
        total = worker.due_count()
        with click.progressbar(length=total, label="Skickar betyg / posting scores") as bar:
            report = worker.flush(progress=bar.update)
    finally:
        AdapterState.of(app).services.db.dispose()
    click.echo(
        f"Skickade / posted: {report.delivered}, försöker igen senare / retry later: "
        f"{report.retried}, döda / dead: {report.dead}"
    )
    if report.retried:
        raise click.ClickException(
            "Några betyg togs inte emot; de ligger kvar och försöks igen (se loggen). / "
            "Some scores were not accepted; they stay pending and are retried."
        )
