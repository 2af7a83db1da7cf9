"""What a teacher sees in the gradebook of a Moodle-strict platform after learners' clicks.

The platform (the core fake platform, strict like Moodle 4.5.6) keeps ``scoreGiven`` only of
``FullyGraded`` scores and answers 409 to a score not later, in whole seconds, than the one on
record. The tool runs with the example catalog (journey Barn och unga: 31 tasks; course
"Handläggning med barn i centrum": 6 tasks); placements are kept as a real launch keeps them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from tests.advantage.conftest import registration_for
from tests.conftest import FakeClock
from tests.pages.conftest import Launches, launch
from yrkesresan_adapter import create_app
from yrkesresan_adapter.delivery import delivery_worker
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog, Course
from yrkesresan_lti.cli import build_cli
from yrkesresan_lti.lti.advantage.ags_outbox import AGS_TARGET
from yrkesresan_lti.lti.advantage.node_scores import node_task_iris
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.settings import Settings
from yrkesresan_lti.testing.services import FakePlatformServices, serve

JOURNEY = "https://yrkesresan.se/id/journeys/barn-och-unga"
HANDLAGGNING = f"{JOURNEY}/courses/handlaggning-med-barn-i-centrum"
SAMTAL = f"{JOURNEY}/courses/samtal-med-barn"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LEARNER = "3"  # Sam Student, a gradable learner of the fake Moodle course


@dataclass
class Lms:
    app: Flask
    platform: FakePlatformServices
    launches: Launches
    clock: FakeClock

    @property
    def catalog(self) -> Catalog:
        return PagesService.of(self.app).catalog()

    def course(self, iri: str) -> Course:
        node = self.catalog.node(iri)
        assert isinstance(node, Course)
        return node

    def place(self, node_iri: str, link: str) -> tuple[str, LaunchContext]:
        """A teacher places ``node_iri`` (a line item of its task count); the learner
        launches it. Returns the line item URL and the launch."""
        tasks = node_task_iris(self.catalog.node(node_iri))
        lineitem = self.platform.add_line_item(link, len(tasks), resourceId=node_iri)
        context = launch(
            LEARNER,
            launch_id=f"launch-{link}",
            issuer=self.platform.issuer,
            client_id=self.platform.client_id,
            deployment_id=self.platform.deployment_id,
            resource_link_id=link,
            custom={"yrkesresan_node": node_iri},
            ags={"lineitem": lineitem, "scope": [SCORE_SCOPE]},
        )
        self.launch(context)
        return lineitem, context

    def launch(self, context: LaunchContext) -> None:
        """What ``POST /lti/launch`` runs for a valid launch, in its transaction."""
        state = AdapterState.of(self.app)
        with self.app.app_context(), state.services.db.transaction():
            for hook in state.services.launch.on_launch:
                hook(context)
        self.launches.add(context)

    def click(self, context: LaunchContext, action: str, task: str) -> None:
        client: FlaskClient = self.app.test_client()
        token = f"tok-{context.launch_id}"
        csrf = PagesService.of(self.app).csrf.token(context.launch_id)
        answer = client.post(
            f"/pages/task/{action}", data={"lt": token, "csrf_token": csrf, "task": task}
        )
        assert answer.status_code == 303

    def deliver(self) -> None:
        report = delivery_worker(self.app, targets=[AGS_TARGET]).flush()
        assert (report.retried, report.dead) == (0, 0), report

    def grade(self, lineitem: str) -> float | None:
        return self.platform.grade(lineitem, LEARNER)


@pytest.fixture
def lms(tmp_path: Path, launches: Launches) -> Iterator[Lms]:
    app = create_app(Settings(instance_path=tmp_path / "instance", _env_file=None))
    state = AdapterState.of(app)
    keys = state.services.tool_keys
    platform = FakePlatformServices(
        tool_jwks=lambda: {"keys": [dict(keys.signing_key().public_jwk)]}
    )
    clock = FakeClock(datetime(2026, 12, 6, 9, 0, 0, 100_000, tzinfo=UTC))
    service = PagesService.of(app)
    service.resolve_launch = launches
    service.clock = clock
    service.roster = None
    with serve(platform):
        state.services.platforms.save(registration_for(platform))
        yield Lms(app, platform, launches, clock)
    state.services.db.dispose()


def on_course_item(lms: Lms, course_iri: str, done: int) -> Any:
    """What Moodle shows for ``done`` parts of a course placement of a learner without an
    occasion: the score counts the tasks and the course days as one part (1 of 7 for six
    tasks), and Moodle rescales it to the grade item's maximum, the task count (seen on
    Moodle 4.5.6: 3 of 6 on an item of maximum 5 showed as 2.50)."""
    course = lms.course(course_iri)
    tasks, days = len(course.tasks), 1 if course.occasions else 0
    return pytest.approx(done * tasks / (tasks + days), abs=1e-5)


def test_one_task_of_six_done_shows_its_share_of_the_course(lms: Lms) -> None:
    course = lms.course(HANDLAGGNING)
    assert len(course.tasks) == 6
    assert course.occasions  # a course with course days
    lineitem, context = lms.place(HANDLAGGNING, "rl-course")
    lms.click(context, "done", course.tasks[0].iri)
    lms.deliver()
    assert lms.platform.scores[-1][1]["scoreGiven"] == 1
    assert lms.platform.scores[-1][1]["scoreMaximum"] == 7  # six tasks and the course days
    grade = lms.grade(lineitem)
    assert grade == on_course_item(lms, HANDLAGGNING, 1)  # 0.86 of 6: not an empty grade
    assert grade is not None
    assert grade / 6 == pytest.approx(1 / 7, abs=1e-5)  # the share the tool shows: 1 of 7


def test_journey_placement_counts_every_task_of_the_journey(lms: Lms) -> None:
    journey_item, journey = lms.place(JOURNEY, "rl-journey")
    course_item, course_launch = lms.place(HANDLAGGNING, "rl-course")
    other_item, _ = lms.place(SAMTAL, "rl-samtal")
    handlaggning, samtal = lms.course(HANDLAGGNING), lms.course(SAMTAL)
    for task in handlaggning.tasks:  # all six, on the course's own page
        lms.click(course_launch, "done", task.iri)
        lms.clock.advance(seconds=2)
    lms.click(journey, "done", samtal.tasks[0].iri)  # another course, through the journey
    lms.deliver()
    assert lms.grade(journey_item) == 7  # of 31, never 31/31
    assert lms.grade(course_item) == on_course_item(lms, HANDLAGGNING, 6)  # 6 of 7 parts
    assert lms.grade(other_item) == on_course_item(lms, SAMTAL, 1)  # marked via the journey
    assert lms.platform.line_items[1]["scoreMaximum"] == 31


def test_a_placement_launched_after_its_tasks_were_done_shows_them_at_once(lms: Lms) -> None:
    course = lms.course(HANDLAGGNING)
    _, course_launch = lms.place(HANDLAGGNING, "rl-course")
    lms.click(course_launch, "done", course.tasks[0].iri)
    lms.deliver()
    lms.clock.advance(seconds=2)
    task_item, task_launch = lms.place(course.tasks[0].iri, "rl-task")  # placed later
    lms.deliver()
    assert lms.grade(task_item) == 1  # the gradebook agrees before any further click
    fresh_item, _ = lms.place(course.tasks[1].iri, "rl-untouched")
    lms.deliver()
    assert lms.grade(fresh_item) is None  # nothing done there: no grade yet, as before
    scores = len(lms.platform.scores)
    lms.launch(task_launch)  # launched again: nothing new to send
    lms.deliver()
    assert len(lms.platform.scores) == scores


def test_a_task_placement_gets_its_grade_without_the_rest_of_its_course(lms: Lms) -> None:
    course = lms.course(HANDLAGGNING)
    task = course.tasks[3]
    task_item, _ = lms.place(task.iri, "rl-task")
    course_item, course_launch = lms.place(HANDLAGGNING, "rl-course")
    lms.click(course_launch, "done", course.tasks[0].iri)
    lms.deliver()
    assert lms.grade(task_item) is None  # nothing sent: its task is not done
    lms.click(course_launch, "done", task.iri)
    lms.deliver()
    assert lms.grade(task_item) == 1
    assert lms.grade(course_item) == on_course_item(lms, HANDLAGGNING, 2)


def test_done_and_undo_within_one_second_end_consistent(lms: Lms) -> None:
    course = lms.course(HANDLAGGNING)
    lineitem, context = lms.place(HANDLAGGNING, "rl-course")
    for task in course.tasks[:5]:
        lms.click(context, "done", task.iri)
        lms.clock.advance(seconds=1)
    lms.deliver()
    assert lms.grade(lineitem) == on_course_item(lms, HANDLAGGNING, 5)
    lms.click(context, "done", course.tasks[5].iri)
    lms.deliver()  # 6/6 is on record at this second
    lms.clock.advance(milliseconds=300)  # the same whole second
    lms.click(context, "undo", course.tasks[5].iri)
    lms.deliver()
    assert lms.grade(lineitem) == on_course_item(lms, HANDLAGGNING, 5)  # not a stale 6

    lms.click(context, "done", course.tasks[5].iri)
    lms.click(context, "undo", course.tasks[5].iri)
    lms.click(context, "done", course.tasks[5].iri)  # three clicks queued in one second
    lms.deliver()
    assert lms.grade(lineitem) == on_course_item(lms, HANDLAGGNING, 6)
    sent = [s["scoreGiven"] for _, s in lms.platform.scores]
    assert sent[-1] == 6
    assert sent.count(6) == 2  # the older queued scores were never posted


def test_a_line_item_deleted_in_the_lms_stops_its_scores_and_status_says_so(
    lms: Lms, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    course = lms.course(HANDLAGGNING)
    lineitem, context = lms.place(HANDLAGGNING, "rl-course")
    journey_item, _ = lms.place(JOURNEY, "rl-journey")
    lms.platform.delete_line_item(lineitem)  # the teacher deletes the activity
    lms.click(context, "done", course.tasks[0].iri)
    report = delivery_worker(lms.app, targets=[AGS_TARGET]).flush()
    assert (report.delivered, report.dead, report.retried) == (1, 1, 0)
    assert lms.grade(journey_item) == 1
    lms.click(context, "done", course.tasks[1].iri)
    report = delivery_worker(lms.app, targets=[AGS_TARGET]).flush()
    assert (report.delivered, report.dead) == (1, 0)  # only the journey's score was queued
    assert lms.grade(journey_item) == 2

    env = {"YRKESRESAN_INSTANCE_PATH": str(tmp_path / "instance"), "YRKESRESAN_DATABASE_URL": None}
    result = CliRunner().invoke(build_cli(), ["outbox", "status"], env=env)
    assert result.exit_code == 0, result.output
    (ags_row,) = [line for line in result.output.splitlines() if line.startswith("ags ")]
    assert "levereras av `yrkesresan worker`" in ags_row
    assert "1 betygsposter borttagna i lärplattformen" in ags_row
    assert "ej konfigurerad" not in ags_row
