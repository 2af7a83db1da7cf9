"""The manager's figures for a random group equal a plain recomputation, on SQLite and
PostgreSQL: the staff CSV (status, total and per course or knowledge goal), the glance per
course and the goal table. The page counts a whole region at once (one grouped query,
C-level counting); this recomputes person by person with the core's ``course_progress``."""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from tests.pages.conftest import Launches, launch, load_test_catalog
from yrkesresan_adapter import create_app
from yrkesresan_adapter.pages.numbers import average_percent, shown_percent
from yrkesresan_adapter.pages.service import PagesService
from yrkesresan_adapter.state import AdapterState
from yrkesresan_adapter.storage.scope import Scope
from yrkesresan_lti.catalog import Catalog, Course
from yrkesresan_lti.completion import course_completion, course_days_state
from yrkesresan_lti.lti.context import ToolRole
from yrkesresan_lti.progress import (
    CourseProgress,
    ProgressState,
    Tally,
    combined,
    course_progress,
)
from yrkesresan_lti.settings import Settings

PEOPLE = 60


Group = tuple[FlaskClient, str, Catalog, dict[str, set[str]]]


@pytest.fixture
def group(tmp_path: Path, database_url: str, launches: Launches) -> Iterator[Group]:
    """A manager's token over ``PEOPLE`` learners with random completed (and opened) tasks."""
    app = create_app(
        Settings(instance_path=tmp_path / "instance", database_url=database_url, _env_file=None)
    )
    catalog = load_test_catalog(tmp_path)
    service = PagesService.of(app)
    service.catalog = lambda: catalog
    service.resolve_launch = launches
    service.roster = None
    boss = launch("boss", role=ToolRole.MANAGER)
    token = launches.add(boss)
    scope = Scope.of(boss).values()
    tasks = [t.iri for _, _, course in catalog.courses() for t in course.tasks]
    rng = random.Random(17)
    now = datetime.now(UTC)
    learners, states, completed = [], [], {}
    for i in range(PEOPLE):
        sub = f"person-{i:02d}"
        done = set(rng.sample(tasks, rng.randint(0, len(tasks))))
        opened = set(rng.sample(tasks, rng.randint(0, 3))) - done  # opened, not done
        completed[sub] = done
        when = now - timedelta(days=rng.randint(0, 60))
        learners.append(
            {**scope, "user_sub": sub, "name": f"Namn {i:02d}", "role": "learner"}
            | {"first_seen_at": when, "last_activity_at": when}
        )
        for iri in [*done, *opened, *(["https://elsewhere.example/task"] if i % 7 == 0 else [])]:
            states.append(
                {**scope, "user_sub": sub, "task_iri": iri, "updated_at": when}
                | {"completed_at": None if iri in opened else when, "statement_id": None}
            )
    with service.sessions() as db:
        db.execute(insert(service.store.tables.learners), learners)
        db.execute(insert(service.store.tables.task_states), states)
    yield app.test_client(), token, catalog, completed
    AdapterState.of(app).services.db.dispose()


def _courses(catalog: Catalog) -> list[Course]:
    return [c for step in catalog.journeys[0].steps for c in step.courses]


def _csv(client: FlaskClient, token: str, **params: str) -> list[list[str]]:
    response = client.get("/pages/staff/export.csv", query_string={"lt": token, **params})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))[1:]


def _pct(tally: Tally) -> str:
    return str(shown_percent(tally.done, tally.total))


@pytest.mark.parametrize("one_course", [False, True])
def test_staff_csv_equals_a_recomputation(group: Group, one_course: bool) -> None:
    client, token, catalog, completed = group
    courses = _courses(catalog)
    course = courses[0]
    rows = _csv(client, token, **({"course": course.slug} if one_course else {}))
    assert len(rows) == PEOPLE
    for row in rows:
        mine = completed["person-" + row[0].removeprefix("Namn ")]
        progress = {c.iri: course_progress(c, mine) for c in courses}
        # a course counts its course days like tasks, as its score does (nobody registered)
        whole = {c.iri: _whole(c, progress) for c in courses}
        in_view = [course] if one_course else courses
        if one_course:
            overall = whole[course.iri]
            cells = [_pct(progress[course.iri].goals[g.iri]) for g in course.goals]
        else:
            overall = combined(whole.values())
            cells = [_pct(t) for t in whole.values()]
        # done: every course in view completed by the rule (nobody here attended a course day)
        state = overall.state
        if state is ProgressState.DONE and not all(_completed(c, progress) for c in in_view):
            state = ProgressState.IN_PROGRESS
        assert row[1] == state.value
        assert row[2] == _pct(overall)
        assert row[4 : 4 + len(cells)] == cells


