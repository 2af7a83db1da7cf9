"""The adapter's commands for the ``yrkesresan`` console script (entry point ``yrkesresan.cli``)."""

from __future__ import annotations

import click

from yrkesresan_lti.settings import Settings


def register(group: click.Group) -> None:
    """Add the adapter's commands to the ``yrkesresan`` group."""
    group.add_command(serve)
    group.add_command(demo)
    from yrkesresan_adapter.cli_db import db_group
    from yrkesresan_adapter.cli_keys import keys_group
    from yrkesresan_adapter.cli_platform import platform_group

    group.add_command(db_group)
    group.add_command(platform_group)
    group.add_command(keys_group)
    from yrkesresan_adapter.cli_advantage import ags_group

    group.add_command(ags_group)


@click.command()
@click.option("--host", default=None, help="Interface to listen on (YRKESRESAN_HOST).")
@click.option("--port", type=int, default=None, help="Port (YRKESRESAN_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Kör adaptern (utvecklingsserver). Run the adapter with Flask's development server."""
    from yrkesresan_adapter.app import create_app

    overrides: dict[str, object] = {}
    if host:
        overrides["host"] = host
    if port:
        overrides["port"] = port
    settings = Settings(**overrides)  # type: ignore[arg-type]
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port)


@click.command()
def demo() -> None:
    """Starta demon: exempelkatalogen och adaptern. Start the demo."""
    from yrkesresan_adapter.app import create_app

    settings = Settings(demo=True)
    app = create_app(settings)
    click.echo(f"Yrkesresan demo: {settings.public_url}/healthz")
    app.run(host=settings.host, port=settings.port)
