"""The manager registers staff for course occasions; the learner sees their occasion."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from werkzeug.test import TestResponse

from tests.conftest import FakeClock
from tests.pages.conftest import COURSE, HOSTILE, Launches, csrf_of, launch
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_lti.lti.context import ToolRole

SPRING = f"{COURSE}/occasions/vt-2027"  # Göteborg (no title), 30 seats, deadline 16 Feb
AUTUMN = f"{COURSE}/occasions/ht-2027"  # Digitalt, hösten 2027: 2 seats, deadline 31 Aug
JANUARY = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
PAGE = "/pages/staff/occasions/"


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(clock=FakeClock(JANUARY))


def learners(client: FlaskClient, launches: Launches, *subs: str, **kw: object) -> None:
    for sub in subs:  # a launch puts the person on the manager's list
        token = launches.add(launch(sub, **kw))  # type: ignore[arg-type]
        assert client.get("/pages/", query_string={"lt": token}).status_code == 303


def manager(launches: Launches, sub: str = "boss", **kw: object) -> str:
    return launches.add(launch(sub, role=ToolRole.MANAGER, **kw))  # type: ignore[arg-type]


def page(client: FlaskClient, token: str, status: int = 200) -> str:
    response = client.get(PAGE, query_string={"lt": token, "course": COURSE})
    assert response.status_code == status
    return response.get_data(as_text=True)


def register(
    client: FlaskClient, token: str, occasion: str, *people: str, csrf: str | None = None
) -> TestResponse:
    csrf = csrf if csrf is not None else csrf_of(page(client, token))
    data = {"lt": token, "csrf_token": csrf, "course": COURSE, "occasion": occasion}
    return client.post(PAGE + "register", data={**data, "person": list(people)})


def withdraw(client: FlaskClient, token: str, person: str) -> TestResponse:
    data = {"lt": token, "csrf_token": csrf_of(page(client, token)), "course": COURSE}
    return client.post(PAGE + "withdraw", data={**data, "person": person})


def followed(client: FlaskClient, response: TestResponse) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_manager_sees_occasions_with_dates_place_trainers_deadline_and_seats(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    shown = page(client, manager(launches))
    for text in (
        "<h1>Anmälan till kurstillfälle</h1>",
        "Göteborg",
        "9 mars 2027",
        "09:00–16:00",
        "Anna Utbildare",
        "16 februari 2027",
        "30 av 30",
        "Digitalt, hösten 2027",
        'href="https://example.org/mote"',
        "2 av 2",
        "<legend>Kurstillfälle</legend>",
        "<legend>Personal</legend>",
        "Namn anna",
        "Ingen från din personal är anmäld till den här kursen.",
    ):
        assert text in shown, text
    assert "Namn boss" not in shown  # managers are not staff
    assert "/pages/staff/?journey=barn-och-unga&amp;course=samtal&amp;lt=" in shown  # way back


def test_registering_staff_shows_them_registered_and_counts_seats(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo")
    boss = manager(launches)
    shown = followed(client, register(client, boss, AUTUMN, "anna", "bo"))
    assert "2 personer är anmälda till Digitalt, hösten 2027." in shown
    assert '<p class="notice">' in shown.split('role="status"')[1].split("</div>")[0]
    assert "0 av 2" in shown
    assert "Fullbokat" in shown
    assert '<th scope="row"><bdi>Namn anna</bdi></th>' in shown
    assert "(anmäld till Digitalt, hösten 2027)" in shown
    # a full occasion is offered with its waiting list, the waiting list box ticked
    assert "(fullbokat, 0 på väntelistan)" in shown
    assert 'name="waitlist" value="1" checked' in shown


def test_a_full_occasion_refuses_with_409_and_the_reason(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo", "cia")
    boss = manager(launches)
    csrf = csrf_of(page(client, boss))
    refused = register(client, boss, AUTUMN, "anna", "bo", "cia", csrf=csrf)
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert "Det finns inte plats för alla på Digitalt, hösten 2027: 2 platser kvar." in body
    assert body.count('name="person" value="') == 3
    assert body.count(" checked>") == 4  # the refused choices are kept: occasion + 3 people
    assert register(client, boss, AUTUMN, "anna", "bo", csrf=csrf).status_code == 303
    full = register(client, boss, AUTUMN, "cia", csrf=csrf)  # a page opened before it filled
    assert full.status_code == 409
    assert "Digitalt, hösten 2027 är fullbokat." in full.get_data(as_text=True)


def register_waiting(client: FlaskClient, token: str, occasion: str, *people: str) -> TestResponse:
    data = {"lt": token, "csrf_token": csrf_of(page(client, token)), "course": COURSE}
    data |= {"occasion": occasion, "waitlist": "1"}
    return client.post(PAGE + "register", data={**data, "person": list(people)})


def test_beyond_the_seats_people_go_on_the_waiting_list_with_their_position(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo", "cia", "dan")
    boss = manager(launches)
    shown = followed(client, register_waiting(client, boss, AUTUMN, "anna", "bo", "cia"))
    assert "2 personer är anmälda till Digitalt, hösten 2027. 1 på väntelistan." in shown
    assert "fullbokat, 1 på väntelistan" in shown
    waiting = shown.split('id="waiting-title"')[1]
    assert '<th scope="row"><bdi>Namn cia</bdi></th>' in waiting
    assert "<td>1</td>" in waiting
    shown = followed(client, register_waiting(client, boss, AUTUMN, "dan"))
    assert "1 på väntelistan till Digitalt, hösten 2027." in shown
    waiting = shown.split('id="waiting-title"')[1]
    assert waiting.index("Namn cia") < waiting.index("Namn dan")
    assert "<td>2</td>" in waiting


def test_a_withdrawal_promotes_the_first_in_line_and_the_other_moves_up(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo", "cia", "dan")
    boss = manager(launches)
    register_waiting(client, boss, AUTUMN, "anna", "bo", "cia", "dan")
    shown = followed(client, withdraw(client, boss, "anna"))
    assert "(anmäld till Digitalt, hösten 2027)" in shown.split('name="person" value="cia"')[1]
    registered = shown.split('id="registered-title"')[1].split('id="waiting-title"')[0]
    assert "Namn cia" in registered
    waiting = shown.split('id="waiting-title"')[1]
    assert "Namn cia" not in waiting
    assert '<th scope="row"><bdi>Namn dan</bdi></th>' in waiting
    assert "<td>1</td>" in waiting


def test_another_municipalitys_manager_sees_the_count_and_their_own_position_only(
    client: FlaskClient, launches: Launches
) -> None:
    other = {"issuer": "https://canvas.example.se"}
    learners(client, launches, "anna", "bo", "cia")
    learners(client, launches, "olle", **other)
    register_waiting(client, manager(launches), AUTUMN, "anna", "bo", "cia")
    shown = followed(client, register_waiting(client, manager(launches, **other), AUTUMN, "olle"))
    assert "fullbokat, 2 på väntelistan" in shown
    waiting = shown.split('id="waiting-title"')[1]
    assert "Namn olle" in waiting
    assert "<td>2</td>" in waiting
    assert "Namn cia" not in shown


def test_a_manager_takes_someone_off_the_waiting_list(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo", "cia")
    boss = manager(launches)
    register_waiting(client, boss, AUTUMN, "anna", "bo", "cia")
    data = {"lt": boss, "csrf_token": csrf_of(page(client, boss)), "course": COURSE}
    data |= {"occasion": AUTUMN, "person": "cia"}
    shown = followed(client, client.post(PAGE + "leave-waiting", data=data))
    assert "En person är borttagen från väntelistan till Digitalt, hösten 2027." in shown
    assert "Ingen från din personal står på väntelistan." in shown
    again = client.post(PAGE + "leave-waiting", data=data)
    assert again.status_code == 409
    assert "står inte på väntelistan" in again.get_data(as_text=True)
    data["person"] = "stranger"
    assert client.post(PAGE + "leave-waiting", data=data).status_code == 403


def test_seats_taken_by_other_municipalities_count_but_their_people_stay_hidden(
    client: FlaskClient, launches: Launches
) -> None:
    other = {"issuer": "https://canvas.example.se"}
    learners(client, launches, "olle", **other)
    register(client, manager(launches, **other), AUTUMN, "olle")
    learners(client, launches, "anna")
    shown = page(client, manager(launches))
    assert "1 av 2" in shown
    assert "olle" not in shown
    assert "Ingen från din personal är anmäld till den här kursen." in shown


def test_registration_after_the_deadline_is_refused(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    client = make_app(clock=FakeClock(datetime(2027, 2, 16, 23, 30, tzinfo=UTC))).test_client()
    learners(client, launches, "anna")
    boss = manager(launches)
    shown = page(client, boss)
    assert "Anmälan stängd" in shown  # 17 February in Sweden: the spring occasion closed
    refused = register(client, boss, SPRING, "anna")
    assert refused.status_code == 409
    reason = "Sista anmälningsdag för Kurstillfälle vt-2027 har passerat."
    assert reason in refused.get_data(as_text=True)


def test_registering_for_another_occasion_moves_the_registration(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    boss = manager(launches)
    register(client, boss, SPRING, "anna")
    shown = followed(client, register(client, boss, AUTUMN, "anna"))
    assert "30 av 30" in shown  # the seat in Göteborg is free again
    assert "1 av 2" in shown
    assert "(anmäld till Digitalt, hösten 2027)" in shown


def test_withdrawing_frees_the_seat_until_the_first_course_day(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    clock = FakeClock(JANUARY)
    client = make_app(clock=clock).test_client()
    learners(client, launches, "anna", "bo")
    boss = manager(launches)
    register(client, boss, SPRING, "anna", "bo")
    shown = followed(client, withdraw(client, boss, "anna"))
    assert "En anmälan till Kurstillfälle vt-2027 är borttagen." in shown
    assert "29 av 30" in shown
    clock.set(datetime(2027, 3, 8, 23, 0, tzinfo=UTC))  # 9 March in Sweden: day one
    assert "Kursen har börjat" in page(client, boss)
    refused = withdraw(client, boss, "bo")
    assert refused.status_code == 409
    assert "Kurstillfället har redan börjat" in refused.get_data(as_text=True)


def test_a_mentor_registers_exactly_their_mentees(client: FlaskClient, launches: Launches) -> None:
    learners(client, launches, "anna", "bo")
    mentor = launches.add(launch("mentor", mentored_user_ids=("anna",)))
    shown = page(client, mentor)
    assert "Namn anna" in shown
    assert "Namn bo" not in shown
    assert register(client, mentor, SPRING, "bo").status_code == 403
    assert register(client, mentor, SPRING, "anna").status_code == 303


def test_learners_cannot_open_or_post_the_registration_page(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    token = launches.add(launch("anna", launch_id="launch-anna-2"))
    assert page(client, token, status=403)
    data = {"lt": token, "course": COURSE, "occasion": SPRING, "person": "anna"}
    manager_csrf = csrf_of(page(client, manager(launches)))
    response = client.post(PAGE + "register", data={**data, "csrf_token": manager_csrf})
    assert response.status_code == 403  # another launch's CSRF token


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"issuer": "https://canvas.example.se"},
        {"client_id": "client-2"},
        {"deployment_id": "dep-2"},
        {"context_id": "course-43"},
    ],
)
def test_other_tenants_and_contexts_can_neither_see_nor_change_registrations(
    client: FlaskClient, launches: Launches, elsewhere: dict[str, str]
) -> None:
    learners(client, launches, "anna")
    register(client, manager(launches), SPRING, "anna")
    learners(client, launches, "olle", **elsewhere)  # so the foreign page has its forms
    foreign = manager(launches, "boss-2", **elsewhere)
    shown = page(client, foreign)
    assert "Namn anna" not in shown
    assert "29 av 30" in shown  # only the number
    assert withdraw(client, foreign, "anna").status_code == 403
    assert register(client, foreign, AUTUMN, "anna").status_code == 403
    assert "(anmäld till Kurstillfälle vt-2027)" in page(client, manager(launches))


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    boss = manager(launches)
    assert register(client, boss, SPRING, "anna", csrf="").status_code == 403
    assert "30 av 30" in page(client, boss)


def test_nobody_chosen_is_a_clear_400(client: FlaskClient, launches: Launches) -> None:
    learners(client, launches, "anna")
    refused = register(client, manager(launches), SPRING)
    assert refused.status_code == 400
    assert "Välj minst en person att anmäla." in refused.get_data(as_text=True)


def test_hostile_names_are_escaped(client: FlaskClient, launches: Launches) -> None:
    learners(client, launches, "x", name=HOSTILE)
    boss = manager(launches)
    shown = followed(client, register(client, boss, SPRING, "x"))
    assert HOSTILE not in shown
    assert str(escape(HOSTILE)) in shown


def test_english_launch_gets_english_texts(client: FlaskClient, launches: Launches) -> None:
    learners(client, launches, "anna")
    shown = page(client, manager(launches, locale="en-GB"))
    assert "Register for a course occasion" in shown
    assert "Seats left" in shown


def test_the_learner_sees_their_own_occasion_and_the_manager_sees_it_read_only(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna")
    anna = launches.add(launch("anna", launch_id="launch-anna-2"))
    course = {"lt": anna, "course": COURSE}
    before = client.get("/pages/course", query_string=course).get_data(as_text=True)
    assert "din chef anmäler dig" in before
    boss = manager(launches)
    register(client, boss, AUTUMN, "anna")
    after = client.get("/pages/course", query_string=course).get_data(as_text=True)
    assert "Du är anmäld till det här kurstillfället." in after
    assert "Digitalt, hösten 2027" in after
    assert "Göteborg" not in after  # only their occasion
    drill = client.get(
        "/pages/course", query_string={"lt": boss, "course": COURSE, "person": "anna"}
    ).get_data(as_text=True)
    assert "Du tittar på <bdi>Namn anna</bdi> (endast läsning)" in drill
    assert "Digitalt, hösten 2027" in drill
    assert "Göteborg" not in drill
    own = client.get("/pages/course", query_string={"lt": boss, "course": COURSE})
    assert "din chef anmäler dig" in own.get_data(as_text=True)  # the manager is not registered


def test_the_staff_page_links_the_chosen_course_to_its_occasions(
    client: FlaskClient, launches: Launches, app: Flask
) -> None:
    learners(client, launches, "anna")
    boss = manager(launches)
    register(client, boss, AUTUMN, "anna")
    staff = client.get("/pages/staff/", query_string={"lt": boss, "course": "samtal"})
    shown = staff.get_data(as_text=True)
    assert "Anmälan till kurstillfälle" in shown
    assert "/pages/staff/occasions/?" in shown
    assert "Digitalt, hösten 2027" in shown  # the person's occasion in the table
    assert PagesService.of(app).page_size == 100


def test_the_staff_csv_of_a_course_has_the_occasion_column(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo")
    boss = manager(launches)
    register(client, boss, AUTUMN, "anna")
    response = client.get("/pages/staff/export.csv", query_string={"lt": boss, "course": "samtal"})
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Kurstillfälle"
    assert {row[0]: row[-1] for row in rows[1:]} == {
        "Namn anna": "Digitalt, hösten 2027",
        "Namn bo": "",
    }
    overview = client.get("/pages/staff/export.csv", query_string={"lt": boss})
    assert "Kurstillfälle" not in overview.get_data().decode("utf-8-sig")


def test_a_mentor_cannot_withdraw_someone_elses_registration(
    client: FlaskClient, launches: Launches
) -> None:
    learners(client, launches, "anna", "bo")
    register(client, manager(launches), SPRING, "anna", "bo")
    mentor = launches.add(launch("mentor", mentored_user_ids=("anna",)))
    assert withdraw(client, mentor, "bo").status_code == 403
    assert "28 av 30" in page(client, mentor)


def test_moving_away_from_an_occasion_that_has_started_is_refused(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    clock = FakeClock(JANUARY)
    client = make_app(clock=clock).test_client()
    learners(client, launches, "anna")
    boss = manager(launches)
    register(client, boss, SPRING, "anna")
    clock.set(datetime(2027, 3, 10, 8, 0, tzinfo=UTC))  # the second course day
    refused = register(client, boss, AUTUMN, "anna")
    assert refused.status_code == 409
    assert "Kurstillfället har redan börjat" in refused.get_data(as_text=True)
    assert "(anmäld till Kurstillfälle vt-2027)" in page(client, boss)
