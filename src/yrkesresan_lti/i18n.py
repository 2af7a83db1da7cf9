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

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Translator = Callable[[str], str]
"""message id → text in the current locale"""


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction where it is defined; :func:`gettext` translates it."""
    return message


def _english(message: str) -> str:
    return message


_translator: list[Translator] = [_english]
_locales: list[Callable[[str], Translator] | None] = [None]
_language: list[str] = ["en"]


def current_language() -> str:
    """The language :func:`gettext` speaks now ("en" until a package installs another)."""
    return _language[0]


def install_locales(translator_for: Callable[[str], Translator]) -> None:
    """Let :func:`language` switch locales: ``translator_for("en")`` gives the translator of
    a locale (the adapter installs its catalogs' lookup)."""
    _locales[0] = translator_for


@contextmanager
def language(locale: str | None) -> Iterator[None]:
    """Inside the block, :func:`gettext` speaks ``locale`` (None: the installed locale).
    Without installed locales (the core alone) the texts stay English."""
    factory = _locales[0]
    if locale is None or factory is None:
        yield
        return
    before = _translator[0], _language[0]
    _translator[0], _language[0] = factory(locale), locale
    try:
        yield
    finally:
        _translator[0], _language[0] = before


def install(translator: Translator, locale: str | None = None) -> None:
    """Translate every later :func:`gettext` with ``translator`` (the adapter's catalogs),
    the translator of ``locale`` (recorded for :func:`current_language`)."""
    _translator[0] = translator
    if locale is not None:
        _language[0] = locale


def uninstall() -> None:
    """Back to English (tests)."""
    _translator[0] = _english
    _locales[0] = None
    _language[0] = "en"


def gettext(message: str, **variables: object) -> str:
    """``message`` in the installed locale, ``%(name)s`` placeholders filled."""
    text = _translator[0](message)
    return text % variables if variables else text
