"""LTI Platform Storage in Chromium: the tool in a cross-site LMS iframe with third-party
cookies blocked launches through lti.put_data / lti.get_data with the LMS page."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.browser.conftest import Deferred, browser, serve  # noqa: F401
from yrkesresan_adapter import create_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.testing.claims import SimLaunch
from yrkesresan_lti.testing.simulator import PlatformSimulator

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CATALOG = Path(__file__).with_name("catalog.yaml")

# The LMS side of 1EdTech "Client Side postMessages": answer put/get from the tool's frame.
STORAGE_JS = """
const stored = {};
window.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.subject === 'lti.put_data') {
    stored[event.origin + ' ' + data.key] = data.value;
    event.source.postMessage({subject: 'lti.put_data.response', message_id: data.message_id,
                              key: data.key, value: data.value}, event.origin);
  } else if (data.subject === 'lti.get_data') {
    event.source.postMessage({subject: 'lti.get_data.response', message_id: data.message_id,
                              key: data.key, value: stored[event.origin + ' ' + data.key]},
                             event.origin);
  }
});
"""


class Lms:
    """The LMS page (localhost) with the tool's iframe, its auth endpoint and key set."""

    def __init__(self) -> None:
        self.simulator: PlatformSimulator | None = None
        self.login_url = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        sim = self.simulator
        assert sim is not None
        path = environ["PATH_INFO"]
        if path == "/jwks.json":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(sim.jwks()).encode()]
        if path == "/auth":
            query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
            body = sim.authorize(query).html()
        else:
            fields = dict(
                sim.login_form(self.login_url, SimLaunch(user="manager", message="deep")).fields
            )
            fields["lti_storage_target"] = "_parent"
            inputs = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in fields.items()
            )
            body = (
                "<!doctype html><html lang='sv'><head><meta charset='utf-8'><title>LMS</title>"
                f"<script>{STORAGE_JS}</script></head><body>"
                f"<form method='post' action='{self.login_url}' target='tool'>{inputs}"
                "<button type='submit'>Välj innehåll</button></form>"
                "<iframe name='tool' title='Yrkesresan' style='width:100%;height:1600px'>"
                "</iframe></body></html>"
            )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]


@pytest.fixture
def lms(tmp_path: Path) -> Iterator[str]:
    tool_app, lms_app = Deferred(), Lms()
    tool, tool_thread = serve(tool_app, "127.0.0.1")
    platform, platform_thread = serve(lms_app, "localhost")
    tool_url = f"http://127.0.0.1:{tool.server_port}"
    lms_url = f"http://localhost:{platform.server_port}"
    app = create_app(
        Settings(
            _env_file=None,
            instance_path=tmp_path / "instance",
            base_url=tool_url,
            catalog_path=CATALOG,
            secret_key="browser-test-secret-of-enough-length",
        )
    )
    tool_app.app = app
    lms_app.simulator = PlatformSimulator(issuer=lms_url, tool_url=tool_url)
    lms_app.simulator.register(AdapterState.of(app).services.platforms)
    lms_app.login_url = f"{tool_url}/lti/login"
    try:
        yield lms_url
    finally:
        for server, thread in ((tool, tool_thread), (platform, platform_thread)):
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
        AdapterState.of(app).services.db.dispose()


def test_launch_in_a_cookieless_iframe_uses_platform_storage(
    lms: str,
    browser: Any,  # noqa: F811
) -> None:
    context = browser.new_context(locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(lms + "/")
        page.get_by_role("button", name="Välj innehåll").click()
        tool = page.frame_locator("iframe[name=tool]")
        tool.locator("#q").wait_for()
        assert tool.get_by_text("Samtal med barn").count() == 1
        # the binding cookie was blocked in the cross-site frame: storage carried the launch
        assert not any(c["domain"] == "127.0.0.1" for c in context.cookies())
    finally:
        context.close()