def _whole(course: Course, progress: dict[str, CourseProgress]) -> Tally:
    """The course's tasks and course days, for someone registered for no occasion."""
    return course_completion(progress[course.iri], course_days_state(course, None, ())).overall


def _completed(course: Course, progress: dict[str, CourseProgress]) -> bool:
    """By the completion rule, for someone registered for no occasion."""
    return course_completion(progress[course.iri], course_days_state(course, None, ())).done


def test_glance_and_goal_table_equal_a_recomputation(group: Group) -> None:
    client, token, catalog, completed = group
    page = client.get("/pages/staff/", query_string={"lt": token}).get_data(as_text=True)
    courses = _courses(catalog)
    everyone: list[dict[str, CourseProgress]] = [
        {c.iri: course_progress(c, mine) for c in courses} for mine in completed.values()
    ]
    glance = re.findall(
        r'<div class="not-started"><dt>[^<]*</dt><dd>(\d+)</dd></div>\s*'
        r'<div class="in-progress"><dt>[^<]*</dt><dd>(\d+)</dd></div>\s*'
        r'<div class="done"><dt>[^<]*</dt><dd>(\d+)</dd></div>',
        page,
    )
    expected_glance = []
    for c in courses:
        states = [
            course_completion(p[c.iri], course_days_state(c, None, ())).state.value
            for p in everyone
        ]
        expected_glance.append(
            tuple(str(states.count(s)) for s in ("not-started", "in-progress", "done"))
        )
    assert glance == expected_glance
    goals = re.findall(
        r'data-label="Genomsnitt">(\d+) %</td><td class="num" data-label="Har nått målet">'
        r"(\d+) av (\d+)</td>",
        page,
    )
    expected_goals = []
    for c in courses:
        for g in c.goals:
            tallies = [p[c.iri].goals[g.iri] for p in everyone]
            reached = sum(1 for t in tallies if t.done >= t.total)
            average = average_percent((t.done, t.total) for t in tallies)
            expected_goals.append((str(average), str(reached), str(PEOPLE)))
    assert goals == expected_goals


def test_the_stalled_list_names_the_longest_quiet_and_counts_the_rest(group: Group) -> None:
    client, token, catalog, completed = group
    page = client.get("/pages/staff/", query_string={"lt": token}).get_data(as_text=True)
    service = PagesService.of(client.application)
    learners = service.store.tables.learners
    with service.sessions() as db:
        last = dict(db.execute(select(learners.c.user_sub, learners.c.last_activity_at)).all())
    now = datetime.now(UTC)
    courses = _courses(catalog)
    expected = []
    for sub, mine in completed.items():
        progress = {c.iri: course_progress(c, mine) for c in courses}
        state = combined(p.overall for p in progress.values()).state.value
        if state == "done" and not all(_completed(c, progress) for c in courses):
            state = "in-progress"  # checklists done, a course day not attended (the rule)
        quiet = now - last[sub].replace(tzinfo=UTC)
        if state == "in-progress" and quiet >= timedelta(weeks=service.stalled_after_weeks):
            expected.append((-(quiet.days // 7), "Namn " + sub.removeprefix("person-")))
    expected.sort()
    assert len(expected) > 20, "the fixture must have more stalled people than are named"
    help_list = page.split('<ul class="help-list">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<bdi>(Namn \d+)</bdi>", help_list) == [n for _, n in expected[:20]]
    more = f"… och {len(expected) - 20} personer till."
    assert more in page
    assert "state=in-progress&amp;sort=activity" in page.split(more, 1)[1][:400]
