"""Screenshots of every page for docs/pages.md, at 390 and 1280 px, with the demo's own
catalog and people; and the same pages at 320 and 390 px must not scroll sideways.

The learner has done one task, the manager registered her for an occasion. Screenshots
(the first screen of each page) go to ``test-artifacts/screenshots/docs-<page>-<width>.png``;
docs/pages.md shows copies of them (docs/screenshots/).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from tests.browser.conftest import ROOT, SCREENSHOTS, Servers, sideways_scroll
from tests.conftest import FakeClock
from yrkesresan_adapter.cli.occasion import occasion_group
from yrkesresan_adapter.pages.evaluation.service import EvaluationService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.view_models import find_course
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IRI = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
OCCASION = IRI + "/occasions/boras-vt-2027"
JANUARY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
COURSE_DAY = datetime(2027, 4, 13, 8, 0, tzinfo=UTC)  # the occasion's day, 10:00 in Sweden
LATER = (  # pages seen on the course day, after attendance and the follow-up
    "evaluation",
    "evaluation-results",
    "trainer",
    "trainer-occasion",
    "admin",
    "admin-edit",
    "admin-cancel",
    "notice",
)
COMMENTS = (
    "Bra exempel från praktiken.",
    "Mer tid för samtalsövningar, tack.",
    "Kursledarna var engagerade.",
)
FIGURES = ROOT / "test-artifacts" / "layout-demo.json"
SEEN: dict[str, int] = {}


def top_launch(browser: Any, servers: Servers, button: str) -> str:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("button", name=button, exact=True).first.click()
    page.wait_for_url(re.compile(r"/pages/"))
    token = re.search(r"lt=([^&#]+)", page.url)
    assert token is not None
    ctx.close()
    return token.group(1)


@pytest.fixture(scope="module")
def clock(servers: Servers) -> FakeClock:
    clock = FakeClock(JANUARY)
    PagesService.of(servers.app).clock = clock
    return clock


def course_day(browser: Any, servers: Servers, clock: FakeClock, manager: str) -> None:
    """On the course day: Lina attended (the manager ticks her), her follow-up is done,
    five colleagues of the course answered the evaluation."""
    clock.set(COURSE_DAY)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    base = servers.tool_url
    page.goto(f"{base}/pages/staff/occasions/attendance?occasion={quote(OCCASION)}&lt={manager}")
    page.get_by_role("checkbox", name="Lina Larsson, närvarande 13 april 2027").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Spara närvaro").click()
    ctx.close()
    service = PagesService.of(servers.app)
    course = find_course(service.catalog(), IRI)
    scope = Scope(f"{base}/demo/platform", "yrkesresan-demo", "1", "kurs-1")
    with servers.app.app_context(), service.sessions() as db:
        for task in course.follow_up.tasks:
            service.store.mark_done(
                db, scope, "sim-learner-1", task.iri, statement_id=str(uuid.uuid4()), now=COURSE_DAY
            )
        for n in range(5):
            EvaluationService.of(servers.app).store.save(
                db,
                scope,
                f"colleague-{n}",
                course_iri=IRI,
                occasion_iri=OCCASION,
                ratings={"helhet": (5, 4, 5, 3, 4)[n]},
                statement_ids={"helhet": str(uuid.uuid4())},
                comment=COMMENTS[n] if n < len(COMMENTS) else None,
                first_answered_at=COURSE_DAY,
                now=COURSE_DAY,
            )


@pytest.fixture(scope="module")
def pages(browser: Any, servers: Servers, clock: FakeClock) -> Iterator[dict[str, str]]:
    learner = top_launch(browser, servers, "Starta som deltagare")
    manager = top_launch(browser, servers, "Starta som chef")
    trainer = top_launch(browser, servers, "Starta som utbildare")
    admin = top_launch(browser, servers, "Starta som administratör (samordnare)")
    base = servers.tool_url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    page.goto(f"{base}/pages/course?course={quote(IRI)}&lt={learner}")
    page.locator("form[action$='/task/done'] button").first.click()
    page.wait_for_selector(".task--done")
    page.goto(f"{base}/pages/staff/occasions/?course={quote(IRI)}&lt={manager}")
    page.locator("input[name=person][value='sim-learner-1']").check()
    page.locator("input[name=occasion]").first.check()
    page.locator("form.register-form button[type=submit]").click()
    page.wait_for_selector(".status-region .notice")
    ctx.close()
    yield {
        "journey": f"{base}/pages/journey?journey=barn-och-unga&lt={learner}",
        "course": f"{base}/pages/course?course={quote(IRI)}&lt={learner}",
        "staff": f"{base}/pages/staff/?lt={manager}",
        "staff-course": f"{base}/pages/staff/?course=samtal-med-barn&lt={manager}",
        "occasions": f"{base}/pages/staff/occasions/?course={quote(IRI)}&lt={manager}",
        "attendance": (
            f"{base}/pages/staff/occasions/attendance?occasion={quote(OCCASION)}&lt={manager}"
        ),
        "demo": f"{base}/demo/",
        "evaluation": f"{base}/pages/evaluation?course={quote(IRI)}&lt={learner}",
        "evaluation-results": f"{base}/pages/staff/evaluation?course={quote(IRI)}&lt={manager}",
        "trainer": f"{base}/pages/trainer/?lt={trainer}",
        "trainer-occasion": (
            f"{base}/pages/trainer/occasion?occasion={quote(OCCASION)}&lt={trainer}"
        ),
        "admin": f"{base}/pages/admin/occasions/?lt={admin}",
        "admin-edit": f"{base}/pages/admin/occasions/edit?occasion={quote(OCCASION)}&lt={admin}",
        "admin-cancel": (
            f"{base}/pages/admin/occasions/cancel?occasion={quote(OCCASION)}&lt={admin}"
        ),
        "notice": f"{base}/pages/course?course={quote(IRI)}&lt={learner}",
        "manager-token": manager,
    }
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(SEEN, indent=1, sort_keys=True), "utf-8")


NAMES = ["journey", "course", "staff", "staff-course", "occasions", "attendance", "demo", *LATER]


@pytest.mark.parametrize("name", NAMES)
def test_screenshot_and_fit(
    browser: Any, servers: Servers, clock: FakeClock, pages: dict[str, str], name: str
) -> None:
    """(The pages of LATER come last, in this order: the course day is set up once, and
    the notice, a moved course day, is left only at the end.)"""
    if name in LATER and clock.now() != COURSE_DAY:
        course_day(browser, servers, clock, pages["manager-token"])
    if name == "notice":  # the coordinator moves the course day a week: Lina is told
        settings = AdapterState.of(servers.app).settings
        moved = CliRunner().invoke(
            occasion_group, ["edit", OCCASION, "--day", "2027-04-20 09:00-16:00"], obj=settings
        )
        assert moved.exit_code == 0, moved.output
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflow = {}
    for width in (320, 390, 1280):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
        page = ctx.new_page()
        page.goto(pages[name])
        if name == "notice":
            assert page.get_by_role("button", name="Markera som läst").count() == 1
        overflow[width] = sideways_scroll(page)
        SEEN[f"{name}@{width}"] = overflow[width]
        if width != 320:
            page.screenshot(path=str(SCREENSHOTS / f"docs-{name}-{width}.png"))
        ctx.close()
    assert overflow[320] <= 0, f"{name} scrolls sideways at 320 px: {overflow}"
    assert overflow[390] <= 0, f"{name} scrolls sideways at 390 px: {overflow}"
