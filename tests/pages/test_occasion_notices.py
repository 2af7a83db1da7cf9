"""A cancelled occasion or a moved course day is told to the learners and managers it
concerns on their next page view, and stays until they mark it read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.pages.conftest import Launches, csrf_of, launch
from tests.pages.test_occasion_pages import (
    AUTUMN,
    JANUARY,
    followed,
    learners,
    manager,
    page,
    register,
)
from yrkesresan_adapter.pages.occasions import OccasionService
from yrkesresan_adapter.pages.service import PagesService


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(clock=FakeClock(JANUARY))
    pages = PagesService.of(app)
    overlay = OccasionService.of(app).overlay
    assert overlay is not None
    overlay.seed(pages.catalog(), now=JANUARY)  # the test catalog's occasions, stored
    return app


def _journey(client: FlaskClient, token: str) -> str:
    return followed(client, client.get("/pages/", query_string={"lt": token}))


def _cancel(app: Flask) -> None:
    pages = PagesService.of(app)
    with pages.sessions() as db:
        OccasionService.of(app).planning(pages).cancel(db, AUTUMN, actor="cli", now=JANUARY)


def test_a_cancelled_occasion_is_told_to_learner_and_manager_until_read(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo")
    boss = manager(launches)
    assert register(client, boss, AUTUMN, "anna").status_code == 303
    _cancel(app)
    anna = launches.add(launch("anna"))
    told = "Kurstillfället Digitalt, hösten 2027 är inställt."
    shown = _journey(client, anna)
    assert told in shown
    assert told in _journey(client, anna)  # still there on the next view: kept until read
    assert told in page(client, boss)
    assert told not in _journey(client, launches.add(launch("bo")))  # not registered
    notice = shown.split('name="notice" value="')[1].split('"')[0]
    data = {"lt": anna, "csrf_token": csrf_of(shown), "notice": notice, "back": "/pages/?lt=x"}
    read = client.post("/pages/notices/read", data=data)
    assert read.status_code == 303
    assert read.headers["Location"].endswith("/pages/?lt=x")
    assert told not in _journey(client, anna)
    assert told in page(client, boss)  # the manager's own notice is still unread


def test_marking_read_refuses_a_foreign_page_and_someone_elses_notice(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    boss = manager(launches)
    register(client, boss, AUTUMN, "anna")
    _cancel(app)
    anna = launches.add(launch("anna"))
    shown = _journey(client, anna)
    manager_page = page(client, boss)
    bosses = manager_page.split('name="notice" value="')[1].split('"')[0]
    data = {"lt": anna, "csrf_token": csrf_of(shown), "notice": bosses}
    read = client.post("/pages/notices/read", data={**data, "back": "//evil.example/"})
    assert read.status_code == 303
    assert "evil" not in read.headers["Location"]
    assert "inställt" in page(client, boss)  # anna cannot mark the boss's notice read
    bad = client.post("/pages/notices/read", data={**data, "notice": "x"})
    assert bad.status_code == 400
    superscript = client.post("/pages/notices/read", data={**data, "notice": "²"})
    assert superscript.status_code == 400  # "²".isdigit(), but int("²") fails: was a 500
    no_csrf = client.post("/pages/notices/read", data={"lt": anna, "notice": bosses})
    assert no_csrf.status_code in (400, 403)


def test_a_moved_day_is_told_with_the_new_date(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    register(client, manager(launches), AUTUMN, "anna")
    pages = PagesService.of(app)
    service = OccasionService.of(app)
    with pages.sessions() as db:
        plan = service.plans.get(db, AUTUMN)
        assert plan is not None
        first = plan.days[0]
        later = replace(first, date=first.date + dt.timedelta(days=7))
        service.planning(pages).edit(
            db, replace(plan, days=(later, *plan.days[1:])), actor="cli", now=JANUARY
        )
    shown = _journey(client, launches.add(launch("anna")))
    assert "Kursdag 1 i Digitalt, hösten 2027 är flyttad från" in shown
    assert f"{later.date.day} " in shown
