"""``yrkesresan demo``: everything a new user needs to see the tool work, on loopback.

The example catalog, the adapter in demo mode (the platform simulator at ``/demo``), a local
Ralph LRS in its own virtualenv as the LRS target, and the outbox delivered in the
background. Nothing is fetched from the internet.
"""

from __future__ import annotations

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
