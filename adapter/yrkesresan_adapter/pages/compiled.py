"""Courses reduced to plain tuples once, so a click does not walk the catalog nodes again.

The catalog is frozen: a course object never changes, and a reloaded catalog brings new
course objects (which get entries of their own; the oldest are dropped past ``limit``).
"""

from __future__ import annotations

import threading

from yrkesresan_lti.catalog import Course
from yrkesresan_lti.progress import CompiledCourse, compile_course


class CompiledCourses:
    """:func:`~yrkesresan_lti.progress.compile_course` of each course object, computed once."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self._by_id: dict[int, tuple[Course, CompiledCourse]] = {}
        self._lock = threading.Lock()

    def __call__(self, course: Course) -> CompiledCourse:
        entry = self._by_id.get(id(course))
        if entry is None or entry[0] is not course:  # the entry keeps its course alive
            entry = (course, compile_course(course))
            with self._lock:  # threads of one worker share the cache
                while self._by_id and len(self._by_id) >= self.limit:
                    self._by_id.pop(next(iter(self._by_id)))
                self._by_id[id(course)] = entry
        return entry[1]
