"""Every page survives any string, on a phone and on a desktop (issues 12 and 16).

The adapter runs with a hostile copy of the example catalog: a course, its goals, a task,
an occasion and the journey carry 10 kB strings without a single space, long Swedish
compounds and right-to-left overrides. The demo platform's launches carry an LMS context
title of 10 kB and a learner name of 255 characters (the longest a launch keeps), both
with a right-to-left override. Every page (the journey choice, the journey, the course,
the staff view with and without a course, a drill-down, occasions, attendance, an error
page, the demo LMS and the deep-linking picker) is loaded at 320, 390 and 1280 px and
must not scroll sideways, and axe-core must find no WCAG 2.1 A/AA violation. The figures
(sideways pixels, violations) are written to ``test-artifacts/layout.json``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from tests.browser.conftest import (
    ROOT,
    Deferred,
    Servers,
    axe_violations,
    serve,
    sideways_scroll,
)
from tests.conftest import FakeClock
from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.lti import claims as c
from yrkesresan_lti.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RTL = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: must not turn the rest of the page around
TEN_KB = "Barnrättsperspektivsutbildningsansvarighetsmålsdokumentationskrav" * 160  # 10,400
COMPOUND = "Socialtjänstlagsbestämmelsetillämpningsutbildningsdagsförberedelser"
LONG_NAME = (RTL + "Linnéa" + "Ö" * 240 + "Larsson")[:255]
JOURNEY = "barn-och-unga"
COURSE = "samtal-med-barn"
IRI = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
OCCASION = IRI + "/occasions/boras-vt-2027"
WIDTHS = (320, 390, 1280)
JANUARY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
FIGURES = ROOT / "test-artifacts" / "layout.json"


def hostile_catalog(target: Path) -> Path:
    """The example catalog with 10 kB unbroken strings, compounds and RTL overrides."""
    shutil.copytree(ROOT / "examples" / "catalog", target)
    path = target / "journeys" / f"{JOURNEY}.yaml"
    journey = yaml.safe_load(path.read_text("utf-8"))
    journey["description"] = {"sv": TEN_KB}  # Swedish only: English pages must say so
    course = next(c for s in journey["phases"] for c in s["courses"] if c["slug"] == COURSE)
    course["title"]["sv"] = "Samtal med barn " + RTL + TEN_KB
    course["description"] = {"sv": TEN_KB}
    course["goals"][0]["title"] = {"sv": COMPOUND + " " + TEN_KB}
    task = course["preparation"]["tasks"][0]
    task["title"]["sv"] = COMPOUND + TEN_KB
    task["motivation"] = {"sv": TEN_KB}
    occasion = course["occasions"][0]
    occasion["title"] = {"sv": "Borås " + RTL + TEN_KB}
    occasion["place"] = TEN_KB
    occasion["trainers"] = [TEN_KB]
    path.write_text(yaml.safe_dump(journey, allow_unicode=True, sort_keys=False), "utf-8")
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    deferred = Deferred()
    tool, thread = serve(deferred, "127.0.0.1")
    url = f"http://127.0.0.1:{tool.server_port}"
    base = tmp_path_factory.mktemp("hostile")
    settings = Settings(
        _env_file=None,
        instance_path=base / "instance",
        catalog_path=hostile_catalog(base / "catalog"),
        base_url=url,
        demo=True,
        secret_key="browser-test-secret-of-enough-length",
    )
    app = create_app(settings)
    deferred.app = app
    platform = AdapterState.of(app).services.demo_platform
    assert platform is not None
    original = platform.claims

    def claims(launch: Any, *, nonce: str) -> dict[str, Any]:
        body = original(launch, nonce=nonce)
        body[c.CONTEXT]["title"] = "Kurs " + RTL + TEN_KB
        if launch.user == "learner":
            body["name"] = LONG_NAME
        return body

    platform.claims = claims  # type: ignore[method-assign]
    service = PagesService.of(app)
    service.roster = None  # names as the launches sent them, not the demo roster's
    service.clock = FakeClock(JANUARY)  # the demo occasions are open for registration
    try:
        yield Servers(url, url + "/demo/", app, url + "/demo/course")
    finally:
        tool.shutdown()
        thread.join(timeout=10)
        tool.server_close()


def launch(browser: Any, servers: Servers, button: str, lang: str = "sv") -> tuple[str, str]:
    """A top-level launch from the demo page in ``lang``: (landing URL, launch token)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{servers.parent_url}?lang={lang}")
    page.get_by_role("button", name=button, exact=True).first.click()
    page.wait_for_url(re.compile(r"/pages/|/lti/"))
    url = page.url
    token = re.search(r"lt=([^&#]+)", url)
    ctx.close()
    return url, token.group(1) if token else ""


