"""A course is completed when its checklists are done *and* every course day of the learner's
occasion is attended: whichever comes last (a task marked done, or the trainer's last
attendance) sends the course *completed* and the course placement's full AGS score in the
same transaction; a withdrawal or an undo voids it and lowers the score. On SQLite and
PostgreSQL, through the real pages, outbox and profile."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.db_fixtures import wait_for_a_lock_wait
from tests.pages.conftest import (
    COURSE,
    MOODLE,
    TASK_BBIC,
    TASK_FILM,
    TASK_REFLECTION,
    Launches,
    csrf_of,
    launch,
)
from tests.pages.test_attendance_pages import followed, save, stored
from tests.pages.test_occasion_pages import JANUARY, SPRING, learners, manager, register
from yrkesresan_adapter.pages.attendance import AttendanceService
from yrkesresan_adapter.pages.occasions import OccasionService, Trainer
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.pages.statements import OutboxJournal
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.metadata import outbox_tables
from yrkesresan_lti.lti.context import LaunchContext, ToolRole
from yrkesresan_lti.occasions import find_occasion
from yrkesresan_lti.xapi.profile import build_profile
from yrkesresan_lti.xapi.profile.matcher import matching_templates
from yrkesresan_lti.xapi.validation import validate_statement

VERB = "http://adlnet.gov/expapi/verbs/"
PROFILE = "https://yrkesresan.se/id/profile/templates/"
LINEITEM = "https://moodle.example.se/mod/lti/services.php/2/lineitems/9/lineitem?type_id=1"
AGS_CLAIM = {
    "lineitem": LINEITEM,
    "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
}
MARCH_9 = datetime(2027, 3, 9, 16, 0, tzinfo=UTC)
MARCH_10 = datetime(2027, 3, 10, 16, 0, tzinfo=UTC)
TASKS = (TASK_BBIC, TASK_FILM, TASK_REFLECTION)


@pytest.fixture
def app(make_app: Callable[..., Flask], database_url: str) -> Iterator[Flask]:
    app = make_app(outbox_events=True, clock=FakeClock(JANUARY), on=database_url)
    AdapterState.of(app).services.platforms.add(MOODLE)
    yield app
    AdapterState.of(app).services.db.dispose()


def clock(app: Flask) -> FakeClock:
    found = PagesService.of(app).clock
    assert isinstance(found, FakeClock)
    return found


def outbox(app: Flask, kind: str) -> list[dict[str, Any]]:
    table = outbox_tables.entries
    with AdapterState.of(app).services.db.session() as db:
        rows = db.execute(select(table.c.payload).where(table.c.kind == kind).order_by(table.c.id))
        return [json.loads(payload) for (payload,) in rows]


def course_statements(app: Flask) -> list[dict[str, Any]]:
    """The course *completed* statements and the *voided* ones that void them, in order."""
    found = outbox(app, "xapi-statement")
    ids = {s["id"] for s in found if s["object"]["id"] == COURSE}
    return [
        s
        for s in found
        if (s["object"]["id"] == COURSE and s["verb"]["id"] == VERB + "completed")
        or (s["verb"]["id"] == VERB + "voided" and s["object"]["id"] in ids)
    ]


def last_score(app: Flask) -> tuple[float, float, str]:
    score = outbox(app, "ags-score")[-1]["score"]
    return score["scoreGiven"], score["scoreMaximum"], score["gradingProgress"]


def placed(app: Flask, context: LaunchContext) -> None:
    """What the real launch does: keep the course placement (with its AGS line item)."""
    advantage = AdapterState.of(app).services.advantage
    assert advantage is not None
    assert advantage.placements is not None
    with AdapterState.of(app).services.db.session() as db:
        assert advantage.placements.record(db, context, now=JANUARY)


def act(client: FlaskClient, token: str, action: str, task: str) -> None:
    page = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    csrf = csrf_of(page.get_data(as_text=True))
    response = client.post(
        f"/pages/task/{action}", data={"lt": token, "csrf_token": csrf, "task": task}
    )
    assert response.status_code == 303


@pytest.fixture
def anna(app: Flask, client: FlaskClient, launches: Launches) -> str:
    """Anna launched the placed course and is registered for the spring occasion (9 and 10
    March 2027); the manager's token is ``boss``."""
    context = launch(
        "anna", ags=AGS_CLAIM, custom={"yrkesresan_node": COURSE}, resource_link_id="rl-9"
    )
    placed(app, context)
    token = launches.add(context)
    learners(client, launches, "anna")
    assert register(client, boss(launches), SPRING, "anna").status_code == 303
    return token


