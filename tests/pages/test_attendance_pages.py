"""Attendance on course days: the manager ticks who attended, corrections withdraw it, the
learner sees "Närvarande"; mentors only look, other tenants see and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.conftest import FakeClock
from tests.pages.conftest import COURSE, HOSTILE, Launches, csrf_of, launch
from tests.pages.test_occasion_pages import JANUARY, SPRING, learners, manager, register
from yrkesresan_adapter.pages.attendance.schema import attendance_table
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.context import ToolRole

PAGE = "/pages/staff/occasions/attendance"
DAY_1, DAY_2 = f"{SPRING}/days/1", f"{SPRING}/days/2"  # 9 and 10 March 2027
MARCH_9 = datetime(2027, 3, 9, 8, 30, tzinfo=UTC)  # day 1 has begun, day 2 has not


@pytest.fixture
def clock_start() -> datetime:
    return JANUARY  # registering in January; tests move the clock on to the course days


@pytest.fixture
def app(make_app: Callable[..., Flask], clock: FakeClock) -> Flask:
    return make_app(clock=clock)


@pytest.fixture
def registered(client: FlaskClient, launches: Launches, clock: FakeClock) -> str:
    """Anna and Bo registered for the spring occasion in January; now it is 9 March.
    Returns the manager's launch token."""
    learners(client, launches, "anna", "bo")
    boss = manager(launches)
    assert register(client, boss, SPRING, "anna", "bo").status_code == 303
    clock.set(MARCH_9)
    return boss


def page(client: FlaskClient, token: str, status: int = 200) -> str:
    response = client.get(PAGE, query_string={"lt": token, "occasion": SPRING})
    assert response.status_code == status
    return response.get_data(as_text=True)


def save(
    client: FlaskClient,
    token: str,
    attended: list[str],
    was: list[str] = (),  # type: ignore[assignment]
    *,
    csrf: str | None = None,
) -> TestResponse:
    csrf = csrf if csrf is not None else csrf_of(page(client, token))
    data = {"lt": token, "csrf_token": csrf, "occasion": SPRING}
    return client.post(PAGE, data={**data, "attended": attended, "was": list(was)})


def followed(client: FlaskClient, response: TestResponse) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def stored(app: Flask) -> set[tuple[str, str]]:
    table = attendance_table
    with AdapterState.of(app).services.db.session() as db:
        return {(s, d) for s, d in db.execute(select(table.c.user_sub, table.c.day_iri))}


def csrf_for(client: FlaskClient, token: str) -> str:
    """The launch's CSRF token from its course page (a page without forms has none)."""
    course = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    return csrf_of(course.get_data(as_text=True))


def checkbox(html: str, label: str) -> str:
    """The checkbox input whose visually hidden label is ``label`` (the name in ``<bdi>``)."""
    name, rest = label.split(", ", 1)
    hidden = f'<span class="visually-hidden"><bdi>{name}</bdi>, {rest}</span>'
    before = html.split(hidden)[0]
    return before[before.rindex("<input") :].split(">")[0]


def test_the_manager_sees_registered_people_by_day_and_only_begun_days_are_open(
    client: FlaskClient, registered: str
) -> None:
    shown = page(client, registered)
    for text in (
        "<h1>Närvaro på kursdagarna</h1>",
        "<caption",
        "Närvaro per kursdag, Kurstillfälle vt-2027",
        '<th scope="col">Namn</th>',
        '<th scope="row"><bdi>Namn anna</bdi></th>',
        '<th scope="row"><bdi>Namn bo</bdi></th>',
        "Göteborg",
        "Anna Utbildare",
        "(inte börjat)",
        "närvaro förs från och med kursdagen",
        ">Spara närvaro</button>",
    ):
        assert text in shown, text
    assert "disabled" not in checkbox(shown, "Namn anna, närvarande 9 mars 2027")
    assert "disabled" in checkbox(shown, "Namn anna, närvarande 10 mars 2027")
    assert 'class="table-scroll" role="region"' in shown


