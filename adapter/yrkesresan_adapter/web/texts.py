"""Texts outside a page's request language: one catalog lookup with an explicit locale.

The same gettext catalogs as the pages (``translations/``), loaded with
:class:`babel.support.Translations` for the launch error page (language of the
``Accept-Language`` header), the Advantage error pages and the CLI (no request at all).
The adapter's message ids are Swedish (``sv`` leaves them as they are); the core's CLI
texts have English ids, translated in ``sv`` (:mod:`yrkesresan_lti.i18n`).

The CLI's locale, first match wins: ``YRKESRESAN_LOCALE``, then ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` when they name Swedish or English (``en_GB.UTF-8``), else Swedish
(``C.UTF-8`` and unset alike).

:func:`N_` marks a message id for ``pybabel extract`` where it is defined (tables of error
texts) and returns it unchanged; :func:`translate` looks it up later.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
SUPPORTED = ("sv", "en")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction; translate it later with :func:`translate`."""
    return message


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of ``locale`` (unknown locales: no translation)."""
    if locale not in SUPPORTED:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [locale])


def cli_locale(environ: Mapping[str, str] | None = None) -> str:
    """The command line's language: ``sv`` or ``en`` (see the module's docstring)."""
    env = os.environ if environ is None else environ
    for name in ("YRKESRESAN_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG"):
        language = env.get(name, "").replace("-", "_").split("_")[0].split(".")[0].lower()
        if language in SUPPORTED:
            return language
    return "sv"


def cli_gettext(locale: str) -> Callable[[str], str]:
    """The translator the CLI installs in the core (:func:`yrkesresan_lti.i18n.install`)."""
    return translations(locale).gettext


def translate(locale: str, message: str, **variables: object) -> str:
    """``message`` in ``locale``, ``{name}`` placeholders filled from ``variables``
    (a missing one prints as ``?``)."""
    return translations(locale).gettext(message).format_map(_Blank(variables))


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"
