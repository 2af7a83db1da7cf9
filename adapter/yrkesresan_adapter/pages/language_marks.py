"""Catalog texts in the page's language, marked when they are not.

A catalog text is a language map; an English page shows its English text, else the
Swedish one. :func:`catalog_text` wraps such a fallback in ``<span lang="sv">`` so screen
readers pronounce it as Swedish, and remembers (on ``flask.g``) that the page showed some,
so the page can say that this content exists only in Swedish (:func:`shown_swedish_only`).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import g
from markupsafe import Markup, escape

from yrkesresan_adapter.web.i18n import current_language, text


def language_of(language_map: Mapping[str, str] | None, wanted: str | None = None) -> str:
    """The language of the text :func:`~yrkesresan_adapter.web.i18n.text` picks (for the
    page's language, or ``wanted``)."""
    wanted = wanted or current_language()
    if not language_map:
        return wanted
    if language_map.get(wanted):
        return wanted
    if language_map.get("sv"):
        return "sv"
    return next(iter(language_map))


def catalog_text(language_map: Mapping[str, str] | None) -> Markup:
    """The text, escaped, in a ``<span lang="…">`` when it is not in the page's language."""
    page_language = current_language()  # once: a page shows dozens of catalog texts
    shown = escape(text(language_map, page_language))
    language = language_of(language_map, page_language)
    if language == page_language:
        return shown
    g.yrkesresan_other_language = True
    return Markup('<span lang="{}">{}</span>').format(language, shown)


def shown_swedish_only() -> bool:
    """Whether this page has shown a catalog text in another language than its own."""
    return bool(g.get("yrkesresan_other_language", False))
