"""Course occasions as operational data (kurstillfällen som driftdata), owned by a region.

Framework-free and storage-free, like :mod:`yrkesresan_lti.occasions`. A
:class:`PlannedOccasion` is what a regional coordinator (RSS) plans: the course (by catalog
IRI), the course days with times in Swedish time (Europe/Stockholm), place or meeting link,
trainers (keys of the region's trainer register), capacity, registration deadline, which
municipalities (platform issuers) may register, and a status. Its IRI is the catalog's
scheme, ``<course IRI>/occasions/<slug>`` with days ``.../days/<n>``, so an occasion
imported from the catalog keeps its IRI and every registration and statement that names it.

:func:`check_occasion` returns every problem at once (field, English message id, details)
so the CLI, the CSV import and the admin page can each say where; :func:`require_valid`
raises :class:`~yrkesresan_lti.exceptions.InvalidOccasion` with the first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from enum import StrEnum
from itertools import pairwise

from yrkesresan_lti.catalog import Catalog, Course, CourseOccasion
from yrkesresan_lti.exceptions import InvalidOccasion
from yrkesresan_lti.i18n import N_
from yrkesresan_lti.untrusted import http_url

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TEXT = 255
MAX_CAPACITY = 10_000


class OccasionStatus(StrEnum):
    """Stored status; *full* is not stored but shown when an open occasion has no seat."""

    PLANNED = "planned"
    OPEN = "open"
    CANCELLED = "cancelled"
    HELD = "held"


@dataclass(frozen=True)
class PlannedDay:
    date: dt.date
    start: dt.time
    end: dt.time
    sequence: int = 0
    """Bumped each time the day moves: the calendar file's SEQUENCE (RFC 5545)."""


@dataclass(frozen=True)
class PlannedOccasion:
    course_iri: str
    slug: str
    region: str
    days: tuple[PlannedDay, ...]
    capacity: int
    registration_deadline: dt.date
    place: str | None = None
    meeting_url: str | None = None
    trainers: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    """Platform issuers whose people may be registered; empty: every municipality."""
    status: OccasionStatus = OccasionStatus.OPEN
    title: str | None = None
    """Swedish title; empty: ``Kurstillfälle <slug>``."""

    @property
    def iri(self) -> str:
        return f"{self.course_iri}/occasions/{self.slug}"

    def day_iri(self, number: int) -> str:
        return f"{self.iri}/days/{number}"

    @property
    def first_day(self) -> dt.date:
        return self.days[0].date

    def open_to(self, issuer: str) -> bool:
        return not self.municipalities or issuer in self.municipalities

    def with_days(self, days: tuple[PlannedDay, ...]) -> PlannedOccasion:
        """These days, each one's SEQUENCE bumped when its date or times changed."""
        bumped = []
        for number, day in enumerate(days, start=1):
            old = self.days[number - 1] if number <= len(self.days) else None
            if old is None:
                bumped.append(replace(day, sequence=0))
            elif (old.date, old.start, old.end) != (day.date, day.start, day.end):
                bumped.append(replace(day, sequence=old.sequence + 1))
            else:
                bumped.append(replace(day, sequence=old.sequence))
        return replace(self, days=tuple(bumped))


@dataclass(frozen=True)
class Problem:
    """One problem of an occasion: the field, an English message id (:func:`N_`), details."""

    field: str
    message: str
    details: dict[str, str] = dataclass_field(default_factory=dict)


def _text_problems(occasion: PlannedOccasion) -> Iterator[Problem]:
    if not SLUG.match(occasion.slug):
        yield Problem("occasion", N_("use lower-case letters, digits and dashes, e.g. ht-2027"))
    if not occasion.region.strip():
        yield Problem("region", N_("give the region (RSS) that runs the occasion"))
    for name, value in (("place", occasion.place), ("region", occasion.region)):
        if value is not None and len(value) > MAX_TEXT:
            yield Problem(name, N_("at most %(n)s characters"), {"n": str(MAX_TEXT)})
    if occasion.place is None and occasion.meeting_url is None:
        yield Problem("place", N_("give a place or a meeting link (or both)"))
    url = occasion.meeting_url
    if url is not None and http_url(url) is None:
        yield Problem("meeting_url", N_("the meeting link must be an http(s) address"))


