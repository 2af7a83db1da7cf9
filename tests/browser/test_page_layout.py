"""Every page survives any string, on a phone and on a desktop (issues 12 and 16).

The adapter runs with a hostile copy of the example catalog: a course, its goals, a task,
an occasion and the journey carry 10 kB strings without a single space, long Swedish
compounds and right-to-left overrides. The demo platform's launches carry an LMS context
title of 10 kB and a learner name of 255 characters (the longest a launch keeps), both
with a right-to-left override. Every page (the journey choice, the journey, the course,
the staff view with and without a course, a drill-down, occasions with a waiting list,
attendance, the course evaluation form, its results from five answers and with "för få
svar", the trainers' list and occasion, the occasions' admin list, new/edit form and cancel
confirmation, an error page, the demo LMS and the deep-linking picker; the learner's and
the manager's pages carry a moved day's notice) is loaded at 320, 390 and 1280 px and
must not scroll sideways, and axe-core must find no WCAG 2.1 A/AA violation. The figures
(sideways pixels, violations) are written to ``test-artifacts/layout.json``.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click
import pytest
import yaml
from click.testing import CliRunner, Result

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
from yrkesresan_adapter.cli import register as register_commands
from yrkesresan_adapter.pages.evaluation.service import EvaluationService
from yrkesresan_adapter.pages.occasions import OccasionService
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
EVALUATED = "introducera-nya-kollegor"
EVALUATED_IRI = f"https://yrkesresan.se/id/journeys/{JOURNEY}/courses/{EVALUATED}"
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
    # an occasion's names are kept in the database: the longest the catalog accepts
    occasion["title"] = {"sv": ("Borås " + RTL + TEN_KB)[:255]}
    occasion["place"] = TEN_KB[:255]
    occasion["trainers"] = [TEN_KB[:100]]
    # a course whose evaluation is open now (no occasions, nothing to follow up), hostile
    evaluated = next(c for s in journey["phases"] for c in s["courses"] if c["slug"] == EVALUATED)
    evaluated["occasions"] = []
    evaluated["follow_up"]["tasks"] = []
    evaluated["evaluation"] = {
        "questions": [
            {
                "slug": "helhet",
                "text": {"sv": COMPOUND + " " + TEN_KB},
                "required": True,
                "low": {"sv": RTL + TEN_KB},
                "high": {"sv": COMPOUND},
            },
            {"slug": "nytta", "text": {"sv": TEN_KB}, "low": {"sv": TEN_KB}},
        ],
        "comment": True,
        "offered_after": "follow-up",
    }
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
    _, trainer = launch(browser, hostile, "Starta som utbildare")
    _, admin = launch(browser, hostile, "Starta som administratör (samordnare)")
    service = PagesService.of(hostile.app)
    with hostile.app.app_context(), service.sessions() as db:
        scope = Scope(f"{hostile.tool_url}/demo/platform", "yrkesresan-demo", "1", "kurs-1")
        for n in range(3):  # more people, names as long as a launch keeps them
            service.store.touch(
                db, scope, f"other-{n}", now=JANUARY, name=RTL + "Å" * 254, role="learner"
            )
        answers = EvaluationService.of(hostile.app).store
        for n, (course, count) in enumerate(((IRI, 5), (EVALUATED_IRI, 2))):
            for person in range(count):  # 5 answers: shown; 2: "för få svar"
                answers.save(
                    db,
                    scope,
                    f"answer-{n}-{person}",
                    course_iri=course,
                    occasion_iri="",
                    ratings={"helhet": 1 + person % 5},
                    statement_ids={"helhet": str(uuid.uuid4())},
                    comment=(RTL + COMPOUND + TEN_KB)[:2000],
                    first_answered_at=JANUARY,
                    now=JANUARY,
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
    # the coordinator moves the course day: a notice for the learner and her manager
    # (the catalog's 10 kB place was seeded as it is, but a change must fit 255 characters)
    place = (RTL + COMPOUND * 5)[:255]
    day = "2027-04-14 09:00-16:00"
    edit = ("--day", day, "--place", place, "--capacity", "1")  # full: the next one waits
    moved = occasion_cli(hostile, "edit", OCCASION, *edit)
    assert moved.exit_code == 0, moved.output
    ctx = hostile_browser_context(browser)
    page = ctx.new_page()
    page.goto(f"{base}/pages/staff/occasions/?course={quote(IRI)}&{manager_q}")
    page.locator("input[name=person][value='other-0']").check()
    with page.expect_navigation():
        page.locator("form.register-form button[type=submit]").click()
    assert page.locator(".waiting-table tbody tr").count() == 1
    ctx.close()
    picker, _ = launch(browser, hostile, "Välj innehåll (djuplänkning)")
    trainer_q, admin_q = f"lt={trainer}", f"lt={admin}"
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
        "evaluation": f"{base}/pages/evaluation?course={quote(EVALUATED_IRI)}&{learner_q}",
        "evaluation-results": f"{base}/pages/staff/evaluation?course={quote(IRI)}&{manager_q}",
        "evaluation-few": (
            f"{base}/pages/staff/evaluation?course={quote(EVALUATED_IRI)}&{manager_q}"
        ),
        "trainer": f"{base}/pages/trainer/?{trainer_q}",
        "trainer-occasion": f"{base}/pages/trainer/occasion?occasion={quote(OCCASION)}&{trainer_q}",
        "admin": f"{base}/pages/admin/occasions/?{admin_q}",
        "admin-new": f"{base}/pages/admin/occasions/new?{admin_q}",
        "admin-edit": f"{base}/pages/admin/occasions/edit?occasion={quote(OCCASION)}&{admin_q}",
        "admin-cancel": (
            f"{base}/pages/admin/occasions/cancel?occasion={quote(OCCASION)}&{admin_q}"
        ),
        "error": f"{base}/pages/course?course=nothing&{learner_q}",
        "demo": f"{base}/demo/",
        "gradebook": f"{base}/demo/platform/gradebook",
        "picker": picker,
    }


def occasion_cli(servers: Servers, *args: str) -> Result:
    """``yrkesresan occasion ARGS`` on the hostile app's settings (its database)."""

    @click.group()
    def cli() -> None:
        pass

    register_commands(cli)
    settings = AdapterState.of(servers.app).settings
    result = CliRunner().invoke(cli, ["occasion", *args], obj=settings)
    # the running app sees the change now, not within its revision check's ttl (2 s)
    overlay = OccasionService.of(servers.app).overlay
    assert overlay is not None
    overlay.invalidate()
    return result


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
    "evaluation",
    "evaluation-results",
    "evaluation-few",
    "trainer",
    "trainer-occasion",
    "admin",
    "admin-new",
    "admin-edit",
    "admin-cancel",
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
    page.goto(urls["occasions"])
    waiting = page.locator(".waiting-table tbody th")
    assert waiting.count() == 1
    assert waiting.locator("bdi").count() == 1
    button = page.locator(".waiting-table button .visually-hidden")
    assert button.locator("bdi").count() == 1
    ctx.close()


def test_pages_show_the_moved_day_notice_and_the_evaluation_pages_their_state(
    browser: Any, urls: dict[str, str]
) -> None:
    """The pages above are seen with what makes them long: the moved day's notice (with
    the hostile occasion title) on the learner's and the manager's pages, the evaluation
    form open, the results shown from five answers and "för få svar" below that."""
    ctx = hostile_browser_context(browser)
    page = ctx.new_page()
    for name in ("journeys", "course", "evaluation", "staff", "occasions"):
        page.goto(urls[name])
        notice = page.locator(".notice", has=page.get_by_role("button", name="Markera som läst"))
        assert notice.count() == 1, name
        assert "Borås" in notice.inner_text()
    page.goto(urls["evaluation"])
    assert page.locator("form.evaluation-form input[type=radio]").count() == 10
    page.goto(urls["evaluation-results"])
    assert "för få svar" not in page.inner_text("main")
    assert COMPOUND in page.inner_text("main")  # the comments, without names
    page.goto(urls["evaluation-few"])
    assert "för få svar" in page.inner_text("main").lower()
    page.goto(urls["trainer-occasion"])
    assert page.locator(".attendance-table tbody tr").count() == 1
    ctx.close()