def boss(launches: Launches) -> str:
    return manager(launches)


def attend(client: FlaskClient, launches: Launches, now: list[str], was: list[str] = []) -> str:  # noqa: B006
    return followed(client, save(client, boss(launches), now, was))


def course_page(client: FlaskClient, token: str) -> str:
    response = client.get("/pages/course", query_string={"lt": token, "course": COURSE})
    return response.get_data(as_text=True)


def check_profile(statement: dict[str, Any], template: str) -> None:
    validate_statement(statement)
    assert matching_templates(build_profile("https://yrkesresan.se/id/"), statement) == [
        PROFILE + template
    ]


def test_the_trainers_last_attendance_completes_the_course_and_a_withdrawal_voids_it(
    app: Flask, client: FlaskClient, launches: Launches, anna: str
) -> None:
    for task in TASKS:
        act(client, anna, "done", task)
    assert course_statements(app) == []  # checklists done, no day attended
    assert last_score(app) == (3, 5, "FullyGraded")  # 3 tasks + 2 days
    clock(app).set(MARCH_9)
    attend(client, launches, ["1|anna"])
    assert course_statements(app) == []
    assert last_score(app) == (4, 5, "FullyGraded")

    clock(app).set(MARCH_10)
    attend(client, launches, ["1|anna", "2|anna"], ["1|anna"])
    (completed,) = course_statements(app)
    check_profile(completed, "course-completed")
    own = next(s for s in outbox(app, "xapi-statement") if s["object"]["id"] == TASK_BBIC)
    assert completed["actor"] == own["actor"]  # anna, pseudonymous, not the manager
    assert completed["context"]["registration"] == own["context"]["registration"]
    assert last_score(app) == (5, 5, "FullyGraded")
    assert "Klar" in course_page(client, anna).split('class="hero-progress"')[1][:800]

    clock(app).set(MARCH_10.replace(hour=17))
    attend(client, launches, ["1|anna"], ["1|anna", "2|anna"])
    completed_again, voided = course_statements(app)
    assert completed_again == completed
    check_profile(voided, "course-completion-revoked")
    assert voided["object"] == {"objectType": "StatementRef", "id": completed["id"]}
    assert last_score(app) == (4, 5, "FullyGraded")


def test_a_task_done_last_completes_the_course_when_every_day_was_attended(
    app: Flask, client: FlaskClient, launches: Launches, anna: str
) -> None:
    clock(app).set(MARCH_10)
    attend(client, launches, ["1|anna", "2|anna"])
    act(client, anna, "done", TASK_BBIC)
    act(client, anna, "done", TASK_FILM)
    assert course_statements(app) == []
    assert last_score(app) == (4, 5, "FullyGraded")
    act(client, anna, "done", TASK_REFLECTION)
    (completed,) = course_statements(app)
    check_profile(completed, "course-completed")
    assert last_score(app) == (5, 5, "FullyGraded")
    act(client, anna, "undo", TASK_FILM)  # an undo voids it as before
    completed_again, voided = course_statements(app)
    assert completed_again == completed
    assert voided["object"]["id"] == completed["id"]
    check_profile(voided, "course-completion-revoked")
    assert last_score(app) == (4, 5, "FullyGraded")


