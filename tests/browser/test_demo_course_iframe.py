"""The demo course page in Chromium: the platform side of 1EdTech "Client Side postMessages"
(capabilities, put/get per origin) and the cross-site launch without platform storage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Servers, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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


def test_without_platform_storage_the_iframe_launch_explains_the_blocked_cookie(
    servers: Servers, context: Any
) -> None:
    page = context.new_page()
    page.goto(servers.course_url + "?lagring=nej")
    assert page.locator("iframe[name=lti-storage]").count() == 0
    with page.expect_response(re.compile(r"/lti/launch$")) as launched:
        page.get_by_role("button", name="Starta som deltagare").click()
    assert launched.value.status in (400, 403)
    tool = page.frame(name="tool")
    assert tool is not None
    tool.wait_for_load_state()
    assert tool.locator("html").get_attribute("lang") == "sv"
    text = tool.locator("body").inner_text()
    assert "Inloggningen startades i en annan webbläsare" in text
    assert "Nytt fönster" in text  # the fix the user can apply
    assert "Traceback" not in text
    assert axe_violations(tool) == []


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
