"""The demo course page in Chromium: the platform side of 1EdTech "Client Side postMessages"
(capabilities, put/get per origin), and the cross-site launch without platform storage (as
from Moodle 4.5): the tool offers a new window, where the learner reaches the course."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Servers, axe_violations, sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COURSE_TITLE = "Samtal med barn"

# Run in the tool's frame: post one message to a window of the course page, await the answer.
ASK = """
([where, message]) => new Promise((resolve) => {
  const target = where === '_parent' ? window.parent : window.parent.frames[where];
  window.addEventListener('message', function answer(event) {
    if (event.data && event.data.message_id === message.message_id) {
      window.removeEventListener('message', answer);
      resolve({origin: event.origin, data: event.data});
    }
  });
  target.postMessage(message, '*');
})
"""


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


def test_without_platform_storage_the_learner_opens_the_tool_in_a_new_window(
    servers: Servers, context: Any
) -> None:
    """Moodle 4.5's launch (no lti_storage_target) in a cross-site frame, cookies blocked."""
    context.clear_cookies()
    page = context.new_page()
    page.goto(servers.course_url + "?lagring=nej")
    assert page.locator("iframe[name=lti-storage]").count() == 0
    page.get_by_role("button", name="Starta som deltagare").click()
    tool = page.frame(name="tool")
    assert tool is not None
    offer = tool.get_by_role("button", name="Öppna Yrkesresan i ett nytt fönster")
    offer.wait_for()
    assert tool.locator("html").get_attribute("lang") == "sv"
    assert (
        tool.get_by_role("heading", level=1).inner_text() == "Öppna Yrkesresan i ett nytt fönster"
    )
    assert "blockerar kakor" in tool.locator("main").inner_text()
    assert axe_violations(tool) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "new-window-offer-1280.png"))

    offer.focus()  # keyboard: the offer is a real button
    with context.expect_page() as opened:
        page.keyboard.press("Enter")
    window = opened.value
    window.wait_for_url(re.compile(r"/pages/"))
    assert window.url.startswith(servers.tool_url + "/pages/")
    assert "nytt fönster" in tool.locator("#opened").inner_text()  # the frame says where it went
    window.get_by_role("link", name="Barn och unga, myndighetsutövning").click()
    window.wait_for_selector("ol.road")
    window.get_by_role("link", name=COURSE_TITLE).first.click()
    window.wait_for_selector("#n-course-days")
    assert window.locator("html").get_attribute("lang") == "sv"
    assert axe_violations(window.main_frame) == []
    window.set_viewport_size({"width": 320, "height": 800})
    assert sideways_scroll(window.main_frame) <= 0
    assert axe_violations(window.main_frame) == []
    window.screenshot(path=str(SCREENSHOTS / "new-window-course-320.png"), full_page=True)
    window.close()
    page.close()


def test_the_new_window_offer_fits_320_px(servers: Servers, browser: Any) -> None:
    ctx = browser.new_context(viewport={"width": 320, "height": 800}, locale="sv-SE")
    try:
        page = ctx.new_page()
        page.goto(servers.course_url + "?lagring=nej")
        page.get_by_role("button", name="Starta som deltagare").click()
        tool = page.frame(name="tool")
        assert tool is not None
        tool.get_by_role("button", name="Öppna Yrkesresan i ett nytt fönster").wait_for()
        assert sideways_scroll(tool) <= 0
        assert axe_violations(tool) == []
    finally:
        ctx.close()


def test_a_top_level_launch_needs_no_extra_click(servers: Servers, context: Any) -> None:
    page = context.new_page()
    logins: list[int] = []
    page.on(
        "response",
        lambda r: logins.append(r.status) if r.url.endswith("/lti/login") else None,
    )
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("button", name="Starta som deltagare").first.click()
    page.wait_for_url(re.compile(r"/pages/"))
    assert logins == [302]  # straight on to the platform, no check page, no offer
    page.close()