def test_checklists_done_without_the_course_days_is_not_completed_on_any_page(
    app: Flask, client: FlaskClient, launches: Launches, anna: str
) -> None:
    for task in TASKS:
        act(client, anna, "done", task)
    clock(app).set(MARCH_9)
    attend(client, launches, ["1|anna"])
    hero = course_page(client, anna).split('class="hero-progress"')[1].split("<section")[0]
    assert "Pågår" in hero
    assert "Klar<" not in hero
    assert "Kvar för att kursen ska vara genomförd: 1 av 2 kursdagar" in hero
    assert staff_state(client, launches) == "in-progress"
    assert glance_done(client, launches) == 0  # the dashboard's count of who is done
    clock(app).set(MARCH_10)
    attend(client, launches, ["1|anna", "2|anna"], ["1|anna"])
    assert staff_state(client, launches) == "done"
    assert glance_done(client, launches) == 1


def glance_done(client: FlaskClient, launches: Launches) -> int:
    found = re.findall(
        r'<div class="done"><dt>[^<]*</dt><dd>(\d+)</dd></div>', staff_page(client, launches)
    )
    assert len(found) == 1  # one course chosen: one glance
    return int(found[0])


def staff_page(client: FlaskClient, launches: Launches) -> str:
    query = {"lt": boss(launches), "journey": "barn-och-unga", "course": "samtal"}
    return client.get("/pages/staff/", query_string=query).get_data(as_text=True)


def staff_state(client: FlaskClient, launches: Launches) -> str:
    """Anna's status in the manager's staff table (one course selected)."""
    rows = staff_page(client, launches).split("<tbody>")[1].split("</tbody>")[0]
    row = rows.split("<bdi>Namn anna</bdi>")[1]
    return row.split('class="badge badge--')[1].split('"')[0]


def test_a_course_completed_under_the_old_rule_is_not_voided_by_recording_attendance(
    app: Flask, client: FlaskClient, launches: Launches, anna: str
) -> None:
    journal = PagesService.of(app).events
    assert isinstance(journal, OutboxJournal)
    rule, journal.completion = journal.completion, None  # before 0.4.0: checklists alone
    for task in TASKS:
        act(client, anna, "done", task)
    (old,) = course_statements(app)
    journal.completion = rule  # upgraded to 0.4.0
    clock(app).set(MARCH_9)
    attend(client, launches, ["1|anna"])  # one of two days: unfinished by the new rule
    assert course_statements(app) == [old]  # kept: no retroactive voiding
    clock(app).set(MARCH_10)
    attend(client, launches, ["1|anna", "2|anna"], ["1|anna"])
    assert course_statements(app) == [old]  # never a second completion while one stands
    attend(client, launches, ["1|anna"], ["1|anna", "2|anna"])  # a withdrawal voids it
    assert course_statements(app)[-1]["object"]["id"] == old["id"]


