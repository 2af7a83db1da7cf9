"""The rules of recording attendance on course days (närvaro på kursdagar).

Framework-free and storage-free, like :mod:`yrkesresan_lti.occasions`: the caller knows
the time and who is registered; these functions decide and raise a typed
:class:`~yrkesresan_lti.exceptions.AttendanceError` whose message says what to do instead.

* **Only days that have begun.** Attendance for a course day can be recorded (or
  withdrawn) from that day on: the day's date is on or before today's date in Sweden
  (Europe/Stockholm), whatever the server's time zone.
* **Only registered people.** Attendance is recorded for the people registered for the
  occasion. Withdrawing or moving a registration is refused from the occasion's first
  course day (:func:`yrkesresan_lti.occasions.check_withdrawal_open`), which is also the
  first day attendance can be recorded, so a registration that has attendance can no
  longer be withdrawn or moved.
"""

from __future__ import annotations

import datetime as dt

from yrkesresan_lti.catalog import CourseDay, CourseOccasion
from yrkesresan_lti.exceptions import CourseDayNotBegun, UnknownCatalogNode


def day_begun(day: CourseDay, today: dt.date) -> bool:
    return day.date <= today


def check_day_begun(day: CourseDay, today: dt.date) -> None:
    """Raise :class:`CourseDayNotBegun` before the course day's date (Swedish date)."""
    if not day_begun(day, today):
        raise CourseDayNotBegun(
            f"course day '{day.iri}' is on {day.date.isoformat()}: attendance can be "
            "recorded from that day on"
        )


def find_day(occasion: CourseOccasion, iri: str) -> CourseDay:
    """The occasion's course day with this IRI; :class:`UnknownCatalogNode` otherwise."""
    found = next((day for day in occasion.days if day.iri == iri), None)
    if found is None:
        raise UnknownCatalogNode(
            f"'{iri}' is not a course day of occasion '{occasion.iri}': pick one of its days"
        )
    return found