def test_the_launch_answers_with_the_page_and_a_reload_is_a_get(
    servers: Servers, context: Any
) -> None:
    page = context.new_page()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(servers.tool_url + "/demo/")
    with page.expect_response(re.compile(r"/lti/launch$")) as launched:
        page.get_by_role("button", name="Starta som deltagare").first.click()
    assert launched.value.status == 200  # the first page itself, no redirect
    assert launched.value.headers["cache-control"] == "no-store"
    page.wait_for_url(re.compile(r"/pages/.*[?&]lt="))  # pages.js: the page's own GET URL
    assert page.url == servers.tool_url + launched.value.headers["content-location"]
    shown = page.locator("h1").inner_text()
    launches = sum(url.endswith("/lti/launch") for url in posts)
    with page.expect_response(re.compile(r"/pages/")) as reloaded:
        page.reload()
    assert reloaded.value.request.method == "GET"
    assert reloaded.value.status == 200
    assert page.locator("h1").inner_text() == shown
    assert sum(url.endswith("/lti/launch") for url in posts) == launches  # not posted again
    page.close()


def test_a_state_started_in_another_browser_is_still_refused(
    servers: Servers, browser: Any
) -> None:
    attacker, victim = browser.new_context(locale="sv-SE"), browser.new_context(locale="sv-SE")
    try:
        started = attacker.new_page()
        started.route(re.compile(r"/lti/launch$"), lambda route: route.abort())  # unused state
        started.goto(servers.tool_url + "/demo/")
        with started.expect_request(re.compile(r"/demo/platform/auth")) as request:
            started.get_by_role("button", name="Starta som deltagare").first.click()
        page = victim.new_page()  # the attacker's authentication request, in another browser
        with page.expect_response(re.compile(r"/lti/launch$")) as launched:
            page.goto(request.value.url)
        assert launched.value.status == 400
        assert launched.value.headers["x-yrkesresan-error"] == "StateFromOtherBrowser"
        page.wait_for_load_state()
        assert "Inloggningen startades i en annan webbläsare" in page.locator("body").inner_text()
        assert "/pages/" not in page.url
    finally:
        attacker.close()
        victim.close()


def test_course_page_answers_capabilities_and_stores_per_tool(
    servers: Servers, context: Any
) -> None:
    page = context.new_page()
    page.goto(servers.course_url)
    assert axe_violations(page.main_frame) == []
    page.get_by_role("button", name="Starta som chef").click()
    tool = page.frame(name="tool")
    assert tool is not None
    tool.wait_for_url(re.compile(r"/pages/"))
    platform = servers.course_url.split("/demo/")[0]

    capabilities = tool.evaluate(
        ASK, ["_parent", {"subject": "lti.capabilities", "message_id": "c1"}]
    )
    assert capabilities["origin"] == platform
    supported = {m["subject"]: m.get("frame") for m in capabilities["data"]["supported_messages"]}
    assert supported == {
        "lti.capabilities": None,
        "lti.put_data": "lti-storage",
        "lti.get_data": "lti-storage",
    }

    put = {"subject": "lti.put_data", "message_id": "p1", "key": "k", "value": "v1"}
    stored = tool.evaluate(ASK, ["lti-storage", put])
    assert stored["origin"] == servers.tool_url  # the storage frame is on the platform's origin
    assert stored["data"] == {**put, "subject": "lti.put_data.response"}
    get = {"subject": "lti.get_data", "message_id": "g1", "key": "k"}
    assert tool.evaluate(ASK, ["lti-storage", get])["data"]["value"] == "v1"
    missing = tool.evaluate(ASK, ["lti-storage", {**get, "message_id": "g2", "key": "other"}])
    assert "value" not in missing["data"] or missing["data"]["value"] is None
    bad = tool.evaluate(ASK, ["lti-storage", {"subject": "lti.put_data", "message_id": "b1"}])
    assert bad["data"]["error"]["code"] == "bad_request"
    unknown = tool.evaluate(ASK, ["lti-storage", {"subject": "lti.close", "message_id": "u1"}])
    assert unknown["data"]["error"]["code"] == "unsupported_subject"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "demo-course-iframe-1280.png"))
