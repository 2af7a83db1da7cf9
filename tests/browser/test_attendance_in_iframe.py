"""Recording attendance on a course day in Chromium, inside the LMS iframe.

The demo's manager (Maja Månsson, LMS Instructor: the course leader) registers Lina
Larsson for an occasion in January. The day before the course day her checkbox is shown
disabled with the explanation; on the course day the manager ticks it with the keyboard
only and saves, and the confirmation comes in the live region. Lina then sees
"Närvarande" under the day on her course page. axe-core finds no WCAG 2.1 A/AA violation
on the page before and after, nor at 320 px.
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
OCCASION = "Borås, våren 2027"  # one course day, 13 April 2027
JANUARY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
DAY_BEFORE = datetime(2027, 4, 12, 9, 0, tzinfo=UTC)
COURSE_DAY = datetime(2027, 4, 13, 8, 0, tzinfo=UTC)  # 10:00 in Sweden
LINA = "Lina Larsson, närvarande 13 april 2027"


@pytest.fixture(scope="module")
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def clock(servers: Servers) -> FakeClock:
    clock = FakeClock(JANUARY)
    PagesService.of(servers.app).clock = clock
    return clock


def open_occasions(tool: Any) -> None:
    tool.get_by_role("link", name="Personalens framsteg").click()
    tool.wait_for_selector("table.staff-table")
    tool.get_by_label("Kurs", exact=True).select_option(label=COURSE_TITLE)
    tool.get_by_role("button", name="Visa").click()
    tool.get_by_role("link", name="Anmälan till kurstillfälle").click()
    tool.wait_for_selector("h1:has-text('Anmälan till kurstillfälle')")


def test_manager_records_attendance_with_the_keyboard(
    servers: Servers, context: Any, clock: FakeClock
) -> None:
    page, tool = launch_in_iframe(context, servers, "Starta som chef")
    open_occasions(tool)
    tool.get_by_role("checkbox", name=re.compile("Lina Larsson")).check()
    tool.get_by_role("button", name="Anmäl valda").click()
    tool.wait_for_function(
        "() => document.querySelector('.status-region').textContent.includes('är anmäld')"
    )

    clock.set(DAY_BEFORE)
    tool.get_by_role("link", name=re.compile("Närvaro på kursdagarna")).click()
    tool.wait_for_selector("h1:has-text('Närvaro på kursdagarna')")
    assert tool.get_by_role("checkbox", name=LINA).is_disabled()
    assert "närvaro förs från och med kursdagen" in tool.locator("main").inner_text()
    no_violations(tool, "attendance before the course day")

    clock.set(COURSE_DAY)
    tool.goto(tool.url)  # the launch token is in the URL: the same page, on the course day
    tool.wait_for_selector("h1:has-text('Närvaro på kursdagarna')")
    lina = tool.get_by_role("checkbox", name=LINA)
    assert lina.is_enabled()
    assert not lina.is_checked()
    lina.focus()
    lina.press("Space")
    assert lina.is_checked()
    page.keyboard.press("Tab")  # the only control after the table's checkboxes
    focused = tool.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Spara närvaro"
    page.keyboard.press("Enter")
    tool.wait_for_function(
        "() => document.querySelector('.status-region').textContent.includes('sparad')"
    )
    status = tool.locator(".status-region").inner_text()
    assert "Närvaron är sparad: 1 tillagda, 0 borttagna." in status
    assert tool.get_by_role("checkbox", name=LINA).is_checked()
    no_violations(tool, "attendance after saving")
    screenshot(context, tool.url, "attendance")

    page.set_viewport_size({"width": 320, "height": 800})
    assert sideways_scroll(tool) <= 0, "the page scrolls sideways at 320 px"
    no_violations(tool, "attendance at 320 px")
    page.close()

    page, tool = open_course_as_learner(context, servers)
    days = tool.locator("#n-course-days").inner_text()
    assert OCCASION in days
    assert re.search(r"13 april 2027, 09:00–16:00\s*Närvarande", days), days
    page.close()
