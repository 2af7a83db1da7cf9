"""In Chromium: a registered LMS origin may frame the tool, any other origin's iframe is
blocked by the tool's CSP ``frame-ancestors``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Servers, parent_page, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def stranger(servers: Servers) -> Iterator[str]:
    """The same LMS page on an origin no registration names."""
    server, thread = serve(parent_page(servers.tool_url), "localhost")
    try:
        yield f"http://localhost:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def framed(browser: Any, parent_url: str, tool_url: str) -> tuple[str, list[str]]:
    """The framed page's heading (empty when blocked) and the console's CSP complaints."""
    context = browser.new_context(locale="sv-SE")
    try:
        page = context.new_page()
        complaints: list[str] = []
        page.on("console", lambda m: complaints.append(m.text))
        page.goto(f"{parent_url}?src={tool_url}/pages/journey")
        page.wait_for_load_state("load")
        frames = [f for f in page.frames if f is not page.main_frame]
        assert len(frames) == 1  # the iframe is there; blocked, it shows Chromium's error
        [frame] = frames
        shown = frame.url.startswith(tool_url)
        text = frame.locator("h1").inner_text(timeout=2000) if shown else ""
        return text, [c for c in complaints if "frame-ancestors" in c]
    finally:
        context.close()


def test_a_registered_origin_renders_the_tool(browser: Any, servers: Servers) -> None:
    heading, complaints = framed(browser, servers.parent_url, servers.tool_url)
    assert heading == "Starten godtogs inte"  # the tool's page (no launch yet), rendered
    assert complaints == []


def test_an_unregistered_origins_iframe_is_blocked(
    browser: Any, servers: Servers, stranger: str
) -> None:
    heading, complaints = framed(browser, stranger, servers.tool_url)
    assert heading == ""
    assert complaints, "Chromium reports the refused frame-ancestors"
