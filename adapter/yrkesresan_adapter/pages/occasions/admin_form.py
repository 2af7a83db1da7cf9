"""The admin page's occasion form: the posted fields checked once, into a
:class:`~yrkesresan_lti.occasion_plan.PlannedOccasion` or every problem with its field.

The form's syntax (a day per line like ``2027-09-14 09:00-16:00``, a whole number of seats,
a date) is checked here; the rules (days in order, deadline before the first day, capacity
at least those registered, a known course and trainers, place or meeting link) are the
core's :func:`~yrkesresan_lti.occasion_plan.check_occasion`, as for the CLI and the CSV.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from yrkesresan_lti.i18n import N_
from yrkesresan_lti.occasion_csv import parse_day
from yrkesresan_lti.occasion_plan import (
    OccasionStatus,
    PlannedDay,
    PlannedOccasion,
    Problem,
    check_occasion,
)
from yrkesresan_lti.untrusted import ascii_digits

FIELDS = (
    "course",
    "slug",
    "title",
    "region",
    "days",
    "capacity",
    "deadline",
    "place",
    "meeting_url",
    "trainers",
    "municipalities",
    "status",
)
"""The form's fields, in the order of the page (and of its error summary)."""

CORE_FIELD = {"occasion": "slug"}
"""The core's problem field → the form's field, where they differ."""


@dataclass
class OccasionForm:
    """The posted values as they were typed (shown again after a refusal)."""

    values: dict[str, str] = field(default_factory=dict)
    trainers: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, plan: PlannedOccasion) -> OccasionForm:
        return cls(
            {
                "course": plan.course_iri,
                "slug": plan.slug,
                "title": plan.title or "",
                "region": plan.region,
                "days": "\n".join(
                    f"{d.date.isoformat()} {d.start:%H:%M}-{d.end:%H:%M}" for d in plan.days
                ),
                "capacity": str(plan.capacity),
                "deadline": plan.registration_deadline.isoformat(),
                "place": plan.place or "",
                "meeting_url": plan.meeting_url or "",
                "municipalities": "\n".join(plan.municipalities),
                "status": plan.status.value,
            },
            list(plan.trainers),
        )

    @classmethod
    def posted(cls, form: Mapping[str, str], trainers: list[str]) -> OccasionForm:
        return cls({name: form.get(name, "").strip() for name in FIELDS}, trainers)

    def get(self, name: str) -> str:
        return self.values.get(name, "")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _days(text: str, problems: list[Problem]) -> tuple[PlannedDay, ...]:
    days = []
    for number, line in enumerate(_lines(text), start=1):
        try:
            days.append(parse_day(line))
        except ValueError:
            problems.append(
                Problem(
                    "days",
                    N_("rad %(n)s är inte en kursdag som 2027-09-14 09:00-16:00"),
                    {"n": str(number)},
                )
            )
    return tuple(days)


def parse(
    form: OccasionForm,
    *,
    courses: Collection[str],
    trainers: Collection[str],
    registered: int = 0,
    statuses: Collection[str] = ("planned", "open"),
) -> tuple[PlannedOccasion | None, list[Problem]]:
    """The occasion of the form, or None and every problem (form fields, not core ones)."""
    problems: list[Problem] = []
    days = _days(form.get("days"), problems)
    capacity = form.get("capacity")
    if not ascii_digits(capacity) or len(capacity) > 6:
        problems.append(Problem("capacity", N_("ange antalet platser som ett heltal")))
    try:
        deadline = dt.date.fromisoformat(form.get("deadline"))
    except ValueError:
        problems.append(
            Problem("deadline", N_("ange sista anmälningsdag som ett datum, t.ex. 2027-09-01"))
        )
        deadline = dt.date.min
    status = form.get("status")
    if status not in statuses:
        problems.append(Problem("status", N_("välj en status i listan")))
    if problems:
        return None, problems
    occasion = PlannedOccasion(
        course_iri=form.get("course"),
        slug=form.get("slug"),
        region=form.get("region"),
        days=days,
        capacity=int(capacity),
        registration_deadline=deadline,
        place=form.get("place") or None,
        meeting_url=form.get("meeting_url") or None,
        trainers=tuple(dict.fromkeys(form.trainers)),
        municipalities=tuple(dict.fromkeys(_lines(form.get("municipalities")))),
        status=OccasionStatus(status),
        title=form.get("title") or None,
    )
    found = check_occasion(occasion, courses=courses, trainers=trainers, registered=registered)
    found = [Problem(CORE_FIELD.get(p.field, p.field), p.message, p.details) for p in found]
    return (None, found) if found else (occasion, [])
