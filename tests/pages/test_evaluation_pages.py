"""The course evaluation: a participant answers after the last course day and may change the
answer until it closes; bad answers, strangers and late answers are refused with nothing
written; managers see aggregates only from five answers on, comments without names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from tests.conftest import FakeClock
from tests.pages.conftest import COURSE, Launches, csrf_of, launch
from tests.pages.test_attendance_pages import save
from tests.pages.test_occasion_pages import JANUARY, SPRING, learners, manager, register
from yrkesresan_adapter.pages.evaluation.schema import answers_table, comments_table
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog.evaluation import OVERALL

PAGE = "/pages/evaluation"
RESULTS = "/pages/staff/evaluation"
MARCH_9 = datetime(2027, 3, 9, 8, 30, tzinfo=UTC)  # day 1 of 2
MARCH_11 = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)  # after the last course day (10 March)
CLOSED = datetime(2027, 4, 10, 9, 0, tzinfo=UTC)  # 31 days after the last course day
PEOPLE = ("anna", "bo", "cia", "dan", "eva")


@pytest.fixture
def clock_start() -> datetime:
    return JANUARY


@pytest.fixture
def app(make_app: Callable[..., Flask], clock: FakeClock) -> Flask:
    return make_app(clock=clock)


@pytest.fixture
def attended(client: FlaskClient, launches: Launches, clock: FakeClock) -> str:
    """Everyone of PEOPLE registered in January, attended day 1 on 9 March; returns the
    manager's token. Olle launched but never came."""
    learners(client, launches, *PEOPLE, "olle")
    boss = manager(launches)
    assert register(client, boss, SPRING, *PEOPLE, "olle").status_code == 303
    clock.set(MARCH_9)
    assert save(client, boss, [f"1|{p}" for p in PEOPLE]).status_code == 303
    return boss


def learner(launches: Launches, sub: str) -> str:
    return launches.add(launch(sub))


def page(client: FlaskClient, token: str, status: int = 200) -> str:
    response = client.get(PAGE, query_string={"lt": token, "course": COURSE})
    assert response.status_code == status
    return response.get_data(as_text=True)


def answer(client: FlaskClient, token: str, **fields: str) -> TestResponse:
    """POST an answer with the CSRF token of the learner's course page (which has forms
    whether or not the evaluation is open)."""
    course = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    data = {"lt": token, "csrf_token": csrf_of(course.get_data(as_text=True)), "course": COURSE}
    named = {key.replace("q_", "q-", 1): value for key, value in fields.items()}
    return client.post(PAGE, data={**data, **named})


def rows(app: Flask) -> tuple[int, int]:
    with AdapterState.of(app).services.db.session() as db:
        answers = db.execute(select(func.count()).select_from(answers_table)).scalar_one()
        comments = db.execute(select(func.count()).select_from(comments_table)).scalar_one()
    return answers, comments


def test_a_participant_answers_after_the_last_course_day_and_can_change_it(
    app: Flask, client: FlaskClient, launches: Launches, attended: str, clock: FakeClock
) -> None:
    anna = learner(launches, "anna")
    course = client.get("/pages/course", query_string={"lt": anna, "course": COURSE})
    assert "/pages/evaluation?" in course.get_data(as_text=True)  # offered on the course page
    before = page(client, anna)
    assert "öppnar efter kursens sista kursdag" in before
    assert "<form" not in before.split('id="evaluation-title"')[1]
    clock.set(MARCH_11)
    shown = page(client, anna)
    for text in ("Hur bra var kursen som helhet?", "Mycket dålig", "Mycket bra", "<legend>"):
        assert text in shown
    response = answer(client, anna, **{f"q-{OVERALL}": "4", "comment": "Lärorikt"})
    assert response.status_code == 303
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ditt svar är sparat" in again
    assert 'value="4" aria-describedby="scale-helhet" checked' in again
    assert "Lärorikt" in again
    changed = answer(client, anna, **{f"q-{OVERALL}": "5"})
    assert changed.status_code == 303
    assert rows(app) == (1, 0)  # one answer per learner, the old comment gone with it


@pytest.mark.parametrize("rating", ["6", "0", "x", ""])
def test_out_of_range_answers_are_refused_and_nothing_is_written(
    app: Flask,
    client: FlaskClient,
    launches: Launches,
    attended: str,
    clock: FakeClock,
    rating: str,
) -> None:
    clock.set(MARCH_11)
    response = answer(client, learner(launches, "bo"), **{f"q-{OVERALL}": rating, "comment": "x"})
    assert response.status_code == 422
    assert "varje betyg ska vara en siffra 1–5" in response.get_data(as_text=True)
    assert rows(app) == (0, 0)


def test_someone_who_did_not_attend_cannot_evaluate(
    app: Flask, client: FlaskClient, launches: Launches, attended: str, clock: FakeClock
) -> None:
    clock.set(MARCH_11)
    olle = learner(launches, "olle")
    assert "till för dem som deltagit i kursen" in page(client, olle)
    response = answer(client, olle, **{f"q-{OVERALL}": "5"})
    assert response.status_code == 403
    assert rows(app) == (0, 0)


def test_after_the_deadline_an_answer_can_no_longer_be_given_or_changed(
    app: Flask, client: FlaskClient, launches: Launches, attended: str, clock: FakeClock
) -> None:
    clock.set(MARCH_11)
    anna = learner(launches, "anna")
    csrf = csrf_of(page(client, anna))
    assert answer(client, anna, **{f"q-{OVERALL}": "3"}).status_code == 303
    clock.set(CLOSED)
    late = client.post(
        PAGE, data={"lt": anna, "csrf_token": csrf, "course": COURSE, f"q-{OVERALL}": "5"}
    )
    assert late.status_code == 409
    assert "Kursutvärderingen är stängd" in late.get_data(as_text=True)
    with AdapterState.of(app).services.db.session() as db:
        assert db.execute(select(answers_table.c.rating)).scalars().all() == [3]


def test_managers_see_too_few_answers_then_aggregates_without_names(
    client: FlaskClient, launches: Launches, attended: str, clock: FakeClock
) -> None:
    clock.set(MARCH_11)
    for n, sub in enumerate(PEOPLE[:4]):
        assert (
            answer(client, learner(launches, sub), **{f"q-{OVERALL}": str(n + 2)}).status_code
            == 303
        )
    results = client.get(RESULTS, query_string={"lt": attended, "course": COURSE})
    assert "För få svar" in results.get_data(as_text=True)
    eva = learner(launches, "eva")
    assert answer(client, eva, **{f"q-{OVERALL}": "5", "comment": "Bra kursdag"}).status_code == 303
    shown = client.get(RESULTS, query_string={"lt": attended, "course": COURSE}).get_data(
        as_text=True
    )
    assert "5 personer har svarat." in shown
    assert "60 % tycker att kursen är bra eller mycket bra" in shown  # 4, 5, 5 of 2..5, 5
    assert "Bra kursdag" in shown
    for sub in PEOPLE:
        assert f"Namn {sub}" not in shown
    learner_view = client.get(RESULTS, query_string={"lt": eva, "course": COURSE})
    assert learner_view.status_code == 403
