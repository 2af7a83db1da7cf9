"""The calendar file of an occasion: RFC 5545 via icalendar, Swedish time, stable UIDs and a
SEQUENCE that grows when a day moves."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from yrkesresan_lti.occasion_ical import occasion_calendar
from yrkesresan_lti.occasion_plan import OccasionStatus, PlannedDay, PlannedOccasion

STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
OCCASION = PlannedOccasion(
    course_iri="https://yrkesresan.se/id/journeys/barn-och-unga/courses/samtal",
    slug="ht-2027",
    region="GR",
    days=(
        PlannedDay(dt.date(2027, 9, 14), dt.time(9), dt.time(16)),
        PlannedDay(dt.date(2027, 11, 2), dt.time(9), dt.time(16)),
    ),
    capacity=20,
    registration_deadline=dt.date(2027, 9, 1),
    meeting_url="https://teams.example.se/m/1",
)


def events(occasion: PlannedOccasion) -> list:  # type: ignore[type-arg]
    cal = Calendar.from_ical(occasion_calendar(occasion, course_title="Samtal", stamp=STAMP))
    return list(cal.walk("VEVENT"))


def test_days_are_events_in_swedish_time_with_the_meeting_link() -> None:
    first, second = events(OCCASION)
    start = first.decoded("dtstart")
    assert start == dt.datetime(2027, 9, 14, 9, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert start.utcoffset() == dt.timedelta(hours=2)  # summer time
    assert second.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)  # winter time
    assert str(first["url"]) == "https://teams.example.se/m/1"
    assert first["uid"] != second["uid"]


def test_a_moved_day_keeps_its_uid_with_a_higher_sequence() -> None:
    moved = OCCASION.with_days(
        (OCCASION.days[0], PlannedDay(dt.date(2027, 11, 9), dt.time(9), dt.time(16)))
    )
    before, after = events(OCCASION), events(moved)
    assert [e["uid"] for e in before] == [e["uid"] for e in after]
    assert [int(e["sequence"]) for e in after] == [0, 1]
    cancelled = events(moved.__class__(**{**moved.__dict__, "status": OccasionStatus.CANCELLED}))
    assert [str(e["status"]) for e in cancelled] == ["CANCELLED", "CANCELLED"]
    assert [int(e["sequence"]) for e in cancelled] == [1, 2]
