"""Issue 15's "Done when", walked in Chromium on the demo: a coordinator imports next
term's occasion from an Excel CSV with ``yrkesresan occasion import`` (on the app's own
database), the demo's manager registers staff until it is full and the next person onto
the waiting list, a withdrawal promotes the first in line (her status visible to the
manager and to herself), the trainer records attendance on her own page, and the learner
downloads the calendar file. Every page visited is checked at 390 and 1280 px: no
sideways scroll and no axe-core WCAG 2.1 A/AA violation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click
import icalendar
import pytest
from click.testing import CliRunner, Result

from tests.browser.conftest import Servers, axe_violations, running_servers, sideways_scroll
from tests.conftest import FakeClock
from tests.db_fixtures import empty_database_url
from yrkesresan_adapter.cli import register as register_commands
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.testing.claims import USERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COURSE = "https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal-med-barn"
SLUG = "alingsas-vt-2027"
OCCASION = f"{COURSE}/occasions/{SLUG}"
TITLE = "Alingsås, våren 2027"
CSV = (
    "kurs;tillfälle;titel;region;dagar;plats;utbildare;platser;sista_anmälningsdag;status\r\n"
    f"{COURSE};{SLUG};{TITLE};GR;2027-03-09 09:00-16:00, 2027-03-23 09:00-12:00;"
    "Alingsås, Stadshuset;tove;1;2027-02-26;open\r\n"
)
JANUARY = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
COURSE_DAY = datetime(2027, 3, 9, 9, 0, tzinfo=UTC)  # 10:00 in Sweden, day 1 has begun
LINA, NILS = USERS["learner"].name, USERS["assistant"].name  # the roster's two learners


def occasion_cli(servers: Servers, *args: str) -> Result:
    """``yrkesresan occasion ARGS`` on the browser app's settings (the same database)."""

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


SEEN: list[str] = []


def fits_and_passes_axe(page: Any, name: str) -> None:
    """The page as it is now, at 390 and 1280 px: no sideways scroll, no violation."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = sideways_scroll(page)
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"
        violations = axe_violations(page)
        assert violations == [], f"{name} at {width} px: {violations}"
    SEEN.append(name)


def launch(context: Any, servers: Servers, button: str) -> Any:
    page = context.new_page()
    page.goto(servers.tool_url + "/demo/")
    page.get_by_role("button", name=button, exact=True).first.click()
    page.wait_for_url(re.compile(r"/pages/"))
    return page


def token(page: Any) -> str:
    found = re.search(r"lt=([^&#]+)", page.url)
    assert found is not None, page.url
    return found.group(1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    """The demo on SQLite and on PostgreSQL (a schema of its own)."""
    directory = tmp_path_factory.mktemp("term")
    with (
        empty_database_url(request.param, directory) as url,
        running_servers(directory, url) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def context(browser: Any, servers: Servers) -> Any:
    """A fresh browser per database: nothing of the other run's cookies."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield ctx
    ctx.close()


