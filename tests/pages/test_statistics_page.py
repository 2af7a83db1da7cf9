"""The admin's statistics page: real actions in the pages (registration, attendance,
evaluation) show up as figures, through the same outbox as their statements; only an
Administrator sees it; a bad filter is a 400 with the reason; never a person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.pages.conftest import COURSE, Launches, launch
from tests.pages.test_attendance_pages import save
from tests.pages.test_evaluation_pages import answer
from tests.pages.test_occasion_pages import JANUARY, SPRING, learners, manager, register
from yrkesresan_lti.catalog.evaluation import OVERALL
from yrkesresan_lti.lti.context import ToolRole

PAGE = "/pages/admin/statistics/"
MARCH_9 = datetime(2027, 3, 9, 8, 30, tzinfo=UTC)
MARCH_11 = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)
PEOPLE = ("anna", "bo", "cia", "dan", "eva")


@pytest.fixture
def clock_start() -> datetime:
    return JANUARY


@pytest.fixture
def app(make_app: Callable[..., Flask], clock: FakeClock) -> Flask:
    return make_app(clock=clock, outbox_events=True)


@pytest.fixture
def admin(launches: Launches) -> str:
    return launches.add(launch("adm", role=ToolRole.ADMIN))


@pytest.fixture
def year_of_course(client: FlaskClient, launches: Launches, clock: FakeClock) -> None:
    """Five registered and attended day 1 and answered 5, 5, 4, 4, 2; olle registered and
    never came."""
    learners(client, launches, *PEOPLE, "olle")
    boss = manager(launches)
    assert register(client, boss, SPRING, *PEOPLE, "olle").status_code == 303
    clock.set(MARCH_9)
    assert save(client, boss, [f"1|{p}" for p in PEOPLE]).status_code == 303
    clock.set(MARCH_11)
    for person, rating in zip(PEOPLE, ("5", "5", "4", "4", "2"), strict=True):
        token = launches.add(launch(person))
        assert answer(client, token, **{f"q-{OVERALL}": rating}).status_code == 303


def _figure(html: str, name: str) -> str:
    return html.split(f"<dt>{name}</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_the_admin_sees_the_figures_of_what_happened_in_the_pages(
    client: FlaskClient, admin: str, year_of_course: None
) -> None:
    response = client.get(PAGE, query_string={"lt": admin})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _figure(html, "Deltagare") == "5"
    assert _figure(html, "Anmälda") == "6"
    assert _figure(html, "Kurstillfällen") == "1"
    assert _figure(html, "Svar") == "5"
    assert _figure(html, "Bra eller mycket bra") == "80 %"
    assert "4 personer har svarat" not in html
    assert "okänd kommun" in html  # no municipality attached to the platform in this test
    assert 'role="img"' in html  # the map and the charts
    assert "Samma siffror som tabell" in html
    for person in (*PEOPLE, "olle"):
        assert f"Namn {person}" not in html


def test_filters_narrow_the_figures_and_a_bad_one_is_a_400(
    client: FlaskClient, admin: str, year_of_course: None
) -> None:
    other_year = client.get(PAGE, query_string={"lt": admin, "year": "2001"})
    assert _figure(other_year.get_data(as_text=True), "Deltagare") == "0"
    course = client.get(PAGE, query_string={"lt": admin, "course": COURSE.rsplit("/", 1)[1]})
    assert _figure(course.get_data(as_text=True), "Deltagare") == "5"
    bad = client.get(PAGE, query_string={"lt": admin, "region": "Atlantis"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Atlantis är inte ett svenskt län" in text
    assert 'href="#f-region"' in text


def test_too_few_answers_show_only_their_count(
    client: FlaskClient, launches: Launches, admin: str, clock: FakeClock
) -> None:
    learners(client, launches, "anna")
    boss = manager(launches)
    register(client, boss, SPRING, "anna")
    clock.set(MARCH_9)
    save(client, boss, ["1|anna"])
    clock.set(MARCH_11)
    answer(client, launches.add(launch("anna")), **{f"q-{OVERALL}": "5"})
    html = client.get(PAGE, query_string={"lt": admin}).get_data(as_text=True)
    assert _figure(html, "Svar") == "1"
    assert _figure(html, "Bra eller mycket bra") == "för få svar"
    assert "För få svar: resultat visas när minst 5 har svarat." in html


@pytest.mark.parametrize("role", [ToolRole.LEARNER, ToolRole.MANAGER])
def test_only_an_administrator_may_see_the_statistics(
    client: FlaskClient, launches: Launches, role: ToolRole
) -> None:
    token = launches.add(launch("someone", role=role))
    assert client.get(PAGE, query_string={"lt": token}).status_code == 403
