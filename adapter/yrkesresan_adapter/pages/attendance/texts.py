"""Texts of the attendance page that are computed: confirmations and refusals (translated)."""

from __future__ import annotations

from collections.abc import Mapping

from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_lti.exceptions import AttendanceError, CourseDayNotBegun, NotRegisteredForOccasion
from yrkesresan_lti.untrusted import ascii_digits


def saved_message(args: Mapping[str, str]) -> str | None:
    """The confirmation after a redirect (``msg``, ``added``, ``removed`` in the query)."""
    if args.get("msg") != "saved":
        return None
    added, removed = _int(args.get("added")), _int(args.get("removed"))
    if not added and not removed:
        return _("Ingen ändring att spara.")
    return _(
        "Närvaron är sparad: %(added)s tillagda, %(removed)s borttagna.",
        added=added,
        removed=removed,
    )


def _int(value: str | None) -> int:
    return int(value) if value and ascii_digits(value) and len(value) <= 9 else 0


def refusal(err: AttendanceError) -> str:
    """The manager-facing reason of a refusal, in the page's language."""
    if isinstance(err, CourseDayNotBegun):
        return _(
            "Närvaro kan bara föras för kursdagar som har börjat. Ingenting är sparat; "
            "ladda om sidan."
        )
    if isinstance(err, NotRegisteredForOccasion):
        return _(
            "Någon du valde är inte anmäld till kurstillfället från din kurs (längre). "
            "Ingenting är sparat; ladda om sidan."
        )
    return _("Närvaron kunde inte sparas. Ladda om sidan och försök igen.")
