"""The ``yrkesresan`` console script.

The core registers the commands that need no web framework (``catalog``, ``xapi``, ...).
Other installed packages add theirs through the ``yrkesresan.cli`` entry-point group: each
entry point names a function ``register(group: click.Group) -> None``. The adapter uses it
for ``serve``, ``demo``, ``db``, ``platform``, ``keys`` and ``outbox``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points

import click

from yrkesresan_lti import __version__

CORE_COMMAND_MODULES = (
    "yrkesresan_lti.catalog.cli",
    "yrkesresan_lti.xapi.cli",
    "yrkesresan_lti.outbox.cli",
)


def build_cli() -> click.Group:
    """Build the command tree; called at run time, never at import time."""

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="yrkesresan")
    def cli() -> None:
        """Yrkesresan LTI/xAPI: katalog, LTI-verktyg och xAPI-leverans."""

    for module_name in CORE_COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        register: Callable[[click.Group], None] = module.register
        register(cli)
    for entry in entry_points(group="yrkesresan.cli"):
        try:
            plugin: Callable[[click.Group], None] = entry.load()
        except ModuleNotFoundError as err:
            # The adapter's extra (Flask etc.) is not installed: its commands are absent.
            cli.add_command(_missing_extra(entry.name, str(err)))
            continue
        plugin(cli)
    return cli


def _missing_extra(name: str, reason: str) -> click.Command:
    @click.command(name=f"{name}-unavailable", hidden=True)
    def missing() -> None:
        raise click.ClickException(
            f"{reason}: install the '{name}' extra: pip install 'yrkesresan-lti[{name}]'"
        )

    return missing


def main() -> None:
    build_cli()(prog_name="yrkesresan")
