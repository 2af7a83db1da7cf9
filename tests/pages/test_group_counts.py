"""The group counting index gives the same figures as course_progress, person by person."""

from __future__ import annotations

import gc
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pages.conftest import HERE
from yrkesresan_adapter.pages.progress.group_counts import GroupIndex, cycle_collection_paused
from yrkesresan_lti.catalog import load_catalog
from yrkesresan_lti.progress import combined, course_progress

CATALOG = load_catalog(HERE / "catalog.yaml")
COURSES = [course for _, _, course in CATALOG.courses()]
TASKS = [task.iri for course in COURSES for task in course.tasks]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(completed=st.sets(st.sampled_from([*TASKS, "https://elsewhere.example/task"])))
def test_index_matches_course_progress(completed: set[str]) -> None:
    index = GroupIndex(COURSES)
    counts = index.count(completed)
    for c_index, course in enumerate(COURSES):
        expected = course_progress(course, completed)
        assert index.course_tally(counts, c_index) == expected.overall
        everything = combined(course_progress(c, completed).overall for c in COURSES)
        assert index.overall_tally(counts) == everything
        for goal in course.goals:
            g_index = index.goal_iris.index(goal.iri)
            assert index.goal_tally(counts, g_index) == expected.goals[goal.iri]


def test_cycle_collection_resumes_after_the_page_and_stays_off_if_it_was() -> None:
    def paused_then_failing() -> None:
        with cycle_collection_paused():
            assert not gc.isenabled()
            raise RuntimeError

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        paused_then_failing()
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(completed=st.sets(st.sampled_from(TASKS)), seed=st.integers(0, 2**32))
def test_index_counts_the_bits_of_any_task_numbering(completed: set[str], seed: int) -> None:
    """With a context's task numbers (any order, gaps, numbers of tasks no longer in the
    catalog, none for tasks nobody did) the bits count like ``course_progress``."""
    rng = random.Random(seed)
    numbers = dict(zip(TASKS, rng.sample(range(3 * len(TASKS)), len(TASKS)), strict=True))
    numbering = {iri: n for iri, n in numbers.items() if iri in completed or rng.random() < 0.5}
    index = GroupIndex(COURSES, numbering)
    elsewhere = 1 << (3 * len(TASKS))  # a task of another catalog revision
    counts = index.count_mask(sum(1 << numbering[iri] for iri in completed) | elsewhere)
    for c_index, course in enumerate(COURSES):
        expected = course_progress(course, completed)
        assert index.course_tally(counts, c_index) == expected.overall
        for goal in course.goals:
            g_index = index.goal_iris.index(goal.iri)
            assert index.goal_tally(counts, g_index) == expected.goals[goal.iri]
    assert index.overall_tally(counts) == combined(
        course_progress(c, completed).overall for c in COURSES
    )