def _day_problems(occasion: PlannedOccasion) -> Iterator[Problem]:
    if not occasion.days:
        yield Problem("days", N_("give at least one course day"))
        return
    for number, day in enumerate(occasion.days, start=1):
        if day.end <= day.start:
            yield Problem("days", N_("course day %(n)s ends before it starts"), {"n": str(number)})
    for number, (before, after) in enumerate(pairwise(occasion.days), start=1):
        if after.date == before.date:
            yield Problem(
                "days",
                N_("course days %(a)s and %(b)s are on the same date (%(date)s): one day per date"),
                {"a": str(number), "b": str(number + 1), "date": after.date.isoformat()},
            )
        elif after.date < before.date:
            yield Problem(
                "days",
                N_("course day %(b)s (%(date)s) is before day %(a)s: list the days in date order"),
                {"a": str(number), "b": str(number + 1), "date": after.date.isoformat()},
            )
    if occasion.registration_deadline >= occasion.days[0].date:
        yield Problem(
            "deadline",
            N_(
                "the registration deadline %(deadline)s is not before the first course day "
                "%(first)s"
            ),
            {
                "deadline": occasion.registration_deadline.isoformat(),
                "first": occasion.days[0].date.isoformat(),
            },
        )


def check_occasion(
    occasion: PlannedOccasion,
    *,
    courses: Collection[str],
    trainers: Collection[str],
    registered: int = 0,
) -> list[Problem]:
    """Every problem of ``occasion``: ``courses`` are the catalog's course IRIs, ``trainers``
    the trainer register's keys, ``registered`` how many are registered for it already."""
    found = [*_text_problems(occasion), *_day_problems(occasion)]
    if occasion.course_iri not in courses:
        found.append(
            Problem("course", N_("unknown course IRI %(iri)s"), {"iri": occasion.course_iri})
        )
    unknown = [key for key in occasion.trainers if key not in trainers]
    if unknown:
        found.append(Problem("trainers", N_("unknown trainer %(key)s"), {"key": unknown[0]}))
    if not 1 <= occasion.capacity <= MAX_CAPACITY:
        found.append(
            Problem("capacity", N_("capacity must be 1 to %(n)s"), {"n": str(MAX_CAPACITY)})
        )
    elif occasion.capacity < registered:
        found.append(
            Problem(
                "capacity",
                N_("capacity %(capacity)s is below the %(registered)s already registered"),
                {"capacity": str(occasion.capacity), "registered": str(registered)},
            )
        )
    return found


def require_valid(
    occasion: PlannedOccasion,
    *,
    courses: Collection[str],
    trainers: Collection[str],
    registered: int = 0,
) -> None:
    """Raise :class:`InvalidOccasion` (reason: the field) for the first problem."""
    problems = check_occasion(occasion, courses=courses, trainers=trainers, registered=registered)
    if problems:
        first = problems[0]
        raise InvalidOccasion(
            f"occasion '{occasion.iri}' {first.field}: {first.message % first.details}",
            reason=first.field,
            message_id=first.message,
            **first.details,
        )


def course_iris(catalog: Catalog) -> set[str]:
    return {course.iri for _, _, course in catalog.courses()}


def from_catalog(course: Course, occasion: CourseOccasion, region: str) -> PlannedOccasion:
    """The catalog's occasion as seed data (times default to 09:00–16:00)."""
    days = tuple(
        PlannedDay(day.date, day.start or dt.time(9), day.end or dt.time(16))
        for day in occasion.days
    )
    return PlannedOccasion(
        course_iri=course.iri,
        slug=occasion.slug,
        region=region,
        days=days,
        capacity=occasion.capacity,
        registration_deadline=occasion.registration_deadline,
        place=occasion.place,
        meeting_url=occasion.meeting_url,
        status=OccasionStatus.OPEN,
        title=occasion.title.get("sv"),
        trainers=tuple(trainer_key(name) for name in occasion.trainers),
    )


def trainer_key(name: str) -> str:
    """A register key from a trainer's name (``Anna Berg`` → ``anna-berg``)."""
    folded = name.casefold().translate(str.maketrans("åäöéü", "aaoeu"))
    return "-".join(re.findall(r"[a-z0-9]+", folded)) or "trainer"
