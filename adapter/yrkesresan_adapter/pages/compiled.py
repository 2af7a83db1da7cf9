"""Courses reduced to plain tuples once, so a click does not walk the catalog nodes again.

The catalog is frozen: a course object never changes, and a reloaded catalog brings new
course objects (which get entries of their own; the oldest are dropped past ``limit``).
"""

from __future__ import annotations

from yrkesresan_lti.catalog import Course
from yrkesresan_lti.progress import CompiledCourse, compile_course


class CompiledCourses:
    """:func:`~yrkesresan_lti.progress.compile_course` of each course object, computed once."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self._by_id: dict[int, tuple[Course, CompiledCourse]] = {}

    def __call__(self, course: Course) -> CompiledCourse:
        entry = self._by_id.get(id(course))
        if entry is None or entry[0] is not course:  # the entry keeps its course alive
            if len(self._by_id) >= self.limit:
                del self._by_id[next(iter(self._by_id))]
            entry = (course, compile_course(course))
            self._by_id[id(course)] = entry
        return entry[1]
