"""An occasion's course days as an iCalendar file (RFC 5545), built with ``icalendar``.

One VEVENT per course day, in Swedish time (``TZID=Europe/Stockholm`` with its VTIMEZONE).
Each day's UID is derived from the day's IRI, so it never changes; its SEQUENCE is the
day's :attr:`~yrkesresan_lti.occasion_plan.PlannedDay.sequence`, which grows each time the
day moves, and a cancelled occasion's days say ``STATUS:CANCELLED`` one SEQUENCE higher, so
a calendar that imported the file before updates the events instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from yrkesresan_lti.occasion_plan import OccasionStatus, PlannedOccasion

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRODID = "-//Yrkesresan//Yrkesresan LTI//SV"


def day_uid(day_iri: str) -> str:
    """The stable UID of a course day's event."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, day_iri)}@yrkesresan"


def occasion_calendar(occasion: PlannedOccasion, *, course_title: str, stamp: dt.datetime) -> bytes:
    """The ``.ics`` bytes of ``occasion``'s course days; ``stamp`` is DTSTAMP (UTC)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", "Europe/Stockholm")
    cancelled = occasion.status == OccasionStatus.CANCELLED
    title = occasion.title or f"Kurstillfälle {occasion.slug}"
    for number, day in enumerate(occasion.days, start=1):
        event = Event()
        event.add("uid", day_uid(occasion.day_iri(number)))
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("sequence", day.sequence + (1 if cancelled else 0))
        event.add("dtstart", dt.datetime.combine(day.date, day.start, STOCKHOLM))
        event.add("dtend", dt.datetime.combine(day.date, day.end, STOCKHOLM))
        event.add("summary", f"{course_title}: kursdag {number} ({title})")
        if occasion.place:
            event.add("location", occasion.place)
        if occasion.meeting_url:
            event.add("url", occasion.meeting_url)
        description = [title]
        if occasion.meeting_url:
            description.append(f"Möteslänk / meeting link: {occasion.meeting_url}")
        event.add("description", "\n".join(description))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()  # the VTIMEZONE of Europe/Stockholm, with its DST rules
    return bytes(cal.to_ical())
