"""The manager's staff view: who is listed, progress, sorting, filtering, CSV, chart."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.pages.conftest import COURSE, TASK_BBIC, TASK_FILM, Launches, csrf_of, launch
from yrkesresan_adapter.pages.service import RosterMember
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.lti.context import ToolRole


def learner_does(client: FlaskClient, launches: Launches, sub: str, *tasks: str, **kw: str) -> None:
    token = launches.add(launch(sub, **kw))  # type: ignore[arg-type]
    client.get("/pages/", query_string={"lt": token})  # the launch registers the learner
    page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    csrf = csrf_of(page.get_data(as_text=True))
    for task in tasks:
        client.post("/pages/task/done", data={"lt": token, "csrf_token": csrf, "task": task})


def staff_page(client: FlaskClient, token: str, **params: str) -> str:
    response = client.get("/pages/staff/", query_string={"lt": token, **params})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def manager(launches: Launches, **kw: object) -> str:
    return launches.add(launch("boss", role=ToolRole.MANAGER, **kw))  # type: ignore[arg-type]


def test_manager_sees_learners_progress_and_the_chart(
    client: FlaskClient, launches: Launches
) -> None:
    learner_does(client, launches, "anna", TASK_BBIC, TASK_FILM)
    learner_does(client, launches, "bo")
    page = staff_page(client, manager(launches))
    assert "Namn anna" in page
    assert "Namn bo" in page
    assert "Namn boss" not in page  # managers are not staff
    assert 'class="badge badge--in-progress">Pågår' in page
    assert 'class="badge badge--not-started">Ej påbörjad' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert "Visa siffrorna som tabell" in page
    # Kan beskriva BBIC: anna did both of its tasks (100 %), bo none → average 50 %
    assert (
        '<th scope="row">Kan beskriva BBIC</th><td data-label="Kurs">Samtal med barn</td>'
        '<td class="num" data-label="Genomsnitt">50 %</td>' in page
    )


def test_course_filter_shows_knowledge_goal_columns(
    client: FlaskClient, launches: Launches
) -> None:
    learner_does(client, launches, "anna", TASK_BBIC)
    page = staff_page(client, manager(launches), course="samtal")
    assert '<th scope="col" class="num">Kan beskriva BBIC</th>' in page
    assert '<th scope="col" class="num">Kan leda ett barnsamtal</th>' in page


def test_filter_and_sort_are_server_side(client: FlaskClient, launches: Launches) -> None:
    learner_does(client, launches, "anna", TASK_BBIC)
    learner_does(client, launches, "bo")
    token = manager(launches)
    only_started = staff_page(client, token, state="in-progress")
    assert "Namn anna" in only_started
    assert "Namn bo" not in only_started
    searched = staff_page(client, token, q="BO")
    assert "Namn bo" in searched
    assert "Namn anna" not in searched
    descending = staff_page(client, token, sort="name", dir="desc")
    assert descending.index("Namn bo") < descending.index("Namn anna")
    assert 'aria-sort="descending"' in descending


def test_csv_export_is_excel_friendly(client: FlaskClient, launches: Launches) -> None:
    learner_does(client, launches, "=cmd|anna", TASK_BBIC)
    response = client.get("/pages/staff/export.csv", query_string={"lt": manager(launches)})
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Namn", "Status", "Klart (%)", "Senaste aktivitet"]
    assert rows[1][0] == "Namn =cmd|anna"
    assert rows[1][1:3] == ["in-progress", "20"]  # 1 of 4 tasks and 1 course-day item


def test_csv_defuses_formulas_in_names(client: FlaskClient, launches: Launches) -> None:
    token = launches.add(launch("x", name="=HYPERLINK(1)"))
    client.get("/pages/", query_string={"lt": token})
    response = client.get("/pages/staff/export.csv", query_string={"lt": manager(launches)})
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_learners_cannot_open_the_staff_view(client: FlaskClient, launches: Launches) -> None:
    response = client.get("/pages/staff/", query_string={"lt": launches.add(launch())})
    assert response.status_code == 403


def test_a_mentor_sees_exactly_the_mentees(client: FlaskClient, launches: Launches) -> None:
    learner_does(client, launches, "anna", TASK_BBIC)
    learner_does(client, launches, "bo")
    mentor = launches.add(launch("mentor", mentored_user_ids=("anna", "never-launched")))
    page = staff_page(client, mentor)
    assert "Namn anna" in page
    assert "Namn bo" not in page
    assert "never-launched" in page  # listed, never active
    drill = client.get(
        "/pages/course", query_string={"lt": mentor, "course": COURSE, "person": "bo"}
    )
    assert drill.status_code == 403


def test_manager_drills_into_a_persons_checklist_read_only(
    client: FlaskClient, launches: Launches
) -> None:
    learner_does(client, launches, "anna", TASK_BBIC)
    page = client.get(
        "/pages/course",
        query_string={"lt": manager(launches), "course": COURSE, "person": "anna"},
    ).get_data(as_text=True)
    assert "Du tittar på <bdi>Namn anna</bdi> (endast läsning)" in page
    assert "1 av 4 klara" in page  # 3 tasks and the course days
    assert "Markera som klar" not in page
    assert 'name="csrf_token"' not in page


def test_other_tenants_and_contexts_stay_invisible(client: FlaskClient, launches: Launches) -> None:
    learner_does(client, launches, "anna", TASK_BBIC)
    learner_does(client, launches, "other-platform", issuer="https://canvas.example.se")
    learner_does(client, launches, "other-deployment", deployment_id="dep-2")
    learner_does(client, launches, "other-client", client_id="client-2")
    learner_does(client, launches, "other-course", context_id="course-43")
    page = staff_page(client, manager(launches))
    assert "Namn anna" in page
    for hidden in ("other-platform", "other-deployment", "other-client", "other-course"):
        assert hidden not in page
    # the same sub on another platform is another person: anna's progress does not leak
    learner_does(client, launches, "anna", issuer="https://canvas.example.se")
    foreign = manager(launches, issuer="https://canvas.example.se")
    assert "badge--not-started" in staff_page(client, foreign)
    assert "badge--in-progress" not in staff_page(client, foreign)
    drill = client.get(
        "/pages/course",
        query_string={"lt": manager(launches), "course": COURSE, "person": "other-course"},
    )
    assert drill.status_code == 403


def test_roster_lists_members_who_never_launched(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    app = make_app(
        roster=lambda launch: [
            RosterMember("r1", "Rut Roster"),
            RosterMember("t1", "Lärare", False),
        ]
    )
    page = staff_page(app.test_client(), manager(launches))
    assert "Rut Roster" in page
    assert "Lärare" not in page
    assert "Aldrig" in page


def test_hostile_names_and_titles_are_escaped(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    from tests.pages.conftest import HOSTILE

    client = make_app(mark=" " + HOSTILE.replace('"', "'")).test_client()
    learner_does(client, launches, "evil", TASK_BBIC, name=HOSTILE)
    pages = [
        staff_page(client, manager(launches)),
        client.get(
            "/pages/course",
            query_string={"lt": manager(launches), "course": COURSE, "person": "evil"},
        ).get_data(as_text=True),
        client.get("/pages/journey", query_string={"lt": manager(launches)}).get_data(as_text=True),
    ]
    for page in pages:
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_long_staff_lists_are_paged(make_app: Callable[..., Flask], launches: Launches) -> None:
    client = make_app(page_size=1).test_client()
    learner_does(client, launches, "anna")
    learner_does(client, launches, "bo")
    token = manager(launches)
    first = staff_page(client, token)
    assert "Visar 1–1 av 2 personer (2 totalt)." in first
    assert "Namn anna" in first
    assert "Namn bo" not in first
    second = staff_page(client, token, page="2")
    assert "Namn bo" in second
    assert 'aria-current="page"' in second
    assert "Namn bo" in staff_page(client, token, page="99")  # clamped to the last page


def test_a_roster_member_who_never_launched_can_be_opened(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    app = make_app(roster=lambda launch: [RosterMember("r1", "Rut Roster")])
    response = app.test_client().get(
        "/pages/course", query_string={"lt": manager(launches), "course": COURSE, "person": "r1"}
    )
    assert response.status_code == 200
    assert "0 av 4 klara" in response.get_data(as_text=True)


def _moodle_roster(launch: object) -> list[RosterMember]:
    """Moodle's NRPS: a non-editing teacher (Nils) is listed with the role Learner."""
    return [RosterMember("anna", "Anna Andersson"), RosterMember("nils", "Nils Noneditor")]


