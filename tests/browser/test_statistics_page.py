"""The admin's statistics page in Chromium, inside the LMS iframe, at 390 and 1280 px.

The demo's administrator opens *Statistik* from the menu over a seeded history (people of
several municipalities attended and answered the evaluation), sees the key figures, the map
of Sweden with its table and the charts with theirs, narrows the figures to one county with
the keyboard, and the page never scrolls sideways; axe-core finds no WCAG 2.1 A/AA violation
at either width, before or after filtering.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Servers, screenshot, sideways_scroll
from tests.browser.test_pages_in_iframe import launch_in_iframe, no_violations
from tests.stats.history import day, question, statement
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.stats.ledger import Ledger
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.catalog.default import default_catalog_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLACES = {"1480": "14", "1402": "14", "1490": "14", "0180": "01", "1280": "12"}


@pytest.fixture(scope="module")
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


@pytest.fixture(scope="module", autouse=True)
def history(servers: Servers) -> None:
    """Forty people in five municipalities attended the first two courses and answered."""
    catalog = load_catalog(default_catalog_path())
    courses = [course for _j, _s, course in catalog.courses()][:2]
    made = []
    for n in range(40):
        course = courses[n % 2].iri
        code = list(PLACES)[n % len(PLACES)]
        county = PLACES[code]
        occasion = f"{course}/occasions/demo-{n % 3}"
        made.append(statement("registered", f"p{n}", occasion, municipality=code, county=county))
        made.append(
            statement("attended", f"p{n}", day(occasion, 1), municipality=code, county=county)
        )
        rating = (5, 4, 4, 5, 3, 2, 5, 4)[n % 8]
        made.append(
            statement(
                "answered",
                f"p{n}",
                question(course),
                rating=rating,
                municipality=code,
                county=county,
            )
        )
    with AdapterState.of(servers.app).services.db.connection() as conn:
        Ledger().record(conn, made)


def test_the_admin_reads_the_statistics_on_a_phone_and_a_desktop(
    servers: Servers, context: Any
) -> None:
    page, tool = launch_in_iframe(context, servers, "Starta som administratör")
    tool.get_by_role("link", name="Statistik").click()
    tool.wait_for_selector("h1:has-text('Statistik')")
    key = tool.locator(".key-figures").inner_text()
    assert "Deltagare\n40" in key
    assert tool.locator("svg.yr-map").count() == 1
    assert tool.get_by_role("table", name="Deltagare per kommun").count() == 1
    assert "Göteborg" in tool.get_by_role("table", name="Deltagare per kommun").inner_text()
    no_violations(tool, "statistics at 1280 px")
    assert sideways_scroll(tool) <= 0
    screenshot(context, tool.url, "statistics")

    page.set_viewport_size({"width": 390, "height": 800})
    assert sideways_scroll(tool) <= 0, "the statistics page scrolls sideways at 390 px"
    no_violations(tool, "statistics at 390 px")

    region = tool.get_by_label("Län", exact=True)
    region.focus()
    region.select_option(label="Stockholms län")
    button = tool.get_by_role("button", name="Visa")
    button.focus()
    button.press("Enter")
    tool.wait_for_url("**region=01**")
    tool.wait_for_selector("h1:has-text('Statistik')")
    assert "Deltagare\n8" in tool.locator(".key-figures").inner_text()
    assert sideways_scroll(tool) <= 0
    no_violations(tool, "statistics filtered, at 390 px")
    page.close()
