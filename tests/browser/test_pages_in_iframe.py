"""The pages in Chromium, inside an LMS iframe of another origin, keyboard and axe-checked.

A learner launches from the demo course page into its cross-site iframe (third-party
cookies blocked, the launch carried by platform storage), opens and completes two tasks,
sees the progress move and undoes one; a manager sees that learner and the chart; a mentor
sees only their mentee. Without platform storage (as from Moodle 4.5) the same launch offers a
new window (tests/browser/test_demo_course_iframe.py). Every page passes axe-core's WCAG 2.1
A/AA rules.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.browser.conftest import Servers, axe_violations, screenshot, sideways_scroll
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.storage.scope import Scope

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COURSE_TITLE = "Samtal med barn"


def launch_in_iframe(context: Any, servers: Servers, button: str) -> tuple[Any, Any]:
    """Launch from the demo course page into its cross-site iframe, cookies blocked.

    The course page (``localhost``) posts the login into the ``tool`` iframe
    (``127.0.0.1``); the whole OIDC flow runs in that frame, the browser binding goes through
    the platform's storage frame instead of the blocked cookie. Returns the course page and
    the tool's frame, on the landing page.
    """
    context.clear_cookies()
    page = context.new_page()
    page.goto(servers.course_url)
    page.get_by_role("button", name=button).click()
    tool = page.frame(name="tool")
    assert tool is not None
    tool.wait_for_url(re.compile(r"/pages/"))
    tool.wait_for_load_state()
    assert tool.url.startswith(servers.tool_url + "/pages/")
    # the tool's cookies were blocked in the cross-site frame: platform storage carried it
    assert [c["name"] for c in context.cookies(servers.tool_url)] == []
    return page, tool


def open_course_as_learner(context: Any, servers: Servers) -> tuple[Any, Any]:
    """Launch as the demo learner and open the course's page, waiting for each page."""
    page, tool = launch_in_iframe(context, servers, "Starta som deltagare")
    tool.get_by_role("link", name="Barn och unga, myndighetsutövning").click()
    tool.wait_for_selector("ol.road")
    tool.get_by_role("link", name=COURSE_TITLE).first.click()
    tool.wait_for_selector("#n-course-days")
    return page, tool


def no_violations(tool: Any, where: str) -> None:
    violations = axe_violations(tool)
    assert violations == [], f"{where}: {violations}"


def progress_text(tool: Any, name: str) -> str:
    return str(tool.locator(f"#{name}-text").inner_text())


@pytest.fixture(scope="module")
def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


def test_learner_completes_and_undoes_tasks_in_the_iframe(servers: Servers, context: Any) -> None:
    page, tool = launch_in_iframe(context, servers, "Starta som deltagare")
    tool.get_by_role("link", name="Barn och unga, myndighetsutövning").click()
    tool.wait_for_selector("ol.road")
    assert tool.locator("html").get_attribute("lang") == "sv"
    no_violations(tool, "journey")
    journey_url = tool.url

    tool.get_by_role("link", name=COURSE_TITLE).first.click()
    tool.wait_for_selector("#course-progress")
    no_violations(tool, "course")
    course_url = tool.url
    assert re.match(r"0 av \d+ klara \(0 %\)", progress_text(tool, "course-progress"))

    # opening a task opens its resource in a new tab
    first_task = tool.locator(".task").first
    with context.expect_page() as new_tab:
        first_task.get_by_role("button", name=re.compile("^Öppna")).click()
    new_tab.value.close()

    # keyboard only: focus the first "Markera som klar" and press Enter, then the second
    for _ in range(2):
        button = tool.get_by_role("button", name=re.compile("^Markera som klar")).first
        button.focus()
        button.press("Enter")
        tool.wait_for_function(
            "(n) => document.querySelectorAll('.task--done').length === n",
            arg=_ + 1,
        )
    assert re.match(r"2 av \d+ klara", progress_text(tool, "course-progress"))
    assert "markerad som klar" in tool.locator(".status-region").inner_text()
    focused = tool.evaluate("() => document.activeElement && document.activeElement.tagName")
    assert focused == "BUTTON"  # focus stays on the task the learner acted on

    tool.get_by_role("button", name=re.compile("^Ångra")).first.click()
    tool.wait_for_function("() => document.querySelectorAll('.task--done').length === 1")
    assert re.match(r"1 av \d+ klara", progress_text(tool, "course-progress"))
    no_violations(tool, "course after undo")

    screenshot(context, journey_url, "journey")
    screenshot(context, course_url, "course", element="#n-preparation")
    page.close()


FETCH_LOG = """() => {
  window.taskPosts = [];
  const send = window.fetch;
  let sent = 0;
  window.fetch = function (url, options) {
    if (!options || options.method !== "POST") { return send.apply(this, arguments); }
    const number = ++sent;
    window.taskPosts.push("sent " + number);
    return send.apply(this, arguments).then((answer) => {
      window.taskPosts.push("answered " + number);
      return answer;
    });
  };
}"""