def _staff_csv(client: FlaskClient, token: str) -> str:
    response = client.get("/pages/staff/export.csv", query_string={"lt": token})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_non_editing_teacher_leaves_the_staff_list_once_they_launch_as_staff(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    client = make_app(roster=_moodle_roster).test_client()
    boss = manager(launches)
    # before Nils launches, the roster's word (Learner) is all the tool knows
    assert "Nils Noneditor" in staff_page(client, boss)
    nils = launches.add(launch("nils", role=ToolRole.MANAGER, name="Nils Noneditor"))
    client.get("/pages/", query_string={"lt": nils})  # Moodle's launch says Instructor
    page = staff_page(client, boss)
    assert "Anna Andersson" in page
    assert "Nils Noneditor" not in page
    assert "Nils Noneditor" not in _staff_csv(client, boss)
    occasions = client.get("/pages/staff/occasions/", query_string={"lt": boss, "course": COURSE})
    assert "Anna Andersson" in occasions.get_data(as_text=True)
    assert "Nils Noneditor" not in occasions.get_data(as_text=True)


def test_a_staff_launch_is_remembered_when_a_later_launch_says_learner(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    client = make_app(roster=_moodle_roster).test_client()
    for role, launch_id in ((ToolRole.MANAGER, "first"), (ToolRole.LEARNER, "second")):
        token = launches.add(launch("nils", role=role, launch_id=launch_id))
        client.get("/pages/", query_string={"lt": token})  # e.g. Moodle's "switch role"
    assert "Nils Noneditor" not in staff_page(client, manager(launches))


def test_a_staff_launch_counts_only_in_its_own_context(
    make_app: Callable[..., Flask], launches: Launches
) -> None:
    client = make_app(roster=_moodle_roster).test_client()
    elsewhere = launch("nils", role=ToolRole.MANAGER, context_id="another-course")
    client.get("/pages/", query_string={"lt": launches.add(elsewhere)})
    assert "Nils Noneditor" in staff_page(client, manager(launches))


def test_without_a_roster_someone_who_launched_as_staff_is_not_listed(
    client: FlaskClient, launches: Launches
) -> None:
    learner_does(client, launches, "anna")
    for role, launch_id in ((ToolRole.MANAGER, "first"), (ToolRole.LEARNER, "second")):
        token = launches.add(launch("nils", role=role, launch_id=launch_id))
        client.get("/pages/", query_string={"lt": token})
    page = staff_page(client, manager(launches))
    assert "Namn anna" in page
    assert "Namn nils" not in page


@pytest.mark.parametrize(
    "query",
    [
        {"path": "/pages/staff/"},
        {"path": "/pages/course", "course": COURSE, "person": "r1"},
        {"path": "/pages/journey", "person": "r1"},
    ],
    ids=["staff page", "a roster member's course", "a roster member's journey"],
)
def test_no_transaction_is_open_while_the_lms_answers_for_its_roster(
    make_app: Callable[..., Flask], launches: Launches, query: dict[str, str]
) -> None:
    """The roster waits for the LMS (seconds when it is slow). These pages read in one
    transaction; asked for inside it, the roster kept a connection in an open transaction
    the whole time (on PostgreSQL an idle transaction; on SQLite a read that keeps the WAL
    from being checkpointed)."""
    held: list[int] = []

    def roster(launch: object) -> list[RosterMember]:
        held.append(AdapterState.of(app).services.db.engine.pool.checkedout())
        return [RosterMember("r1", "Rut Roster")]

    app = make_app(roster=roster)
    path = query.pop("path")
    response = app.test_client().get(path, query_string={"lt": manager(launches), **query})
    assert response.status_code == 200
    assert "Rut Roster" in response.get_data(as_text=True)
    assert held == [0]  # asked once, with no connection in use
