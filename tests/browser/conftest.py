"""Real-browser harness: the adapter on a free loopback port, embedded by a parent page of
another origin (``localhost`` frames ``127.0.0.1``), Debian's chromium with third-party
cookies blocked, and axe-core for accessibility checks.

The same adapter also answers on a second port of ``localhost``: its demo course page
(``course_url``) is then on another site than the tool and the demo platform's auth URL, so
the launch in its iframe runs cross-site, with platform storage in the demo's storage frame.

``scripts/install-browser.sh`` installs chromium and axe-core (``make pytest`` runs it).
Screenshots go to the git-ignored ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from yrkesresan_adapter import create_app
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--test-third-party-cookie-phaseout",  # block third-party cookies, as browsers now do
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if not CHROMIUM.exists() or not AXE.exists():  # pragma: no cover - depends on the machine
    pytest.skip(
        "needs /usr/bin/chromium and axe-core: run scripts/install-browser.sh",
        allow_module_level=True,
    )


def serve(app: Callable[..., Any], host: str) -> tuple[BaseWSGIServer, threading.Thread]:
    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


class Deferred:
    """A WSGI app that forwards to one set later (the port must be known to build the app)."""

    def __init__(self) -> None:
        self.app: Flask | Callable[..., Any] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self.app is not None
        return self.app(environ, start_response)


@dataclass
class Servers:
    tool_url: str
    parent_url: str
    app: Flask
    course_url: str
    """The demo course page on ``localhost``: the tool in a cross-site iframe."""


def parent_page(tool_url: str) -> Callable[..., Any]:
    """The LMS page: frames ``?src=<tool URL>`` (only URLs of the tool), else the demo."""
    template = (
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Kommunens lärplattform</title>"
        "<style>body{margin:0;font-family:sans-serif}header{padding:8px;background:#333;color:#fff}"
        "iframe{border:0;width:100%;height:2400px;display:block}</style></head><body>"
        "<header>Kommunens lärplattform</header>"
        "<iframe name='tool' title='Yrkesresan' src='{src}'></iframe></body></html>"
    )

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        src = parse_qs(environ.get("QUERY_STRING", "")).get("src", [""])[0]
        if not src.startswith(tool_url + "/"):
            src = f"{tool_url}/demo/"
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [template.replace("{src}", escape(src, quote=True)).encode()]

    return app


@contextmanager
def running_servers(directory: Path, database_url: str | None = None) -> Iterator[Servers]:
    """The tool (demo on), an LMS page that frames it and the demo course, on loopback;
    the tool's database is ``database_url`` (default: SQLite in ``directory``)."""
    deferred, lms = Deferred(), Deferred()
    tool, tool_thread = serve(deferred, "127.0.0.1")
    tool_url = f"http://127.0.0.1:{tool.server_port}"
    parent, parent_thread = serve(lms, "localhost")
    course, course_thread = serve(deferred, "localhost")
    extra: dict[str, Any] = {"database_url": database_url} if database_url else {}
    settings = Settings(
        _env_file=None,
        instance_path=directory / "instance",
        base_url=tool_url,
        demo=True,
        secret_key="browser-test-secret-of-enough-length",
        # the LMS pages that frame the tool (a real LMS: its registration's origins)
        frame_origins=[
            f"http://localhost:{parent.server_port}",
            f"http://localhost:{course.server_port}",
        ],
        **extra,
    )
    app = deferred.app = create_app(settings)
    lms.app = parent_page(tool_url)
    try:
        yield Servers(
            tool_url,
            f"http://localhost:{parent.server_port}/",
            app,
            f"http://localhost:{course.server_port}/demo/course",
        )
    finally:
        for server, thread in (
            (tool, tool_thread),
            (parent, parent_thread),
            (course, course_thread),
        ):
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
        AdapterState.of(app).services.db.dispose()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running_servers(tmp_path_factory.mktemp("browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def axe_violations(frame: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the frame's document (evaluated through the
    DevTools protocol, so the page's strict CSP needs no exception)."""
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        frame.evaluate(AXE.read_text("utf-8") + "\n;true")
    result: dict[str, Any] = frame.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_AA,
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def screenshot(context: Any, url: str, name: str, element: str | None = None) -> list[Path]:
    """Screenshots of ``url`` at 390 px and 1280 px wide: the full page and the first screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for width in (390, 1280):
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        path = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        top = SCREENSHOTS / f"{name}-{width}-top.png"  # what fits in the first screen
        page.screenshot(path=str(top))
        paths += [path, top]
        if element:
            part = SCREENSHOTS / f"{name}-{width}-part.png"
            page.locator(element).screenshot(path=str(part))
            paths.append(part)
        page.close()
    return paths


def sideways_scroll(frame: Any) -> int:
    """How many pixels the frame's page scrolls sideways (0 when it fits its width)."""
    return int(
        frame.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )
