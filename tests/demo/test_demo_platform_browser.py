"""The demo's deep linking and gradebook in Chromium: the README's steps clicked for real,
every demo platform page axe-checked (WCAG 2.1 AA)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Servers, axe_violations, browser, servers  # noqa: F401
from yrkesresan_adapter.delivery.worker import delivery_worker
from yrkesresan_lti.catalog import default_catalog_path, load_catalog

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def context(browser: Any) -> Any:  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


def test_readme_steps_place_a_course_and_its_grade_shows_in_the_gradebook(
    servers: Servers,  # noqa: F811
    context: Any,
) -> None:
    course = next(c for _, _, c in load_catalog(default_catalog_path()).courses())
    page = context.new_page()
    page.goto(servers.tool_url + "/demo/")
    assert axe_violations(page.main_frame) == []
    page.get_by_role("button", name="Välj innehåll (djuplänkning)").click()
    page.wait_for_selector("#q")
    page.locator(f'input[name=node][value="{course.iri}"]').check()
    page.get_by_role("button", name="Lägg till i kursen").click()
    page.wait_for_url(re.compile(r"/demo/platform/deep-linking/return$"))
    page.get_by_role("heading", name="Innehåll tillagt i demokursen").wait_for()
    assert course.title["sv"] in page.locator("table").inner_text()
    assert axe_violations(page.main_frame) == []

    page.get_by_role("link", name=re.compile("Tillbaka till demokursen")).click()
    placed = page.get_by_role("region", name=course.title["sv"])
    assert axe_violations(page.main_frame) == []
    placed.get_by_role("button", name="Starta som deltagare").click()
    page.wait_for_selector("#course-progress")
    page.get_by_role("button", name=re.compile("^Markera som klar")).first.click()
    page.wait_for_function("() => document.querySelectorAll('.task--done').length === 1")

    delivery_worker(servers.app).flush()
    page.goto(servers.tool_url + "/demo/platform/gradebook")
    row = page.get_by_role("row", name=re.compile("Lina Larsson"))
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells[:4] == [
        course.title["sv"],
        f"1 / {len(course.tasks) + (1 if course.occasions else 0)}",  # + the course days
        "InProgress",
        "FullyGraded",
    ]
    assert axe_violations(page.main_frame) == []
