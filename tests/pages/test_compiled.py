"""Compiled courses: computed once per course object, same progress as the catalog nodes."""

from __future__ import annotations

from pathlib import Path

from yrkesresan_adapter.pages.compiled import CompiledCourses
from yrkesresan_lti.progress import course_progress

from .conftest import load_test_catalog


def test_progress_from_the_cache_equals_progress_from_the_course(tmp_path: Path) -> None:
    catalog = load_test_catalog(tmp_path)
    compiled = CompiledCourses()
    for _, _, course in catalog.courses():
        tasks = [task.iri for task in course.tasks]
        for completed in (set(), set(tasks[:1]), set(tasks[::2]), set(tasks)):
            expected = course_progress(course, completed)
            assert course_progress(compiled(course), completed) == expected
            assert course_progress(compiled(course), completed) == expected


def test_each_course_is_compiled_once_and_a_reloaded_catalog_gets_its_own(
    tmp_path: Path,
) -> None:
    first = next(c for _, _, c in load_test_catalog(tmp_path).courses())
    (tmp_path / "again").mkdir()
    reloaded = next(c for _, _, c in load_test_catalog(tmp_path / "again").courses())
    compiled = CompiledCourses()
    assert compiled(first) is compiled(first)
    assert compiled(reloaded) is not compiled(first)
    assert compiled(reloaded) == compiled(first)


def test_the_oldest_entries_are_dropped_past_the_limit(tmp_path: Path) -> None:
    courses = [c for _, _, c in load_test_catalog(tmp_path).courses()][:2]
    compiled = CompiledCourses(limit=1)
    kept = [compiled(course) for course in courses]
    assert compiled(courses[1]) is kept[1]
    assert compiled(courses[0]) is not kept[0]
    assert compiled(courses[0]) == kept[0]
