"""The core's one translation hook: English until a package installs its catalogs.

The core speaks English (exception messages, logs). Texts a person reads on the command
line (command help and messages of ``yrkesresan catalog|xapi|outbox``) go through
:func:`gettext`; their message ids are the English texts, marked with :func:`N_` or
``gettext`` so ``pybabel extract`` finds them. Without the adapter they print as they are.
The adapter installs its gettext catalogs (Swedish first, English complete) with
:func:`install` when it registers its commands (entry point ``yrkesresan.cli``), so the
core's commands speak the operator's locale without importing the adapter.

Placeholders are ``%(name)s``, filled from the keyword arguments of :func:`gettext`.
Nothing happens at import: the translator is the identity until :func:`install` is called.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str], str]
"""message id → text in the current locale"""


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction where it is defined; :func:`gettext` translates it."""
    return message


def _english(message: str) -> str:
    return message


_translator: list[Translator] = [_english]


def install(translator: Translator) -> None:
    """Translate every later :func:`gettext` with ``translator`` (the adapter's catalogs)."""
    _translator[0] = translator


def uninstall() -> None:
    """Back to English (tests)."""
    _translator[0] = _english


def gettext(message: str, **variables: object) -> str:
    """``message`` in the installed locale, ``%(name)s`` placeholders filled."""
    text = _translator[0](message)
    return text % variables if variables else text
