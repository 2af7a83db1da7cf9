"""The deep-linking picker in Chromium: keyboard only, axe-checked, the JS filter as
progressive enhancement, and the auto-submitted signed response reaching the platform."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest

from tests.browser.conftest import Servers, axe_violations, browser, servers  # noqa: F401
from yrkesresan_lti.lti.advantage.deep_linking import CONTENT_ITEMS_CLAIM

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def context(browser: Any) -> Any:  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


def test_teacher_picks_a_course_with_the_keyboard(servers: Servers, context: Any) -> None:  # noqa: F811
    posted: list[str] = []

    def platform_return(route: Any) -> None:
        posted.append(route.request.post_data or "")
        route.fulfill(status=200, content_type="text/html", body="<p>Tillagt</p>")

    context.route("**/deep-linking/return**", platform_return)
    page = context.new_page()
    # Top level (first-party): the launch's state cookie is the launch area's concern.
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("button", name="Välj innehåll (djuplänkning)").click()
    tool = page.main_frame
    tool.wait_for_selector("#q")
    assert axe_violations(tool) == []

    all_items = tool.locator("#tree li[data-text]").count()
    tool.locator("#q").focus()
    page.keyboard.type("samtal med barn")
    visible = tool.locator("#tree li[data-text]:visible")
    assert 0 < visible.count() < all_items
    assert tool.locator("#result-count").inner_text() == f"{visible.count()} träffar"

    first = visible.first.locator("input[name=node]")
    chosen = first.get_attribute("value")
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    tool.get_by_role("button", name="Lägg till i kursen").focus()
    with page.expect_response("**/deep-linking/return**"):
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    [body] = posted
    token = parse_qs(body)["JWT"][0]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert [i["custom"]["yrkesresan_node"] for i in claims[CONTENT_ITEMS_CLAIM]] == [chosen]
