"""The adapter's commands for the ``yrkesresan`` console script (entry point "
"``yrkesresan.cli``)."""

from __future__ import annotations

import logging

import click
from pydantic import ValidationError

from yrkesresan_adapter.cli.errors import error_text, reported, settings_problems
from yrkesresan_adapter.web.texts import cli_gettext, cli_locale
from yrkesresan_lti.cli import ReportingGroup
from yrkesresan_lti.i18n import N_, install
from yrkesresan_lti.logs import configure_logging
from yrkesresan_lti.settings import Settings

LOG = logging.getLogger("yrkesresan.outbox")


def register(group: click.Group) -> None:
    """Add the adapter's commands to the ``yrkesresan`` group and let every command speak
    the operator's locale (:func:`~yrkesresan_adapter.web.texts.cli_locale`)."""
    install(cli_gettext(cli_locale()))
    if isinstance(group, ReportingGroup):
        group.error_text = error_text
    group.add_command(serve)
    group.add_command(demo)
    group.add_command(worker)
    from yrkesresan_adapter.cli.db import db_group
    from yrkesresan_adapter.cli.keys import keys_group
    from yrkesresan_adapter.cli.platform import platform_group

    group.add_command(db_group)
    group.add_command(platform_group)
    group.add_command(keys_group)
    from yrkesresan_adapter.cli.ags import ags_group
    from yrkesresan_adapter.cli.doctor import doctor

    group.add_command(ags_group)
    from yrkesresan_adapter.cli.occasion import occasion_group

    group.add_command(occasion_group)
    from yrkesresan_adapter.cli.learner import learner_group

    group.add_command(learner_group)
    group.add_command(doctor)


def _settings(**overrides: object) -> Settings:
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(**given)  # type: ignore[arg-type]
    except ValidationError as err:
        raise click.ClickException(settings_problems(err)) from err


@click.command(
    help=N_(
        "Kör adaptern med Flasks utvecklingsserver.\n\n"
        "I produktion: gunicorn -c python:yrkesresan_adapter.gunicorn_conf (se "
        "docs/operations.md) och yrkesresan worker som en egen process."
    )
)
@click.option("--host", default=None, help=N_("Gränssnitt att lyssna på (YRKESRESAN_HOST)."))
@click.option("--port", type=int, default=None, help=N_("Port (YRKESRESAN_PORT)."))
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help=N_("Leverera utkorgen i en bakgrundstråd."),
)
def serve(host: str | None, port: int | None, worker: bool) -> None:
    """Run the adapter with Flask's development server (help: the message ids above)."""
    from yrkesresan_adapter.app import create_app
    from yrkesresan_adapter.delivery import BackgroundDelivery
    from yrkesresan_adapter.web.request_log import QuietRequestHandler

    settings = _settings(host=host, port=port)
    configure_logging(settings)
    with reported():
        app = create_app(settings)
    delivery = BackgroundDelivery(app).start() if worker else None
    try:
        app.run(
            host=settings.host,
            port=settings.port,
            use_reloader=False,
            threaded=True,
            request_handler=QuietRequestHandler,
        )
    finally:
        if delivery:
            delivery.stop()


@click.command(
    help=N_(
        "Leverera utkorgen tills Ctrl-C eller SIGTERM: statements till LRS, betyg via AGS "
        "(pågående omgång avslutas först)."
    )
)
@click.option(
    "--idle", type=float, default=5.0, show_default=True, help=N_("Sekunder mellan varven.")
)
@click.option(
    "--metrics-port",
    type=int,
    default=None,
    help=N_(
        "Visa arbetarens mätvärden på /metrics på den här porten (YRKESRESAN_METRICS__WORKER_PORT)."
    ),
)
def worker(idle: float, metrics_port: int | None) -> None:
    """Deliver the outbox until Ctrl-C or SIGTERM."""
    import signal
    import threading

    from yrkesresan_adapter.app import create_app
    from yrkesresan_adapter.delivery import delivery_worker, serve_worker_metrics

    settings = _settings()
    configure_logging(settings)
    with reported():
        app = create_app(settings)
        outbox_worker = delivery_worker(app)
        serve_worker_metrics(app, metrics_port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signal, _frame: stop.set())
    LOG.info(
        "outbox_worker_started",
        extra={
            "event": "outbox_worker_started",
            "targets": ",".join(outbox_worker.targets) or "-",
            "idle_seconds": idle,
        },
    )
    try:
        outbox_worker.run(stop, idle_seconds=idle)
    except KeyboardInterrupt:
        stop.set()
    LOG.info("outbox_worker_stopped", extra={"event": "outbox_worker_stopped"})


@click.command(
    help=N_(
        "Starta demon: exempelkatalogen, en lokal Ralph-LRS och en simulerad lärplattform på /demo."
    )
)
@click.option("--host", default=None, help=N_("Gränssnitt (YRKESRESAN_HOST, standard 127.0.0.1)."))
@click.option("--port", type=int, default=None, help=N_("Port (YRKESRESAN_PORT, standard 5000)."))
@click.option(
    "--no-lrs",
    is_flag=True,
    help=N_("Starta ingen lokal Ralph: statements väntar i utkorgen."),
)
def demo(host: str | None, port: int | None, no_lrs: bool) -> None:
    """Start the demo (help: the message ids above)."""
    from yrkesresan_adapter.cli.demo import run_demo

    settings = _settings(host=host, port=port, demo=True)
    with reported():
        run_demo(settings, start_lrs=not no_lrs)