def test_import_register_wait_promote_attend_and_download_the_calendar(
    servers: Servers, context: Any, tmp_path: Path
) -> None:
    SEEN.clear()
    clock = FakeClock(JANUARY)
    PagesService.of(servers.app).clock = clock

    # the coordinator: the trainer into the register, next term's occasion from Excel's CSV
    result = occasion_cli(
        servers,
        "trainer",
        "tove",
        "--region",
        "GR",
        "--name",
        USERS["trainer"].name,
        "--email",
        USERS["trainer"].email,
    )
    assert result.exit_code == 0, result.output
    csv = tmp_path / "vt-2027.csv"
    csv.write_bytes(CSV.encode("utf-8-sig"))
    result = occasion_cli(servers, "import", str(csv))
    assert result.exit_code == 0, result.output
    assert "1 tillagda" in result.output or "1 added" in result.output

    # the manager: Nils takes the only seat, Lina goes on the waiting list
    page = launch(context, servers, "Starta som chef")
    page.goto(f"{servers.tool_url}/pages/staff/occasions/?course={quote(COURSE)}&lt={token(page)}")
    occasion = page.locator(f"#n-{SLUG}")
    assert "1 av 1" in occasion.inner_text()
    fits_and_passes_axe(page, "occasions")
    page.get_by_role("radio", name=re.compile(TITLE)).check()
    page.get_by_role("checkbox", name=re.compile(NILS)).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Anmäl valda").click()
    assert f"1 person är anmäld till {TITLE}." in page.locator(".status-region").inner_text()
    assert "Fullbokat" in occasion.inner_text()
    assert "0 av 1" in occasion.inner_text()
    fits_and_passes_axe(page, "occasions, full")

    radio = page.get_by_role("radio", name=re.compile(TITLE))
    assert "fullbokat, 0 på väntelistan" in page.locator(f"label[for=occ-{SLUG}]").inner_text()
    radio.check()
    assert page.get_by_role(
        "checkbox", name="Ställ dem som inte får plats på väntelistan"
    ).is_checked()
    page.get_by_role("checkbox", name=re.compile(LINA)).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Anmäl valda").click()
    waiting = page.locator(
        "section", has=page.get_by_role("heading", name="På väntelistan från din personal")
    )
    row = waiting.get_by_role("row", name=re.compile(LINA))
    assert row.get_by_role("cell").all_inner_texts()[:2] == [TITLE, "1"]  # first in line
    assert "På väntelistan\n1" in occasion.inner_text()
    fits_and_passes_axe(page, "occasions, waiting list")

    # a withdrawal promotes the first in line, at once
    registered = page.locator(
        "section", has=page.get_by_role("heading", name="Anmälda från din personal")
    )
    withdraw = registered.get_by_role("button", name=re.compile(f"^Ta bort anmälan.*{NILS}"))
    with page.expect_navigation():
        withdraw.click()
    assert "Ingen från din personal står på väntelistan." in waiting.inner_text()
    lina = registered.get_by_role("row", name=re.compile(LINA))
    assert TITLE in lina.inner_text()
    assert registered.get_by_role("row", name=re.compile(NILS)).count() == 0
    assert "0 av 1" in occasion.inner_text()
    fits_and_passes_axe(page, "occasions, promoted")
    page.close()

    learner = launch(context, servers, "Starta som deltagare")
    learner.goto(f"{servers.tool_url}/pages/course?course={quote(COURSE)}&lt={token(learner)}")
    days = learner.locator("#n-course-days").inner_text()
    assert "Du är anmäld till det här kurstillfället." in days
    assert TITLE in days
    fits_and_passes_axe(learner, "course, registered")
    learner.close()

    # the course day: the trainer ticks Lina on her own page
    clock.set(COURSE_DAY)
    page = launch(context, servers, "Starta som utbildare")
    page.goto(f"{servers.tool_url}/pages/trainer/?lt={token(page)}")
    page.get_by_role("heading", name="Mina kurstillfällen", level=1).wait_for()
    fits_and_passes_axe(page, "trainer")
    page.get_by_role("link", name=re.compile(f"^Deltagare och närvaro.*{TITLE}")).click()
    page.get_by_role("heading", name="Deltagare och närvaro", level=1).wait_for()
    fits_and_passes_axe(page, "trainer occasion")
    day_1 = page.get_by_role("checkbox", name=f"{LINA}, närvarande 9 mars 2027")
    day_2 = page.get_by_role("checkbox", name=f"{LINA}, närvarande 23 mars 2027")
    assert day_2.is_disabled()  # not begun
    day_1.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Spara närvaro").click()
    assert (
        "Närvaron är sparad: 1 tillagda, 0 borttagna."
        in page.locator(".status-region").inner_text()
    )
    assert page.get_by_role("checkbox", name=f"{LINA}, närvarande 9 mars 2027").is_checked()
    fits_and_passes_axe(page, "trainer occasion, saved")
    page.close()

    # the learner: attended on her course page, and the calendar file of her occasion
    learner = launch(context, servers, "Starta som deltagare")
    learner.goto(f"{servers.tool_url}/pages/course?course={quote(COURSE)}&lt={token(learner)}")
    assert "Närvarande" in learner.locator("#n-course-days").inner_text()
    fits_and_passes_axe(learner, "course, attended")
    link = learner.get_by_role("link", name="Ladda ned kursdagarna till din kalender (.ics)")
    with learner.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"{SLUG}.ics"
    href = link.get_attribute("href")
    assert href is not None
    answer = context.request.get(servers.tool_url + href if href.startswith("/") else href)
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(answer.body())
    events = calendar.walk("VEVENT")
    assert len(events) == 2  # one per course day
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert [f"{s:%Y-%m-%d %H:%M}" for s in starts] == ["2027-03-09 09:00", "2027-03-23 09:00"]
    assert str(starts[0].tzinfo) == "Europe/Stockholm"
    assert {str(e["LOCATION"]) for e in events} == {"Alingsås, Stadshuset"}
    assert len({str(e["UID"]) for e in events}) == 2
    learner.close()
    assert len(SEEN) == 9
