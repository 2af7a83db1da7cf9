"""Screenshots of every page for docs/pages.md, at 390 and 1280 px, with the demo's own
catalog and people; and the same pages at 320 and 390 px must not scroll sideways.

The learner has done one task, the manager registered her for an occasion. Screenshots
(the first screen of each page) go to ``test-artifacts/screenshots/docs-<page>-<width>.png``;
docs/pages.md shows copies of them (docs/screenshots/).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import ROOT, SCREENSHOTS, Servers, sideways_scroll
from tests.conftest import FakeClock
from yrkesresan_adapter.pages.service import PagesService

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IRI = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
OCCASION = IRI + "/occasions/boras-vt-2027"
JANUARY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
FIGURES = ROOT / "test-artifacts" / "layout-demo.json"
SEEN: dict[str, int] = {}


def top_launch(browser: Any, servers: Servers, button: str) -> str:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("button", name=button, exact=True).first.click()
    page.wait_for_url(re.compile(r"/pages/"))
    token = re.search(r"lt=([^&#]+)", page.url)
    assert token is not None
    ctx.close()
    return token.group(1)


@pytest.fixture(scope="module")
def pages(browser: Any, servers: Servers) -> Iterator[dict[str, str]]:
    PagesService.of(servers.app).clock = FakeClock(JANUARY)
    learner = top_launch(browser, servers, "Starta som deltagare")
    manager = top_launch(browser, servers, "Starta som chef")
    base = servers.tool_url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{base}/pages/course?course={quote(IRI)}&lt={learner}")
    page.locator("form[action$='/task/done'] button").first.click()
    page.wait_for_selector(".task--done")
    page.goto(f"{base}/pages/staff/occasions/?course={quote(IRI)}&lt={manager}")
    page.locator("input[name=person][value='sim-learner-1']").check()
    page.locator("input[name=occasion]").first.check()
    page.locator("form.register-form button[type=submit]").click()
    page.wait_for_selector(".status-region .notice")
    ctx.close()
    yield {
        "journey": f"{base}/pages/journey?journey=barn-och-unga&lt={learner}",
        "course": f"{base}/pages/course?course={quote(IRI)}&lt={learner}",
        "staff": f"{base}/pages/staff/?lt={manager}",
        "staff-course": f"{base}/pages/staff/?course=samtal-med-barn&lt={manager}",
        "occasions": f"{base}/pages/staff/occasions/?course={quote(IRI)}&lt={manager}",
        "attendance": (
            f"{base}/pages/staff/occasions/attendance?occasion={quote(OCCASION)}&lt={manager}"
        ),
        "demo": f"{base}/demo/",
    }
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(SEEN, indent=1, sort_keys=True), "utf-8")


@pytest.mark.parametrize(
    "name", ["journey", "course", "staff", "staff-course", "occasions", "attendance", "demo"]
)
def test_screenshot_and_fit(browser: Any, pages: dict[str, str], name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflow = {}
    for width in (320, 390, 1280):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
        page = ctx.new_page()
        page.goto(pages[name])
        overflow[width] = sideways_scroll(page)
        SEEN[f"{name}@{width}"] = overflow[width]
        if width != 320:
            page.screenshot(path=str(SCREENSHOTS / f"docs-{name}-{width}.png"))
        ctx.close()
    assert overflow[320] <= 0, f"{name} scrolls sideways at 320 px: {overflow}"
    assert overflow[390] <= 0, f"{name} scrolls sideways at 390 px: {overflow}"
