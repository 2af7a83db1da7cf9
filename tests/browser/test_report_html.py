"""The HTML report of ``yrkesresan report`` in Chromium: it fetches nothing (every request
is refused and counted), fits 390 px without sideways scrolling, and axe-core finds no
WCAG 2.1 A/AA violation, in Swedish and in English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.browser.conftest import axe_violations
from tests.reports.history import OCCASION, OTHER_DAY, History
from yrkesresan_adapter.web.texts import cli_gettext
from yrkesresan_lti.i18n import install_locales, language
from yrkesresan_lti.reports.from_statements import figures_from_statements
from yrkesresan_lti.reports.html import html_report


@pytest.fixture(scope="module")
def reports() -> dict[str, str]:
    history = History(seats={OCCASION: 25})
    codes = ("1480", "1480", "1401", "0180", "2480", None, "2584", "1280")
    for n, code in enumerate(codes):
        learner = history.learner(n, code)
        history.register(learner)
        history.attend(learner)
        history.attend(learner, OTHER_DAY)
        history.rate(learner, 5 if n % 3 else 3)
        history.reach(learner)
    figures = figures_from_statements(history.statements)
    install_locales(cli_gettext)
    made = {}
    created = datetime(2027, 1, 15, 8, 30, tzinfo=UTC)
    for lang in ("sv", "en"):
        with language(lang):
            made[lang] = html_report(
                figures, lang=lang, source="https://lrs.example.se/xAPI/", created=created
            )
    return made


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.fetched = []
    page.route("**/*", lambda route: (page.fetched.append(route.request.url), route.abort()))
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_report_is_offline_fits_and_passes_axe(
    page: Any, reports: dict[str, str], lang: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(reports[lang], wait_until="load")
    assert page.fetched == []
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("svg.yr-map path[data-code]").count() == 290
    sideways = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert sideways <= 0, f"the report scrolls sideways by {sideways} px at {width} px"
    assert axe_violations(page) == []
