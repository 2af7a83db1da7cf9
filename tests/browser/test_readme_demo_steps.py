"""The README's demo steps ("Demon steg för steg"), clicked literally in Chromium: the same
button and link texts, the same search, the same preselections, the same dates. If the
README or the demo changes, this test says where they no longer agree. Also: the demo's
language choice sends the launch locale, so the English pages can be seen from the demo.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.browser.conftest import ROOT, Servers, axe_violations
from tests.conftest import FakeClock
from yrkesresan_adapter.delivery.worker import delivery_worker
from yrkesresan_adapter.pages.service import PagesService

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COURSE = "Handläggning med barn i centrum"  # what step 2's search "barn i centrum" finds
OCCASION = "Göteborg, våren 2027"  # its first open occasion, first day 16 February 2027
JANUARY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)


def readme_steps() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    return text[text.index("### Demon steg för steg") : text.index("## Så ser det ut")]


@pytest.fixture(scope="module")
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


def test_the_readme_demo_steps_work_as_written(servers: Servers, context: Any) -> None:
    steps = readme_steps()
    for words in (
        "**Välj innehåll (djuplänkning)**",
        '"barn i centrum"',
        "**Lägg till i kursen**",
        "**Innehåll tillagt i demokursen**",
        "**Tillbaka till demokursen**",
        "**Starta som deltagare**",
        "**Starta som chef**",
        "**Markera som klar**",
        "**Betygsöversikt**",
        "**Anmälan till kurstillfälle**",
        "**Anmäl valda**",
        "**Anmälda från din personal**",
        "**Kursdagar**",
        "**Närvaro på kursdagarna**",
        "**Spara närvaro**",
        OCCASION,
        "16 februari 2027",
    ):
        assert words in steps, f"the README's demo steps no longer say {words}"
    PagesService.of(servers.app).clock = FakeClock(JANUARY)
    page = context.new_page()

    # 1-2: the picker, search, tick the course, add it
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("button", name="Välj innehåll (djuplänkning)").click()
    page.locator("#q").fill("barn i centrum")
    page.get_by_role("checkbox", name=re.compile(f"^{COURSE}")).check()
    page.get_by_role("button", name="Lägg till i kursen").click()
    page.get_by_role("heading", name="Innehåll tillagt i demokursen").wait_for()

    # 3: back to the course: the placed link with its two buttons
    page.get_by_role("link", name=re.compile("^Tillbaka till demokursen")).click()
    placed = page.get_by_role("region", name=COURSE)
    assert placed.get_by_role("button", name="Starta som chef").count() == 1

    # 4: as learner, mark a task done
    placed.get_by_role("button", name="Starta som deltagare").click()
    page.get_by_role("heading", name=COURSE, level=1).wait_for()
    page.get_by_role("button", name=re.compile("^Markera som klar")).first.click()
    page.wait_for_function("() => document.querySelectorAll('.task--done').length === 1")

    # 5: the gradebook shows Lina's score once the outbox worker has sent it
    delivery_worker(servers.app).flush()
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("link", name="Betygsöversikt", exact=True).click()
    cells = page.get_by_role("row", name=re.compile("Lina Larsson")).get_by_role("cell")
    texts = cells.all_inner_texts()
    assert texts[0] == COURSE
    assert re.fullmatch(r"1 / \d+", texts[1])
    assert f"`{texts[1]}`, `{texts[2]}`, `{texts[3]}`" in steps

    # 6: as manager on the same link: the staff view of the course, course preselected
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("region", name=COURSE).get_by_role("button", name="Starta som chef").click()
    page.get_by_role("heading", name="Personalens framsteg", level=1).wait_for()
    assert page.get_by_label("Kurs", exact=True).evaluate("s => s.selectedOptions[0].text") == (
        COURSE
    )
    assert page.locator(".staff-table tbody tr", has_text="Lina Larsson").count() == 1
    assert axe_violations(page.main_frame) == []

    # 7: register Lina: the first open occasion is preselected
    page.get_by_role("link", name="Anmälan till kurstillfälle").click()
    assert page.get_by_role("radio", name=re.compile(OCCASION)).is_checked()
    page.get_by_role("checkbox", name=re.compile("Lina Larsson")).check()
    page.get_by_role("button", name="Anmäl valda").click()
    page.wait_for_selector(".status-region .notice")
    assert f"1 person är anmäld till {OCCASION}." in page.locator(".status-region").inner_text()
    registered = page.locator(
        "section", has=page.get_by_role("heading", name="Anmälda från din personal")
    )
    assert "Lina Larsson" in registered.inner_text()

    # 8: the attendance page of that occasion: Lina's box for 16 February, not yet open
    occasion = page.locator(".occasion", has=page.get_by_role("heading", name=OCCASION))
    occasion.get_by_role("link", name=re.compile("^Närvaro på kursdagarna")).click()
    box = page.get_by_role("checkbox", name="Lina Larsson, närvarande 16 februari 2027")
    assert box.is_disabled()
    assert page.get_by_role("button", name="Spara närvaro").count() == 1

    # 7 (end): as learner again, the course's Kursdagar shows her occasion
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("region", name=COURSE).get_by_role(
        "button", name="Starta som deltagare"
    ).click()
    days = page.locator("#n-course-days").inner_text()
    assert "Du är anmäld till det här kurstillfället." in days
    assert OCCASION in days
    page.close()


def test_the_demo_language_choice_launches_the_english_pages(
    servers: Servers, context: Any
) -> None:
    page = context.new_page()
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Start as participant", exact=True).first.click()
    page.wait_for_url(re.compile(r"/pages/"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to content").count() == 1
    page.close()
