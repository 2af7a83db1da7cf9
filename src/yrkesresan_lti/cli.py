"""The ``yrkesresan`` console script.

The core registers the commands that need no web framework (``catalog``, ``xapi``, ...).
Other installed packages add theirs through the ``yrkesresan.cli`` entry-point group: each
entry point names a function ``register(group: click.Group) -> None``. The adapter uses it
for ``serve``, ``demo``, ``db``, ``platform``, ``keys`` and ``ags``.

Help texts are message ids (:mod:`yrkesresan_lti.i18n`): once every package has
registered (and the adapter has installed its catalogs), :func:`localize` puts each help
text into the operator's locale, so ``--help`` shows one language.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable
from importlib.metadata import entry_points

import click

from yrkesresan_lti import __version__
from yrkesresan_lti.click_texts import translate_click
from yrkesresan_lti.error_texts import error_text
from yrkesresan_lti.exceptions import YrkesresanError
from yrkesresan_lti.i18n import N_, gettext

CORE_COMMAND_MODULES = (
    "yrkesresan_lti.catalog.cli",
    "yrkesresan_lti.xapi.cli",
    "yrkesresan_lti.outbox.cli",
)


class ReportingGroup(click.Group):
    """The root group: an error of ours that no command turned into a message ends the
    command with its text (``error_text``, which a plugin may replace by one knowing more
    codes) and exit code 1, never a traceback."""

    error_text: Callable[[YrkesresanError], str] = staticmethod(error_text)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except YrkesresanError as err:
            raise click.ClickException(self.error_text(err)) from err


def build_cli() -> click.Group:
    """Build the command tree; called at run time, never at import time."""
    translate_click()

    @click.group(
        cls=ReportingGroup,
        context_settings={"help_option_names": ["-h", "--help"]},
        help=N_("Yrkesresan LTI/xAPI: the catalog, the LTI tool and xAPI delivery."),
    )
    @click.version_option(__version__, prog_name="yrkesresan")
    def cli() -> None:
        pass

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
    localize(cli)
    return cli


_HELP_IDS: weakref.WeakKeyDictionary[click.Command | click.Option, str | None] = (
    weakref.WeakKeyDictionary()
)
"""The message id of each help text, kept so a later build in another locale starts over"""


def _translated(owner: click.Command | click.Option, text: str | None) -> str | None:
    message_id = _HELP_IDS.setdefault(owner, text)
    return gettext(message_id) if message_id else message_id


OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")


def localize(command: click.Command) -> None:
    """Translate the help texts of ``command`` and every command and option below it, and
    the usage line's ``[OPTIONS]`` and ``COMMAND [ARGS]...``."""
    command.help = _translated(command, command.help)
    # click caches the --help option, its help text in the locale of its first use; the
    # core's command groups outlive a build (tests build in several locales).
    command._help_option = None
    if command.options_metavar:
        command.options_metavar = gettext(OPTIONS_METAVAR)
    if isinstance(command, click.Group) and not command.chain:
        command.subcommand_metavar = gettext(SUBCOMMAND_METAVAR)
    for param in command.params:
        if isinstance(param, click.Option):
            param.help = _translated(param, param.help)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localize(sub)


def _missing_extra(name: str, reason: str) -> click.Command:
    @click.command(name=f"{name}-unavailable", hidden=True)
    def missing() -> None:
        raise click.ClickException(
            f"{reason}: install the '{name}' extra: pip install 'yrkesresan-lti[{name}]'"
        )

    return missing


def main() -> None:
    build_cli()(prog_name="yrkesresan")
