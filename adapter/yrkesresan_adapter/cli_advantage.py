"""``yrkesresan ags``: deliver the AGS scores waiting in the outbox (target ``ags``)."""

from __future__ import annotations

import click

from yrkesresan_lti.settings import Settings


@click.group("ags")
def ags_group() -> None:
    """Betyg till lärplattformarna (AGS). Scores for the LMSs."""


@ags_group.command("flush")
def flush() -> None:
    """Skicka väntande betyg nu / post pending scores now (retries keep their backoff)."""
    from yrkesresan_adapter.advantage_views import ags_worker
    from yrkesresan_adapter.app import create_app
    from yrkesresan_adapter.state import AdapterState

    app = create_app(Settings())
    try:
        worker = ags_worker(app)
        with worker.engine.begin() as conn:
            worker.outbox.make_due(conn, worker.targets)
        total = worker.due_count()
        with click.progressbar(length=total, label="Skickar betyg / posting scores") as bar:
            report = worker.flush(progress=bar.update)
    finally:
        AdapterState.of(app).services["db"].dispose()
    click.echo(
        f"Skickade / posted: {report.delivered}, försöker igen senare / retry later: "
        f"{report.retried}, döda / dead: {report.dead}"
    )
    if report.retried:
        raise click.ClickException(
            "Några betyg togs inte emot; de ligger kvar och försöks igen (se loggen). / "
            "Some scores were not accepted; they stay pending and are retried."
        )
