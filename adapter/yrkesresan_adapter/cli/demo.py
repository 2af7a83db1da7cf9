"""``yrkesresan demo``: everything a new user needs to see the tool work, on loopback.

The example catalog, the adapter in demo mode (the platform simulator at ``/demo``), a local
Ralph LRS in its own virtualenv as the LRS target, and the outbox delivered in the
background. Nothing is fetched from the internet.
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack

import click

from yrkesresan_adapter.web.catalog import CatalogSource
from yrkesresan_lti.catalog.render import COUNT_LABELS
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.logs import configure_logging
from yrkesresan_lti.settings import Settings


def run_demo(settings: Settings, *, start_lrs: bool = True) -> None:
    from yrkesresan_adapter.app import create_app
    from yrkesresan_adapter.delivery import BackgroundDelivery
    from yrkesresan_adapter.demo import RalphServer
    from yrkesresan_adapter.web.request_log import QuietRequestHandler

    configure_logging(settings)
    catalog = CatalogSource(settings)
    catalog_path = catalog.path
    counts = catalog().counts()
    summary = ", ".join(f"{count} {gettext(COUNT_LABELS[name])}" for name, count in counts.items())
    click.echo(gettext(N_("Katalog: %(path)s (%(summary)s)"), path=catalog_path, summary=summary))
    with ExitStack() as stack:
        lrs_note = gettext(N_("ingen LRS: statements väntar i utkorgen"))
        if start_lrs and not settings.all_lrs_targets:
            ralph = RalphServer(data_dir=(settings.instance_path / "ralph").resolve())
            stack.enter_context(ralph)
            # "default": the target the pages queue under before any LRS is configured.
            settings = settings.model_copy(update={"lrs": ralph.lrs_target(name="default")})
            lrs_note = gettext(
                N_("Ralph LRS %(endpoint)s (demokonto %(account)s)"),
                endpoint=ralph.endpoint,
                account=f"{ralph.username}:{ralph.password}",
            )
        elif settings.all_lrs_targets:
            lrs_note = ", ".join(t.endpoint for t in settings.all_lrs_targets)
        app = create_app(settings)
        delivery = BackgroundDelivery(app).start()
        stack.callback(delivery.stop)
        url = settings.public_url
        click.echo(f"LRS: {lrs_note}")
        click.echo(
            gettext(
                N_("Öppna %(url)s/demo  — starta som deltagare, chef eller administratör"),
                url=url,
            )
        )
        click.echo(
            gettext(
                N_("xAPI-profil: %(url)s/xapi/profile.jsonld · Avsluta: Ctrl-C"),
                url=url,
            )
        )
        app.run(
            host=settings.host,
            port=settings.port,
            use_reloader=False,
            threaded=True,
            request_handler=QuietRequestHandler,
        )


def parse_year(raw: str | None, this_year: int) -> int:
    """``--year``: four digits between 2000 and 2100; none: this year."""
    if raw is None:
        return this_year
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100):
        raise click.ClickException(
            gettext(
                N_("--year måste vara ett årtal mellan 2000 och 2100, fick '%(value)s'"), value=raw
            )
        )
    return int(raw)


def run_seed(settings: Settings, *, seed: int, year: int, small: bool = False) -> int:
    """Seed the demo database of ``settings`` with a year; the number of actions played."""
    from yrkesresan_adapter.app import create_app
    from yrkesresan_adapter.demo import (
        Player,
        SeedClock,
        SeededIds,
        Shape,
        already_seeded,
        demo_municipalities,
        plan_year,
        seed_year,
    )
    from yrkesresan_adapter.pages import PagesService
    from yrkesresan_adapter.state import AdapterState

    app = create_app(settings)
    try:
        with app.app_context():
            if already_seeded(app):
                if settings.database_url:  # e.g. PostgreSQL: the instance folder is not it
                    raise click.ClickException(
                        gettext(
                            N_(
                                "Demon har redan ett ifyllt år: börja om med en tom databas "
                                "(en ny databas i YRKESRESAN_DATABASE_URL) för att fylla i "
                                "ett nytt."
                            )
                        )
                    )
                raise click.ClickException(
                    gettext(
                        N_(
                            "Demon har redan ett ifyllt år: börja om med en tom databas "
                            "(ta bort %(path)s) för att fylla i ett nytt."
                        ),
                        path=settings.instance_path,
                    )
                )
            shape = Shape.small() if small else Shape()
            catalog = PagesService.of(app).catalog()
            planned = plan_year(
                catalog,
                seed=seed,
                year=year,
                shape=shape,
                places=demo_municipalities(shape.municipalities, seed=seed),
            )
            click.echo(
                gettext(
                    N_(
                        "Fyller demon med år %(year)s (frö %(seed)s): %(occasions)s "
                        "kurstillfällen, %(participants)s deltagare, %(users)s användare i "
                        "%(municipalities)s kommuner"
                    ),
                    year=year,
                    seed=seed,
                    occasions=len(planned.occasions),
                    participants=shape.participants,
                    users=shape.users,
                    municipalities=len(planned.tenants),
                )
            )
            shown = [-1]

            def progress(done: int, total: int) -> None:
                tenth = done * 10 // total
                if tenth != shown[0]:
                    shown[0] = tenth
                    click.echo(
                        gettext(N_("%(done)s av %(total)s händelser"), done=done, total=total)
                    )

        start = dt.datetime(year, 1, 2, 7, tzinfo=dt.UTC)  # the LMSs are registered then
        player = Player(app, SeedClock(start), SeededIds(seed))
        played = seed_year(app, planned, player, progress=progress)
    finally:
        AdapterState.of(app).services.db.dispose()
    click.echo(
        gettext(
            N_(
                "Klart: %(count)s händelser; statements väntar i utkorgen och levereras till "
                "demons Ralph när du startar yrkesresan demo."
            ),
            count=played,
        )
    )
    return played
