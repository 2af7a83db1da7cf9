"""Texts of the occasion page that are computed: confirmations and refusals (translated)."""

from __future__ import annotations

from collections.abc import Mapping

from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_adapter.web.i18n import ngettext, text
from yrkesresan_lti.catalog import Course, CourseOccasion
from yrkesresan_lti.exceptions import (
    NobodySelected,
    NotOpenToMunicipality,
    NotRegistered,
    NotWaiting,
    OccasionCancelled,
    OccasionFull,
    OccasionRegistrationError,
    OccasionStarted,
    RegistrationClosed,
)
from yrkesresan_lti.untrusted import ascii_digits


def done_message(course: Course, args: Mapping[str, str]) -> str | None:
    """The confirmation after a redirect (``msg``, ``occasion``, ``n`` in the query)."""
    kind = args.get("msg")
    occasion = next((o for o in course.occasions if o.iri == args.get("occasion")), None)
    title = text(occasion.title) if occasion else ""
    if kind == "registered" and occasion:
        n, waiting = _int(args.get("n")), _int(args.get("w"))
        done = ngettext(
            "%(num)s person är anmäld till %(occasion)s.",
            "%(num)s personer är anmälda till %(occasion)s.",
            n,
            occasion=title,
        )
        if not waiting:
            return done
        if not n:
            return _("%(w)s på väntelistan till %(occasion)s.", w=waiting, occasion=title)
        return done + " " + _("%(w)s på väntelistan.", w=waiting)
    if kind == "left-waiting" and occasion:
        return _("En person är borttagen från väntelistan till %(occasion)s.", occasion=title)
    if kind == "withdrawn" and occasion:
        return _("En anmälan till %(occasion)s är borttagen.", occasion=title)
    return None


def _int(value: str | None) -> int:
    return int(value) if value and ascii_digits(value) and len(value) <= 9 else 0


def seats_text(left: int) -> str:
    """ "1 plats kvar" / "3 platser kvar"."""
    if left == 1:
        return _("1 plats kvar")
    return _("%(n)s platser kvar", n=left)


def refusal(err: OccasionRegistrationError, occasion: CourseOccasion | None) -> str:
    """The manager-facing reason of a refusal, in the page's language."""
    title = text(occasion.title) if occasion else ""
    if isinstance(err, OccasionFull) and occasion is not None:
        if err.seats_left == 0:
            return _(
                "%(occasion)s är fullbokat. Välj ett annat kurstillfälle eller kryssa i "
                "väntelistan.",
                occasion=title,
            )
        return _(
            "Det finns inte plats för alla på %(occasion)s: %(seats)s. Välj färre personer "
            "eller ett annat kurstillfälle.",
            seats=seats_text(err.seats_left),
            occasion=title,
        )
    if isinstance(err, RegistrationClosed) and occasion is not None:
        return _(
            "Sista anmälningsdag för %(occasion)s har passerat. Välj ett kurstillfälle som är "
            "öppet för anmälan.",
            occasion=title,
        )
    if isinstance(err, OccasionStarted):
        return _(
            "Kurstillfället har redan börjat: en anmälan kan inte tas bort eller flyttas från "
            "första kursdagen."
        )
    if isinstance(err, OccasionCancelled):
        return _("%(occasion)s är inställt. Välj ett annat kurstillfälle.", occasion=title)
    if isinstance(err, NotOpenToMunicipality):
        return _(
            "%(occasion)s är inte öppet för anmälan från din kommun. Välj ett annat kurstillfälle.",
            occasion=title,
        )
    if isinstance(err, NotWaiting):
        return _("Personen står inte på väntelistan (längre). Ladda om sidan.")
    if isinstance(err, NobodySelected):
        return _("Välj minst en person att anmäla.")
    if isinstance(err, NotRegistered):
        return _("Personen är inte anmäld (längre). Ladda om sidan.")
    return _("Anmälan kunde inte genomföras. Ladda om sidan och försök igen.")
