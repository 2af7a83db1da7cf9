"""Progress per part, course and knowledge goal, and the estimated time left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from yrkesresan_lti.progress import (
    ProgressState,
    Tally,
    combined,
    course_progress,
    tally,
)

BASE = "https://yrkesresan.se/id/journeys/bou/courses/samtal"


@dataclass(frozen=True)
class FakeTask:
    iri: str
    duration: timedelta
    goal_iris: tuple[str, ...]


@dataclass(frozen=True)
class FakeChecklist:
    tasks: tuple[FakeTask, ...]


@dataclass(frozen=True)
class FakeGoal:
    iri: str


@dataclass(frozen=True)
class FakeCourse:
    iri: str
    goals: tuple[FakeGoal, ...]
    preparation: FakeChecklist
    follow_up: FakeChecklist = field(default_factory=lambda: FakeChecklist(()))


GOAL_A = f"{BASE}/goals/a"
GOAL_B = f"{BASE}/goals/b"


def task(part: str, slug: str, minutes: int, *goals: str) -> FakeTask:
    return FakeTask(f"{BASE}/{part}/tasks/{slug}", timedelta(minutes=minutes), goals)


COURSE = FakeCourse(
    iri=BASE,
    goals=(FakeGoal(GOAL_A), FakeGoal(GOAL_B)),
    preparation=FakeChecklist(
        (
            task("preparation", "lag", 30, GOAL_A),
            task("preparation", "film", 15, GOAL_A, GOAL_B),
        )
    ),
    follow_up=FakeChecklist((task("follow-up", "reflektion", 45, GOAL_B),)),
)


def test_nothing_done_means_not_started_and_all_time_left() -> None:
    progress = course_progress(COURSE, set())
    assert progress.state is ProgressState.NOT_STARTED
    assert progress.overall == Tally(0, 3, timedelta(minutes=90), timedelta(minutes=90))
    assert progress.overall.percent == 0


def test_one_task_moves_its_part_course_and_every_goal_it_serves() -> None:
    done = {f"{BASE}/preparation/tasks/film"}
    progress = course_progress(COURSE, done)
    assert (progress.preparation.done, progress.preparation.percent) == (1, 50)
    assert progress.follow_up.done == 0
    assert progress.overall.remaining_time == timedelta(minutes=75)
    assert progress.goals[GOAL_A].done == 1
    assert progress.goals[GOAL_B].done == 1
    assert progress.state is ProgressState.IN_PROGRESS


def test_percent_rounds_down_so_100_means_everything_done() -> None:
    done = {t.iri for t in COURSE.preparation.tasks}
    progress = course_progress(COURSE, done)
    assert progress.overall.percent == 66
    everything = done | {t.iri for t in COURSE.follow_up.tasks}
    assert course_progress(COURSE, everything).overall.percent == 100
    assert course_progress(COURSE, everything).state is ProgressState.DONE


def test_completed_iris_of_other_courses_are_ignored() -> None:
    progress = course_progress(COURSE, {"https://yrkesresan.se/id/other/tasks/x"})
    assert progress.overall.done == 0


def test_goal_order_follows_the_catalog() -> None:
    assert list(course_progress(COURSE, set()).goals) == [GOAL_A, GOAL_B]


def test_an_empty_checklist_has_nothing_left() -> None:
    empty = tally([], set())
    assert (empty.percent, empty.state) == (100, ProgressState.DONE)


def test_combined_adds_courses() -> None:
    one = course_progress(COURSE, {f"{BASE}/preparation/tasks/lag"}).overall
    total = combined([one, one])
    assert (total.done, total.total, total.remaining_time) == (2, 6, timedelta(minutes=120))


tasks_strategy = st.lists(
    st.builds(
        FakeTask,
        iri=st.sampled_from([f"{BASE}/preparation/tasks/t{i}" for i in range(12)]),
        duration=st.integers(0, 600).map(lambda m: timedelta(minutes=m)),
        goal_iris=st.lists(st.sampled_from([GOAL_A, GOAL_B]), unique=True).map(tuple),
    ),
    max_size=12,
    unique_by=lambda t: t.iri,
)


@given(tasks=tasks_strategy, data=st.data())
def test_progress_invariants(tasks: list[FakeTask], data: st.DataObject) -> None:
    done = set(data.draw(st.lists(st.sampled_from([t.iri for t in tasks] or ["x"]))))
    course = FakeCourse(BASE, (FakeGoal(GOAL_A), FakeGoal(GOAL_B)), FakeChecklist(tuple(tasks)))
    overall = course_progress(course, done).overall
    assert overall.done == len(done & {t.iri for t in tasks})
    assert overall.total == len(tasks)
    assert 0 <= overall.percent <= 100
    assert (overall.percent == 100) == (overall.done == overall.total)
    assert overall.remaining_time == sum(
        (t.duration for t in tasks if t.iri not in done), timedelta()
    )
    for goal, goal_tally in course_progress(course, done).goals.items():
        serving = [t for t in tasks if goal in t.goal_iris]
        assert goal_tally.total == len(serving)
        assert goal_tally.done <= overall.done


@given(tasks=tasks_strategy.filter(bool), data=st.data())
def test_completing_one_more_task_never_lowers_progress(
    tasks: list[FakeTask], data: st.DataObject
) -> None:
    course = FakeCourse(BASE, (FakeGoal(GOAL_A),), FakeChecklist(tuple(tasks)))
    done = set(data.draw(st.lists(st.sampled_from([t.iri for t in tasks]))))
    extra = data.draw(st.sampled_from([t.iri for t in tasks]))
    before = course_progress(course, done).overall
    after = course_progress(course, done | {extra}).overall
    assert after.percent >= before.percent
    assert after.remaining_time <= before.remaining_time