def test_two_quick_clicks_are_sent_one_after_the_other_and_both_show(
    servers: Servers, context: Any
) -> None:
    """A tired learner clicks two tasks at once (seen on a real Moodle: the first answer
    arrived last and showed the second task undone). The second waits for the first."""
    page, tool = open_course_as_learner(context, servers)
    done = tool.locator(".task--done").count()
    tool.evaluate(FETCH_LOG)
    tool.evaluate(
        """() => {
          const buttons = [...document.querySelectorAll(".task:not(.task--done) button")]
            .filter((b) => b.textContent.trim().startsWith("Markera som klar"));
          buttons[0].click();
          buttons[1].click();  // the same moment: before the first answer
        }"""
    )
    tool.wait_for_function("() => window.taskPosts.length === 4")
    assert tool.evaluate("() => window.taskPosts") == [
        "sent 1",
        "answered 1",
        "sent 2",
        "answered 2",
    ]
    tool.wait_for_function(
        "(n) => document.querySelectorAll('.task--done').length === n", arg=done + 2
    )
    tool.goto(tool.url)  # a reload: what the server saved is what the page showed
    tool.wait_for_selector("#course-progress")
    assert tool.locator(".task--done").count() == done + 2
    page.close()


def test_manager_sees_the_learner_and_the_chart(servers: Servers, context: Any) -> None:
    page, tool = launch_in_iframe(context, servers, "Starta som chef")
    # a manager's plain launch lands on the staff view, not on a checklist to tick
    tool.wait_for_selector("table.staff-table")
    assert tool.get_by_role("heading", name="Personalens framsteg", level=1).count() == 1
    assert tool.get_by_role("button", name=re.compile("^Markera som klar")).count() == 0
    row = tool.locator(".staff-table tbody tr", has_text="Lina Larsson")
    assert row.count() == 1
    assert "Pågår" in row.inner_text()
    # the goal chart: one per course of the journey, each titled with its course
    charts = tool.locator("svg.chart")
    assert charts.count() == 8
    assert charts.first.get_attribute("role") == "img"
    assert charts.first.locator("title").first.text_content() == (
        "Gruppens framsteg per kunskapsmål: Handläggning med barn i centrum"
    )
    no_violations(tool, "staff")

    # server-side filter, enhanced: typing refreshes the list without a page load
    tool.get_by_label("Sök namn").fill("ingen sådan person")
    tool.wait_for_function("() => document.querySelectorAll('.staff-table tbody tr').length === 0")
    assert "q=ingen" in tool.url  # the address follows the filter (history.replaceState)
    screenshot(context, re.sub(r"&q=[^&]*", "", tool.url), "staff")
    page.close()


def test_manager_drills_into_the_learner_read_only(servers: Servers, context: Any) -> None:
    page, tool = launch_in_iframe(context, servers, "Starta som chef")
    tool.get_by_role("link", name="Personalens framsteg").click()
    tool.get_by_role("link", name="Lina Larsson").click()
    tool.wait_for_selector("ol.road")
    assert "endast läsning" in tool.locator(".hero").inner_text()
    no_violations(tool, "drill-down")
    page.close()


def test_mentor_sees_only_the_mentee(servers: Servers, context: Any) -> None:
    service = PagesService.of(servers.app)
    with servers.app.app_context(), service.sessions() as db:
        issuer = f"{servers.tool_url}/demo/platform"
        other = Scope(issuer, "yrkesresan-demo", "1", "kurs-1")
        service.store.touch(
            db, other, "not-a-mentee", now=datetime.now(UTC), name="Olle Other", role="learner"
        )
    page, tool = launch_in_iframe(context, servers, "Starta som mentor")
    tool.get_by_role("link", name="Personalens framsteg").click()
    tool.wait_for_selector("table.staff-table")
    names = tool.locator(".staff-table tbody th").all_inner_texts()
    assert names == ["Lina Larsson"]
    no_violations(tool, "mentor staff")
    page.close()


@pytest.mark.parametrize("path", ["journey?journey=barn-och-unga", "course?course={course}"])
def test_pages_fit_a_320_px_iframe(servers: Servers, browser: Any, path: str) -> None:
    ctx = browser.new_context(viewport={"width": 320, "height": 800}, locale="sv-SE")
    page, tool = launch_in_iframe(ctx, servers, "Starta som deltagare")
    course = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
    token = re.search(r"lt=([^&]+)", tool.url)
    assert token is not None
    target = f"{servers.tool_url}/pages/{path.format(course=course)}&lt={token.group(1)}"
    page.goto(servers.parent_url + "?" + urlencode({"src": target}))
    tool = page.frame(name="tool")
    tool.wait_for_selector("main h1")
    assert sideways_scroll(tool) <= 0, "the page scrolls sideways at 320 px"
    no_violations(tool, f"{path} at 320 px")
    ctx.close()