def test_the_occasion_page_links_each_occasion_to_its_attendance(
    client: FlaskClient, registered: str
) -> None:
    shown = client.get(
        "/pages/staff/occasions/", query_string={"lt": registered, "course": COURSE}
    ).get_data(as_text=True)
    assert f"/pages/staff/occasions/attendance?occasion={escape(SPRING)}" in shown.replace(
        "%3A", ":"
    ).replace("%2F", "/")
    assert shown.count("Närvaro på kursdagarna") == 2


def test_recording_attendance_shows_it_ticked_and_the_learner_sees_narvarande(
    app: Flask, client: FlaskClient, launches: Launches, registered: str
) -> None:
    shown = followed(client, save(client, registered, ["1|anna"]))
    assert "Närvaron är sparad: 1 tillagda, 0 borttagna." in shown
    assert '<p class="notice">' in shown.split('role="status"')[1].split("</div>")[0]
    assert "checked" in checkbox(shown, "Namn anna, närvarande 9 mars 2027")
    assert "checked" not in checkbox(shown, "Namn bo, närvarande 9 mars 2027")
    assert stored(app) == {("anna", DAY_1)}
    anna = launches.add(launch("anna", launch_id="launch-anna-2"))
    course = client.get("/pages/course", query_string={"lt": anna, "course": COURSE})
    days = course.get_data(as_text=True).split('id="n-course-days"')[1].split("</section>")[0]
    assert days.count("Närvarande") == 1
    assert days.index("9 mars 2027") < days.index("Närvarande") < days.index("10 mars 2027")
    drill = client.get(
        "/pages/course", query_string={"lt": registered, "course": COURSE, "person": "anna"}
    ).get_data(as_text=True)
    assert "(endast läsning)" in drill
    assert "Närvarande" in drill
    bo = client.get(
        "/pages/course", query_string={"lt": registered, "course": COURSE, "person": "bo"}
    ).get_data(as_text=True)
    assert "Närvarande" not in bo


def test_unticking_withdraws_and_saving_again_changes_nothing(
    app: Flask, client: FlaskClient, registered: str
) -> None:
    followed(client, save(client, registered, ["1|anna", "1|bo"]))
    shown = followed(client, save(client, registered, ["1|bo"], was=["1|anna", "1|bo"]))
    assert "Närvaron är sparad: 0 tillagda, 1 borttagna." in shown
    assert "checked" not in checkbox(shown, "Namn anna, närvarande 9 mars 2027")
    assert stored(app) == {("bo", DAY_1)}
    again = followed(client, save(client, registered, ["1|bo"], was=["1|bo"]))
    assert "Ingen ändring att spara." in again


def test_a_page_opened_before_another_save_changes_only_its_own_ticks(
    app: Flask, client: FlaskClient, launches: Launches, registered: str
) -> None:
    stale_csrf = csrf_of(page(client, registered))  # nothing ticked yet
    trainer = manager(launches, "trainer")
    followed(client, save(client, trainer, ["1|anna"]))
    followed(client, save(client, registered, ["1|bo"], csrf=stale_csrf))
    assert stored(app) == {("anna", DAY_1), ("bo", DAY_1)}  # anna's tick was not undone


def test_a_day_that_has_not_begun_is_refused_with_409(
    app: Flask, client: FlaskClient, registered: str
) -> None:
    refused = save(client, registered, ["1|anna", "2|anna"])
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert "Närvaro kan bara föras för kursdagar som har börjat." in body
    assert "notice--error" in body.split('role="status"')[1].split("</div>")[0]
    assert stored(app) == set()  # all or nothing


def test_the_swedish_date_decides_when_a_day_begins(
    app: Flask, client: FlaskClient, registered: str, clock: FakeClock
) -> None:
    clock.set(datetime(2027, 3, 9, 22, 59, tzinfo=UTC))  # 23:59 in Sweden
    assert save(client, registered, ["2|anna"]).status_code == 409
    clock.set(datetime(2027, 3, 9, 23, 0, tzinfo=UTC))  # midnight: 10 March in Sweden
    assert save(client, registered, ["2|anna"]).status_code == 303
    assert stored(app) == {("anna", DAY_2)}


