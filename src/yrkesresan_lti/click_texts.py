"""click's own texts ("Usage:", "Options", "Error: ...") through the core's translation hook.

click marks its texts with ``gettext``/``ngettext`` imported into its modules as ``_`` and
``ngettext`` at import time, bound to the stdlib's process-wide ``messages`` domain and the
C library's locale variables. :func:`translate_click` points those names of click's modules
at :func:`yrkesresan_lti.i18n.gettext` instead, so click speaks the same locale as our own
texts (the adapter's catalogs, ``YRKESRESAN_LOCALE`` first) and English without them.

:data:`CLICK_TEXTS` lists click's message ids a user of ``yrkesresan`` can meet, so
``pybabel extract`` puts them into our catalogs; ids click uses only for programming errors
(a parameter declared twice, an unknown colour) stay English. A plural pair is two ids:
Swedish and English both have one singular and one plural form. A path's kind ("file",
"directory", "path") is named when click's modules are imported, before any locale is
installed, so the Swedish texts about paths leave it out.
"""

from __future__ import annotations

import importlib

from yrkesresan_lti.i18n import N_, gettext

CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)

CLICK_TEXTS = (
    # help pages
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("deprecated"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("Repeat for confirmation"),
    N_("Press any key to continue..."),
    # usage errors (exit code 2) and aborts
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Aborted!"),
    N_("Missing command."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing parameter: {param_name}"),
    N_("Missing {param_type}"),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Did you mean {possibility}?"),
    N_("(Did you mean one of: {possibilities}?)"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name!r} does not take a value."),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Takes {nargs} values but 1 was given."),
    N_("Takes {nargs} values but {len} were given."),
    N_("Could not open file {filename!r}: {message}"),
    N_("unknown error"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    # parameter types
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} does not match the format {format}."),
    N_("{value!r} does not match the formats {formats}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value!r} is not a valid UUID."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("{name} {filename!r} does not exist."),
)


def click_gettext(message: str) -> str:
    """click's ``_``: the message in the installed locale (no placeholders filled here:
    click formats the result itself)."""
    return gettext(message)


def click_ngettext(singular: str, plural: str, count: int) -> str:
    """click's ``ngettext``: one form for one, the other for any other count."""
    return gettext(singular if count == 1 else plural)


def translate_click() -> None:
    """Let click's texts follow :func:`yrkesresan_lti.i18n.install` (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]
