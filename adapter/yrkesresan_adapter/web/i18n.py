"""Languages of the pages: Swedish first, English when the launch or the browser asks.

Flask-Babel with gettext catalogs under ``translations/``, the same catalogs the error
pages and the CLI use (:mod:`.texts`). **Swedish is the adapter's source language**:
message ids in templates and code are the Swedish texts, so Swedish never falls back to
anything else; ``translations/en`` translates them to English (``translations/sv`` holds
only the core's CLI texts, whose ids are English). Extract and compile with
``scripts/i18n.sh`` (see ``docs/pages.md``); the compiled ``.mo`` files are committed, so a
fresh clone works without a build step.

Locale choice, first match wins: the launch's ``launch_presentation.locale``
(:attr:`LaunchContext.locale`, put on ``flask.g.yrkesresan_locale`` by the pages), the
browser's ``Accept-Language``, then ``Settings.default_locale`` (``sv``).

Catalog texts are language maps; :func:`text` picks the current language's text, falling
back to Swedish.

Every ``gettext`` (templates and code) goes through :func:`translations`: Flask-Babel's
catalog for the request's locale, remembered for the request while that locale stays (a
page makes dozens of calls; Flask-Babel looks up its context, domain and locale anew for
each, ≈ 6 µs a call).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TypeVar, cast

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, g, has_request_context, request
from flask.globals import _cv_app
from flask_babel import Babel, get_locale, get_translations
from flask_babel import ngettext as babel_ngettext
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from yrkesresan_adapter.state import AdapterState

SUPPORTED = ("sv", "en")
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
_REMEMBERED = "yrkesresan_translations"
_LANGUAGE = "yrkesresan_language"
_T = TypeVar("_T")


def normalize(tag: str | None) -> str | None:
    """``en-GB`` / ``en_US`` → ``en``; unsupported or empty → None."""
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in SUPPORTED else None


def select_locale() -> str:
    launch_locale = normalize(g.get("yrkesresan_locale"))
    if launch_locale:
        return launch_locale
    best = request.accept_languages.best_match(SUPPORTED) if has_request_context() else None
    if best:
        return best
    return AdapterState.of().settings.default_locale


def selected_locale() -> Locale:
    """Flask-Babel's locale selector: :func:`select_locale`'s language as a ``Locale``
    parsed once per process (Flask-Babel parses a selector's string on every request,
    ≈ 15 µs; given a ``Locale`` it takes it as it is)."""
    return _parsed(select_locale())


@lru_cache(maxsize=16)  # the supported languages and the configured default
def _parsed(language: str) -> Locale:
    return Locale.parse(language)


def init_app(app: Flask) -> Babel:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "sv")
    babel = Babel(app, locale_selector=selected_locale)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # ``_("…")`` and ``gettext("…")`` straight to the catalog (see :func:`_template_gettext`)
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext
    AdapterState.of(app).services.babel = babel
    app.jinja_env.globals["lang_text"] = text
    app.jinja_env.globals["current_language"] = current_language
    return babel


def current_language() -> str:
    """The request's language (``str`` of Flask-Babel's locale; ``sv`` outside a request),
    remembered like :func:`translations` (a page asks a dozen times)."""
    return _remembered(_LANGUAGE, lambda: str(get_locale() or "sv"))


def text(language_map: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text of ``language_map`` in the current language, else Swedish, else any."""
    if not language_map:
        return ""
    wanted = language or current_language()
    return language_map.get(wanted) or language_map.get("sv") or next(iter(language_map.values()))


def translations() -> NullTranslations:
    """Flask-Babel's ``get_translations()``, remembered like :func:`_remembered` says."""
    found: NullTranslations = _remembered(_REMEMBERED, get_translations)
    return found


def _remembered(name: str, compute: Callable[[], _T]) -> _T:
    """``compute()``, remembered on Flask-Babel's request context under ``name`` for as long
    as the locale it was found for is the context's (``force_locale`` sets another, then
    puts the first back: either way it is computed again); outside a request, every time."""
    context = _babel_context()
    locale = getattr(context, "babel_locale", None)
    remembered = getattr(context, name, None)
    if remembered is not None and locale is not None and remembered[0] is locale:
        return cast(_T, remembered[1])
    value = compute()
    context = _babel_context()  # compute() may have made it
    locale = getattr(context, "babel_locale", None)
    if locale is not None:
        setattr(context, name, (locale, value))
    return value


def _babel_context() -> object | None:
    """Flask-Babel's context of this app context (on ``g``), or None; read from Flask's
    context variable itself, not through the ``g`` proxy (twice per ``gettext``), and from
    ``g``'s own dict: ``getattr`` on ``g`` raises and catches an ``AttributeError`` while
    Flask-Babel has not made it yet."""
    app_context = _cv_app.get(None)
    return None if app_context is None else vars(app_context.g).get("_flask_babel")


@pass_context
def _template_gettext(context: Context, message: str, /, **variables: object) -> str:
    """A template's ``_("…")`` or ``gettext("…")``: what Jinja's newstyle ``gettext`` (that
    ``install_gettext_callables`` above installs) answers, the same string, in one call.
    Jinja's ``_`` resolves ``gettext`` and calls it, which calls the installed callable,
    each through ``Context.call`` (three calls and their checks, ≈ 5 µs a text; a page
    shows a dozen)."""
    found = translations().ugettext(message)
    if context.eval_ctx.autoescape:
        found = Markup(found)  # noqa: S704 - our catalog's text, as Jinja marks it
    if not variables and "%" not in found:  # formatting would give the same text back
        return found
    return found % variables  # always a format string, as Jinja's newstyle gettext


def gettext(message: str, **variables: object) -> str:
    """Flask-Babel's ``gettext``, typed (``%(name)s`` placeholders filled from ``variables``)."""
    found = str(translations().ugettext(message))
    return found % variables if variables else found


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """Flask-Babel's ``ngettext``: the plural form of ``num`` in the page's language
    (``%(num)s`` is ``num``; other placeholders from ``variables``)."""
    return str(babel_ngettext(singular, plural, num, **variables))