def test_a_mentor_sees_their_mentees_attendance_but_cannot_record(
    app: Flask, client: FlaskClient, launches: Launches, registered: str
) -> None:
    followed(client, save(client, registered, ["1|anna"]))
    mentor = launches.add(launch("mentor", mentored_user_ids=("anna",)))
    shown = page(client, mentor)
    assert '<th scope="row"><bdi>Namn anna</bdi></th>' in shown
    assert "Namn bo" not in shown
    assert '<th scope="row">bo</th>' not in shown
    assert "Närvarande" in shown
    assert 'type="checkbox"' not in shown
    assert "Spara närvaro" not in shown
    refused = save(client, mentor, [], was=["1|anna"], csrf=csrf_for(client, mentor))
    assert refused.status_code == 403
    assert stored(app) == {("anna", DAY_1)}


def test_learners_cannot_open_the_attendance_page(
    client: FlaskClient, launches: Launches, registered: str
) -> None:
    anna = launches.add(launch("anna", launch_id="launch-anna-2"))
    page(client, anna, status=403)


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"issuer": "https://canvas.example.se"},
        {"client_id": "client-2"},
        {"deployment_id": "dep-2"},
        {"context_id": "course-43"},
    ],
)
def test_other_tenants_and_contexts_can_neither_see_nor_change_attendance(
    app: Flask,
    client: FlaskClient,
    launches: Launches,
    registered: str,
    elsewhere: dict[str, str],
) -> None:
    followed(client, save(client, registered, ["1|anna"]))
    foreign = manager(launches, "boss-2", **elsewhere)
    shown = page(client, foreign)
    assert "Namn anna" not in shown
    assert "Ingen från din kurs är anmäld till det här kurstillfället." in shown
    csrf = csrf_for(client, foreign)
    assert save(client, foreign, ["1|bo"], csrf=csrf).status_code == 409
    assert save(client, foreign, [], was=["1|anna"], csrf=csrf).status_code == 409
    assert stored(app) == {("anna", DAY_1)}


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    app: Flask, client: FlaskClient, registered: str
) -> None:
    assert save(client, registered, ["1|anna"], csrf="").status_code == 403
    assert stored(app) == set()


def test_unknown_occasions_and_malformed_ticks_are_4xx(
    client: FlaskClient, registered: str
) -> None:
    response = client.get(PAGE, query_string={"lt": registered, "occasion": f"{COURSE}/x"})
    assert response.status_code == 404
    assert save(client, registered, ["9|anna"]).status_code == 400
    assert save(client, registered, ["1|"]).status_code == 400


def test_hostile_names_are_escaped(
    client: FlaskClient, launches: Launches, clock: FakeClock
) -> None:
    learners(client, launches, "x", name=HOSTILE)
    boss = manager(launches)
    register(client, boss, SPRING, "x")
    clock.set(MARCH_9)
    shown = followed(client, save(client, boss, ["1|x"]))
    assert HOSTILE not in shown
    assert str(escape(HOSTILE)) in shown


def test_english_launch_gets_english_texts(
    client: FlaskClient, launches: Launches, registered: str
) -> None:
    shown = page(client, manager(launches, locale="en-GB"))
    assert "Attendance on the course days" in shown
    assert "Save attendance" in shown


def test_a_registration_with_attendance_can_no_longer_be_withdrawn(
    app: Flask, client: FlaskClient, registered: str
) -> None:
    followed(client, save(client, registered, ["1|anna"]))
    data = {"lt": registered, "course": COURSE, "person": "anna"}
    csrf = csrf_of(page(client, registered))
    refused = client.post("/pages/staff/occasions/withdraw", data={**data, "csrf_token": csrf})
    assert refused.status_code == 409
    assert "Kurstillfället har redan börjat" in refused.get_data(as_text=True)
    assert stored(app) == {("anna", DAY_1)}


def test_someone_registered_who_then_launches_as_staff_is_not_listed(
    client: FlaskClient, launches: Launches, registered: str
) -> None:
    staff = launches.add(launch("bo", role=ToolRole.MANAGER, launch_id="bo-as-teacher"))
    client.get("/pages/", query_string={"lt": staff})  # Bo launches as (non-editing) teacher
    shown = page(client, registered)
    assert '<th scope="row"><bdi>Namn anna</bdi></th>' in shown
    assert "Namn bo" not in shown
    assert '<th scope="row">bo</th>' not in shown
