"""Registering staff for a course occasion in Chromium, inside the LMS iframe.

The demo's manager (Maja Månsson) chooses a course on the staff page, opens *Anmälan till
kurstillfälle*, registers Lina Larsson with the keyboard only and sees the confirmation in
the live region and the seats go down; Lina then sees her occasion on the course page.
axe-core finds no WCAG 2.1 A/AA violation on the page before and after, nor at 320 px.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.browser.conftest import Servers, screenshot, sideways_scroll
from tests.browser.test_pages_in_iframe import (
    launch_in_iframe,
    no_violations,
    open_course_as_learner,
)
from tests.conftest import FakeClock
from yrkesresan_adapter.pages.service import PagesService

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COURSE_TITLE = "Samtal med barn"
OCCASION = "Borås, våren 2027"  # 24 seats, registration until 16 March 2027
JANUARY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


@pytest.fixture(scope="module", autouse=True)
def fixed_day(servers: Servers) -> None:
    PagesService.of(servers.app).clock = FakeClock(JANUARY)  # the demo occasions are open


def test_manager_registers_a_learner_with_the_keyboard(servers: Servers, context: Any) -> None:
    page, tool = launch_in_iframe(context, servers, "Starta som chef")
    tool.get_by_role("link", name="Personalens framsteg").click()
    tool.wait_for_selector("table.staff-table")
    tool.get_by_label("Kurs", exact=True).select_option(label=COURSE_TITLE)
    tool.get_by_role("button", name="Visa").click()
    tool.get_by_role("link", name="Anmälan till kurstillfälle").click()
    tool.wait_for_selector("h1:has-text('Anmälan till kurstillfälle')")
    assert "24 av 24" in tool.locator("#n-boras-vt-2027").inner_text()
    no_violations(tool, "occasions")

    # keyboard only: the one open occasion is preselected; tick Lina, then submit
    radio = tool.get_by_role("radio", name=re.compile(OCCASION))
    assert radio.is_checked()
    lina = tool.get_by_role("checkbox", name=re.compile("Lina Larsson"))
    lina.focus()
    lina.press("Space")
    assert lina.is_checked()
    submit = tool.get_by_role("button", name="Anmäl valda")
    submit.focus()
    submit.press("Enter")
    tool.wait_for_function(
        "() => document.querySelector('.status-region').textContent.includes('är anmäld')"
    )
    status = tool.locator(".status-region").inner_text()
    assert f"1 person är anmäld till {OCCASION}." in status
    assert "23 av 24" in tool.locator("#n-boras-vt-2027").inner_text()
    row = tool.locator("tbody tr", has_text="Lina Larsson")
    assert OCCASION in row.inner_text()
    no_violations(tool, "occasions after registering")
    screenshot(context, tool.url, "occasions")

    page.set_viewport_size({"width": 320, "height": 800})
    assert sideways_scroll(tool) <= 0, "the page scrolls sideways at 320 px"
    no_violations(tool, "occasions at 320 px")
    page.close()

    page, tool = open_course_as_learner(context, servers)
    days = tool.locator("#n-course-days").inner_text()
    assert "Du är anmäld till det här kurstillfället." in days
    assert OCCASION in days
    page.close()