def test_a_failed_save_leaves_neither_attendance_nor_completion_behind(
    app: Flask, client: FlaskClient, launches: Launches, anna: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for task in TASKS:
        act(client, anna, "done", task)
    clock(app).set(MARCH_10)
    journal = PagesService.of(app).events
    assert isinstance(journal, OutboxJournal)
    changed = journal.course_days_changed

    def then_fail(*args: Any) -> str | None:
        changed(*args)  # the completion and its score are in the outbox; then the disk is full
        raise RuntimeError("disk full")

    monkeypatch.setattr(journal, "course_days_changed", then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    scores = outbox(app, "ags-score")
    assert save(client, boss(launches), ["1|anna", "2|anna"]).status_code == 500
    assert course_statements(app) == []
    assert outbox(app, "ags-score") == scores
    assert stored(app) == set()  # no attendance stored either


CANVAS = replace(MOODLE, issuer="https://canvas.example.se", name="Canvas Annan kommun")


def test_a_trainer_of_another_municipality_completes_the_course_in_the_learners_tenant(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    """The trainers' page (every municipality): Olle of another platform finished his
    checklists; the trainer's last attendance completes his course there, with his actor
    and his course placement's score."""
    AdapterState.of(app).services.platforms.add(CANVAS)
    pages, occasions = PagesService.of(app), OccasionService.of(app)
    assert occasions.overlay is not None
    occasions.overlay.seed(pages.catalog(), now=JANUARY)
    with pages.sessions() as db:
        plan = occasions.plans.get(db, SPRING)
        assert plan is not None
        occasions.plans.put_trainer(
            db, Trainer(plan.trainers[0], "GR", "Tina", "tina@kommun.example")
        )
    where = {"issuer": CANVAS.issuer}
    olle_launch = launch(
        "olle",
        ags=AGS_CLAIM,
        custom={"yrkesresan_node": COURSE},
        resource_link_id="rl-olle",
        **where,
    )
    placed(app, olle_launch)
    olle = launches.add(olle_launch)
    learners(client, launches, "olle", **where)
    assert register(client, manager(launches, **where), SPRING, "olle").status_code == 303
    for task in TASKS:
        act(client, olle, "done", task)
    assert course_statements(app) == []
    tina = launches.add(launch("tina", role=ToolRole.MANAGER, email="tina@kommun.example"))

    def trainer_saves(day: str) -> None:
        html = client.get(
            "/pages/trainer/occasion", query_string={"lt": tina, "occasion": SPRING}
        ).get_data(as_text=True)
        ticks = [v.split('"')[0] for v in html.split('name="attended" value="')[1:]]
        was = [t for t in ticks if "checked" in html.split(f'value="{t}"')[1][:20]]
        now = sorted({*was, *(t for t in ticks if t.startswith(day))})
        data = {"lt": tina, "csrf_token": csrf_of(html), "occasion": SPRING}
        data |= {"attended": now, "was": was}  # type: ignore[dict-item]
        assert client.post("/pages/trainer/occasion", data=data).status_code == 303

    clock(app).set(MARCH_9)
    trainer_saves("1|")
    assert course_statements(app) == []
    clock(app).set(MARCH_10)
    trainer_saves("2|")
    (completed,) = course_statements(app)
    check_profile(completed, "course-completed")
    own = next(s for s in outbox(app, "xapi-statement") if s["object"]["id"] == TASK_BBIC)
    assert completed["actor"] == own["actor"]  # Olle on his own platform
    assert completed["actor"]["account"]["homePage"] == CANVAS.issuer
    assert last_score(app) == (5, 5, "FullyGraded")


def test_the_last_task_and_the_last_day_at_the_same_moment_complete_the_course_once(
    app: Flask, client: FlaskClient, launches: Launches, anna: str, database_url: str
) -> None:
    """The trainer's save of day 2 holds the occasion's lock and has not committed (it saw
    the follow-up undone: no completion); Anna's click on the last task waits for it
    instead of reading the attendance of before, and then sends the completion."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writing transaction at a time: no interleaving")
    act(client, anna, "done", TASK_BBIC)
    act(client, anna, "done", TASK_FILM)
    clock(app).set(MARCH_10)
    attend(client, launches, ["1|anna"])
    pages = PagesService.of(app)
    course, spring = find_occasion(pages.catalog(), SPRING)
    with app.app_context():
        recorder = AttendanceService.of(app).recorder(pages)
    clicked: list[BaseException | None] = []

    def click() -> None:
        try:
            act(app.test_client(), anna, "done", TASK_REFLECTION)
            clicked.append(None)
        except BaseException as err:
            clicked.append(err)

    with pages.sessions() as db:
        boss_launch = launches.by_token[boss(launches)]
        recorder.apply(
            db.connection(), boss_launch, course, spring,
            add=[("anna", f"{SPRING}/days/2")], remove=[], now=MARCH_10,
        )  # fmt: skip
        thread = threading.Thread(target=click)
        thread.start()
        wait_for_a_lock_wait("page_occasion_locks")
        assert clicked == []  # the click waits for the save
    thread.join()
    assert clicked == [None]
    (completed,) = course_statements(app)
    check_profile(completed, "course-completed")
    assert last_score(app) == (5, 5, "FullyGraded")


def whole_course(client: FlaskClient, token: str) -> str:
    """The course page's "Hela kursen" meter text."""
    page = course_page(client, token)
    return page.split('id="course-progress-text">')[1].split("<")[0]


def journey_card(client: FlaskClient, token: str) -> str:
    """The meter text of this course's card on the journey page."""
    page = client.get("/pages/journey", query_string={"lt": token}).get_data(as_text=True)
    found = re.search(r'id="p-[^"]*-samtal-text">([^<]*)<', page)
    assert found is not None
    return found.group(1)


def test_the_whole_course_meter_counts_the_course_days_as_the_gradebook_does(
    app: Flask, client: FlaskClient, launches: Launches, anna: str
) -> None:
    """Seen on a real Moodle 4.5: "2 av 5 klara (40 %)" on the course page while the
    gradebook said 33.33 (the score counts the course days). Both count them now."""
    act(client, anna, "done", TASK_BBIC)
    act(client, anna, "done", TASK_FILM)
    assert last_score(app) == (2, 5, "FullyGraded")  # 3 tasks + the occasion's 2 days
    assert whole_course(client, anna) == "2 av 5 klara (40 %)"
    assert journey_card(client, anna) == "2 av 5 klara (40 %)"
    clock(app).set(MARCH_9)
    attend(client, launches, ["1|anna"])
    assert last_score(app) == (3, 5, "FullyGraded")
    assert whole_course(client, anna) == "3 av 5 klara (60 %)"
    act(client, anna, "done", TASK_REFLECTION)  # every task done, one day left
    assert last_score(app) == (4, 5, "FullyGraded")
    assert whole_course(client, anna) == "4 av 5 klara (80 %)"


def test_before_a_registration_the_course_days_count_as_one_not_done(
    app: Flask, client: FlaskClient, launches: Launches
) -> None:
    context = launch(
        "bo", ags=AGS_CLAIM, custom={"yrkesresan_node": COURSE}, resource_link_id="rl-9"
    )
    placed(app, context)
    token = launches.add(context)
    for task in TASKS:
        act(client, token, "done", task)
    assert last_score(app) == (3, 4, "FullyGraded")
    assert whole_course(client, token) == "3 av 4 klara (75 %)"
    assert journey_card(client, token) == "3 av 4 klara (75 %)"


def staff_percents(client: FlaskClient, launches: Launches, *, course: str | None) -> list[str]:
    """Anna's percents in the manager's staff table: "Totalt" and then each column."""
    query = {"lt": boss(launches), "journey": "barn-och-unga"}
    if course:
        query["course"] = course
    page = client.get("/pages/staff/", query_string=query).get_data(as_text=True)
    row = page.split("<bdi>Namn anna</bdi>")[1].split("</tr>")[0]
    cell = r'class="num" data-label="[^"]*">(?:<span[^>]*><span[^>]*></span></span>)?(\d+) %'
    return re.findall(cell, row)


def test_the_staff_table_counts_the_course_days_as_the_gradebook_does(
    app: Flask, client: FlaskClient, launches: Launches, anna: str
) -> None:
    """The manager's "Totalt" for one course and the course's column in the overview show
    what the gradebook shows, not the tasks alone (2 of 3 tasks would be 66 %)."""
    act(client, anna, "done", TASK_BBIC)
    act(client, anna, "done", TASK_FILM)
    assert last_score(app) == (2, 5, "FullyGraded")
    total, *_goals = staff_percents(client, launches, course="samtal")
    assert total == "40"
    _total, samtal, _dokumentation = staff_percents(client, launches, course=None)
    assert samtal == "40"
