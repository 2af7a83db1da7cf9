"""Texts of the pages that are computed, not written in templates (translated)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from yrkesresan_adapter.pages.numbers import shown_percent
from yrkesresan_adapter.web.i18n import gettext, ngettext
from yrkesresan_lti.completion import CourseCompletion, Missing
from yrkesresan_lti.progress import ProgressState, Tally


def duration(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return gettext("%(h)s h %(m)s min", h=hours, m=rest)
    if hours:
        return gettext("%(h)s h", h=hours)
    return gettext("%(m)s min", m=rest)


def state_label(state: ProgressState | str) -> str:
    value = ProgressState(state)
    return {
        ProgressState.NOT_STARTED: gettext("Ej påbörjad"),
        ProgressState.IN_PROGRESS: gettext("Pågår"),
        ProgressState.DONE: gettext("Klar"),
    }[value]


def missing_text(completion: CourseCompletion) -> str | None:
    """What is left before the course counts as completed (None: it is), e.g. "Kvar för att
    kursen ska vara genomförd: 1 av 2 kursdagar, efterarbetet."."""
    days = completion.days
    parts = {
        Missing.PREPARATION: lambda: gettext("förberedelserna"),
        Missing.OCCASION: lambda: gettext("en anmälan till ett kurstillfälle och dess kursdagar"),
        Missing.COURSE_DAYS: lambda: ngettext(
            "%(left)s av %(num)s kursdag",
            "%(left)s av %(num)s kursdagar",
            days.total,
            left=days.total - days.attended,
        ),
        Missing.FOLLOW_UP: lambda: gettext("efterarbetet"),
    }
    missing = [parts[m]() for m in completion.missing]
    if not missing:
        return None
    return gettext("Kvar för att kursen ska vara genomförd: %(parts)s.", parts=", ".join(missing))


def kind_label(kind: str) -> str:
    return {
        "regulation": gettext("Föreskrift"),
        "handbook": gettext("Handbok"),
        "e-learning": gettext("Webbutbildning"),
        "podcast": gettext("Podcast"),
        "video": gettext("Film"),
        "text": gettext("Text"),
    }.get(kind, kind)


def years(step: Any) -> str:
    if step.years_max is None:
        return gettext("mer än %(n)s år", n=step.years_min)
    return gettext("%(a)s–%(b)s år", a=step.years_min, b=step.years_max)


STOCKHOLM = ZoneInfo("Europe/Stockholm")


def short_datetime(moment: datetime) -> str:
    """``2027-03-09 14:05`` in Swedish time: the Swedish short format, unambiguous in English."""
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def shown_tally_percent(tally: Tally) -> int:
    """A tally's share as the pages show it (:func:`~.numbers.shown_percent`)."""
    return shown_percent(tally.done, tally.total)


def isolated(value: object) -> Markup:
    """``value`` escaped in ``<bdi>``: a name from an LMS with right-to-left characters or
    overrides cannot turn the text around it (used inside translated sentences)."""
    return Markup("<bdi>{}</bdi>").format(value)
