"""Texts of the evaluation pages that are computed: refusals (translated)."""

from __future__ import annotations

from yrkesresan_adapter.web.i18n import gettext as _
from yrkesresan_lti.exceptions import (
    CourseNotAttended,
    EvaluationClosed,
    EvaluationError,
    EvaluationNotOpen,
    InvalidEvaluationAnswer,
)


def refusal(err: EvaluationError) -> str:
    """The learner-facing reason of a refusal, in the page's language."""
    if isinstance(err, CourseNotAttended):
        return _(
            "Kursutvärderingen är till för dem som deltagit i kursen. Du har ingen "
            "närvaro på någon kursdag i ditt kurstillfälle. Ingenting är sparat."
        )
    if isinstance(err, EvaluationClosed):
        return _(
            "Kursutvärderingen är stängd: svar kan inte längre lämnas eller ändras. "
            "Ingenting är sparat."
        )
    if isinstance(err, EvaluationNotOpen):
        return _(
            "Kursutvärderingen öppnar efter kursens sista kursdag eller när efterarbetet är klart."
        )
    if isinstance(err, InvalidEvaluationAnswer):
        return _(
            "Svaret kunde inte sparas: varje betyg ska vara en siffra 1–5, frågan om "
            "kursen som helhet måste besvaras och en kommentar får vara högst 2000 tecken. "
            "Ingenting är sparat."
        )
    return _("Svaret kunde inte sparas. Ladda om sidan och försök igen.")
