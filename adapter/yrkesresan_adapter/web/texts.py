"""Texts outside a page's request language: one catalog lookup with an explicit locale.

The same gettext catalogs as the pages (``translations/``), loaded with
:class:`babel.support.Translations` for the launch error page (language of the
``Accept-Language`` header), the Advantage error pages and the CLI (no request at all).
Swedish is the source language, so ``sv`` is the identity.

:func:`N_` marks a message id for ``pybabel extract`` where it is defined (tables of error
texts) and returns it unchanged; :func:`translate` looks it up later.
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
SUPPORTED = ("sv", "en")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction; translate it later with :func:`translate`."""
    return message


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of ``locale`` (``sv`` and unknown locales: no translation)."""
    if locale not in SUPPORTED or locale == "sv":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [locale])


def translate(locale: str, message: str, **variables: object) -> str:
    """``message`` in ``locale``, ``{name}`` placeholders filled from ``variables``
    (a missing one prints as ``?``)."""
    return translations(locale).gettext(message).format_map(_Blank(variables))


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"