@pytest.fixture(scope="module")
def urls(browser: Any, hostile: Servers) -> dict[str, str]:
    """Every page, with the launch token of the role that sees it."""
    _, learner = launch(browser, hostile, "Starta som deltagare")
    _, manager = launch(browser, hostile, "Starta som chef")
    _, english = launch(browser, hostile, "Start as participant", "en")
    service = PagesService.of(hostile.app)
    with hostile.app.app_context(), service.sessions() as db:
        scope = Scope(f"{hostile.tool_url}/demo/platform", "yrkesresan-demo", "1", "kurs-1")
        for n in range(3):  # more people, names as long as a launch keeps them
            service.store.touch(
                db, scope, f"other-{n}", now=JANUARY, name=RTL + "Å" * 254, role="learner"
            )
    base = hostile.tool_url
    learner_q, manager_q = f"lt={learner}", f"lt={manager}"
    # the manager registers the learner, so the attendance page lists someone
    ctx = hostile_browser_context(browser)
    page = ctx.new_page()
    page.goto(f"{base}/pages/staff/occasions/?course={quote(IRI)}&{manager_q}")
    page.locator("input[name=person][value='sim-learner-1']").check()
    page.locator("form.register-form button[type=submit]").click()
    page.wait_for_selector(".status-region .notice")
    ctx.close()
    picker, _ = launch(browser, hostile, "Välj innehåll (djuplänkning)")
    return {
        "journeys": f"{base}/pages/journey?{learner_q}",
        "journey": f"{base}/pages/journey?journey={JOURNEY}&{learner_q}",
        "course": f"{base}/pages/course?course={quote(IRI)}&{learner_q}",
        "course-en": f"{base}/pages/course?course={quote(IRI)}&lt={english}",
        "staff": f"{base}/pages/staff/?journey={JOURNEY}&{manager_q}",
        "staff-course": f"{base}/pages/staff/?journey={JOURNEY}&course={COURSE}&{manager_q}",
        "drill-down": (f"{base}/pages/course?course={quote(IRI)}&person=sim-learner-1&{manager_q}"),
        "occasions": f"{base}/pages/staff/occasions/?course={quote(IRI)}&{manager_q}",
        "attendance": (
            f"{base}/pages/staff/occasions/attendance?occasion={quote(OCCASION)}&{manager_q}"
        ),
        "error": f"{base}/pages/course?course=nothing&{learner_q}",
        "demo": f"{base}/demo/",
        "gradebook": f"{base}/demo/platform/gradebook",
        "picker": picker,
    }


def hostile_browser_context(browser: Any, width: int = 1280, locale: str = "sv-SE") -> Any:
    return browser.new_context(viewport={"width": width, "height": 900}, locale=locale)


FIGURES_SEEN: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="module", autouse=True)
def write_figures() -> Iterator[None]:
    yield
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(FIGURES_SEEN, indent=1, sort_keys=True), "utf-8")


PAGES = (
    "journeys",
    "journey",
    "course",
    "course-en",
    "staff",
    "staff-course",
    "drill-down",
    "occasions",
    "attendance",
    "error",
    "demo",
    "gradebook",
    "picker",
)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_and_passes_axe_with_hostile_strings(
    browser: Any, urls: dict[str, str], name: str, width: int
) -> None:
    ctx = hostile_browser_context(browser, width)
    page = ctx.new_page()
    page.goto(urls[name])
    page.wait_for_selector("main, body")
    overflow = sideways_scroll(page)
    violations = axe_violations(page)
    FIGURES_SEEN[f"{name}@{width}"] = {"sideways_px": overflow, "axe": len(violations)}
    ctx.close()
    assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"
    assert violations == [], f"{name} at {width} px: {violations}"


def test_english_pages_mark_swedish_only_catalog_texts(browser: Any, urls: dict[str, str]) -> None:
    """The hostile course has no English texts: the English page shows the Swedish ones
    with ``lang="sv"`` and says that some content exists only in Swedish."""
    ctx = hostile_browser_context(browser)
    page = ctx.new_page()
    page.goto(urls["course-en"])
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Some of the content is available in Swedish only." in page.inner_text("main")
    assert page.locator(".hero .lead [lang=sv]").count() == 1  # the description: Swedish only
    assert page.locator("h1").inner_text() == "Talking with children"  # has English
    assert page.locator("h1 [lang]").count() == 0
    ctx.close()


def test_names_and_context_titles_are_isolated(browser: Any, urls: dict[str, str]) -> None:
    """A right-to-left override in a name or an LMS context title stays inside ``<bdi>``."""
    ctx = hostile_browser_context(browser)
    page = ctx.new_page()
    page.goto(urls["staff"])
    names = page.locator(".staff-table tbody th a")
    assert names.count() == 4
    for n in range(names.count()):
        assert names.nth(n).locator("bdi").count() == 1
    assert page.locator(".hero .lead bdi").inner_text().startswith("Kurs")
    ctx.close()
