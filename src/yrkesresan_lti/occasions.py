"""The rules of registering staff for a course occasion (anmälan till kurstillfälle).

Framework-free and storage-free: the caller counts seats and knows the time; these
functions decide and raise a typed :class:`~yrkesresan_lti.exceptions.OccasionRegistrationError`
whose message says what to do instead.

* **Deadline.** Registration is open up to and including ``registration_deadline``, a
  date in Swedish time (Europe/Stockholm), whatever the server's time zone.
* **Seats.** ``capacity`` seats are physical: every registration for the occasion counts,
  whichever municipality made it.
* **Withdrawing** (or moving to another occasion) is possible until the first course day:
  on that day and later the registration stays.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from yrkesresan_lti.catalog import Catalog, Course, CourseOccasion
from yrkesresan_lti.exceptions import (
    OccasionFull,
    OccasionStarted,
    RegistrationClosed,
    UnknownCatalogNode,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def swedish_date(moment: dt.datetime) -> dt.date:
    """The calendar date in Sweden at ``moment`` (an aware datetime)."""
    return moment.astimezone(STOCKHOLM).date()


def first_day(occasion: CourseOccasion) -> dt.date:
    return min(day.date for day in occasion.days)


def registration_open(occasion: CourseOccasion, today: dt.date) -> bool:
    return today <= occasion.registration_deadline


def withdrawal_open(occasion: CourseOccasion, today: dt.date) -> bool:
    return today < first_day(occasion)


def seats_left(occasion: CourseOccasion, taken: int) -> int:
    return max(0, occasion.capacity - taken)


def check_registration_open(occasion: CourseOccasion, today: dt.date) -> None:
    """Raise :class:`RegistrationClosed` after the occasion's registration deadline."""
    if not registration_open(occasion, today):
        raise RegistrationClosed(
            f"registration for occasion '{occasion.iri}' closed on "
            f"{occasion.registration_deadline.isoformat()}: choose an occasion that is open"
        )


def check_seats(occasion: CourseOccasion, taken: int, wanted: int) -> None:
    """Raise :class:`OccasionFull` unless ``wanted`` more people fit beside ``taken``."""
    left = seats_left(occasion, taken)
    if wanted > left:
        raise OccasionFull(
            f"occasion '{occasion.iri}' has {left} seats left and {wanted} were asked for: "
            "register fewer people or choose another occasion",
            seats_left=left,
        )


def check_withdrawal_open(occasion: CourseOccasion, today: dt.date) -> None:
    """Raise :class:`OccasionStarted` on or after the occasion's first course day."""
    if not withdrawal_open(occasion, today):
        raise OccasionStarted(
            f"occasion '{occasion.iri}' started on {first_day(occasion).isoformat()}: "
            "a registration can only be withdrawn or moved before the first course day"
        )


def find_occasion(catalog: Catalog, iri: str) -> tuple[Course, CourseOccasion]:
    """The occasion with this IRI and its course; :class:`UnknownCatalogNode` otherwise."""
    lineage = catalog.lineage(iri)
    occasion = lineage[-1]
    course = next((n for n in lineage if isinstance(n, Course)), None)
    if not isinstance(occasion, CourseOccasion) or course is None:
        raise UnknownCatalogNode(f"'{iri}' is not a course occasion: pick an occasion of a course")
    return course, occasion
