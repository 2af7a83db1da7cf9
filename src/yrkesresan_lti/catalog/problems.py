"""The texts of catalog problems, by reason: English message ids marked for translation, so
the CLI prints them in the operator's language (:func:`yrkesresan_lti.error_texts.problem_text`).

Every problem the catalog's own rules find has a ``reason`` here and its values in
``details``; its English ``message`` is the same text filled in. pydantic's messages for
errors without a text of ours stay English (a third party's words), as the parser's do.
"""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

from yrkesresan_lti.exceptions import CatalogProblem
from yrkesresan_lti.i18n import N_

PROBLEM_TEXTS: dict[str, str] = {
    # reading files
    "no_such_path": N_(
        "no such file or directory: give a catalog file (.yaml, .yml, .json) or a directory "
        "with catalog.yaml"
    ),
    "no_header": N_("the directory has no catalog.yaml: add one with iri_base, version and title"),
    "unreadable": N_("cannot read the file (%(error)s): save it as UTF-8 text"),
    "not_mapping": N_("the file must hold a mapping of 'key: value' lines at the top level"),
    "broken_json": N_("broken JSON: %(error)s: fix the syntax at column %(column)s"),
    "broken_yaml": N_("broken YAML: %(error)s: fix the indentation, quotes or colons"),
    "yaml_rule": N_("broken YAML: %(error)s"),
    # the shape of the document (pydantic)
    "unknown_key": N_("unknown key '%(key)s': remove it or fix its spelling"),
    "unknown_key_allowed": N_(
        "unknown key '%(key)s': remove it or fix its spelling; allowed here: %(keys)s"
    ),
    "missing_key": N_("required key '%(key)s' is missing: add it"),
    "want_text": N_(
        "expected text (got %(got)s): write text; put numbers and dates meant as text in quotes, "
        'e.g. "2027.1"'
    ),
    "want_whole_number": N_("expected a whole number (got %(got)s): write it without quotes"),
    "want_date": N_("expected a date (got %(got)s): write the date as YYYY-MM-DD"),
    "want_time": N_("expected a time (got %(got)s): write the time as HH:MM"),
    "want_list": N_("expected a list (got %(got)s): write one '- ' item per line"),
    "want_mapping": N_("expected a mapping (got %(got)s): write 'key: value' lines"),
    "want_entries": N_("the list is empty or too short: add at least %(min)s entry/entries"),
    "want_text_not_empty": N_("the text is empty: write at least %(min)s character(s)"),
    "text_too_long": N_("the text is longer than %(max)s characters: shorten it"),
    "number_too_small": N_("the number must be at least %(min)s (got %(got)s): raise it"),
    "number_too_large": N_("the number must be at most %(max)s (got %(got)s): lower it"),
    "want_choice": N_("'%(got)s' is not allowed here: use one of %(expected)s"),
    "want_true_false": N_("expected true or false (got %(got)s)"),
    # values (the models' validators)
    "bad_iri_base": N_(
        "iri_base '%(value)s' must end with '/' and have no query or fragment, e.g. "
        "'https://yrkesresan.se/id/'"
    ),
    "bad_language_tag": N_("'%(tag)s' is not a language tag: use BCP 47 tags such as 'sv' or 'en'"),
    "no_swedish_text": N_(
        "a Swedish text is required: add an 'sv' entry (English 'en' is optional)"
    ),
    "bad_slug": N_(
        "'%(value)s' is not a valid slug: use lower-case a-z, 0-9 and single hyphens (no å/ä/ö, "
        "no spaces), e.g. 'samtal-med-barn'"
    ),
    "bad_url": N_(
        "'%(value)s' is not a valid web address: write a full http(s) URL without spaces, e.g. "
        "'https://kunskapsguiden.se/'"
    ),
    "bad_duration": N_(
        "'%(value)s' is not an ISO 8601 duration: write e.g. 'PT45M', 'PT1H30M' or 'P1D' "
        "(years and months are not allowed)"
    ),
    "zero_duration": N_("the duration '%(value)s' is zero: give a positive time, e.g. 'PT30M'"),
    "evaluation_overall_first": N_(
        "the first evaluation question must be '%(overall)s' (the overall one)"
    ),
    "evaluation_overall_required": N_("the question '%(overall)s' is required"),
    "evaluation_duplicate_slugs": N_("evaluation questions need distinct slugs"),
    # rules across nodes (checks)
    "no_journeys": N_("the catalog has no journeys: add at least one journey"),
    "duplicate_slug": N_(
        "duplicate %(what)s slug '%(slug)s' (already used at %(first)s): give every %(what)s "
        "%(scope)s its own slug"
    ),
    "no_steps": N_("the journey has neither phases nor stages: add 'phases' or 'stages'"),
    "years_order": N_(
        "years_max (%(max)s) must be greater than years_min (%(min)s): ranges are "
        "[years_min, years_max)"
    ),
    "years_overlap": N_(
        "phase '%(after)s' (%(after_years)s years) overlaps phase '%(before)s' "
        "(%(before_years)s years): ranges are [years_min, years_max) and must not overlap, "
        "e.g. 0-2, 2-5, 5-"
    ),
    "unknown_goal": N_(
        "task '%(task)s' links to goal '%(goal)s', which course '%(course)s' does not have: use "
        "one of %(goals)s or add the goal"
    ),
    "unused_goal": N_("no task links to goal '%(goal)s': link a task to it or remove the goal"),
    "no_place": N_("the occasion has neither 'place' nor 'meeting_url': give one or both"),
    "days_order": N_(
        "course day %(later)s (%(after)s) is not after day %(earlier)s (%(before)s): list the "
        "days in date order, one entry per date"
    ),
    "day_ends_first": N_(
        "the day ends (%(end)s) before it starts (%(start)s): swap or fix the times"
    ),
    "deadline_late": N_(
        "the registration deadline %(deadline)s is not before the first course day %(first)s: "
        "set it at least one day earlier"
    ),
}
"""Reason → English text with ``%(name)s`` placeholders (the message ids)."""

SCOPES: dict[str, str] = {
    "in a catalog": N_("in a catalog"),
    "of a journey": N_("of a journey"),
    "in a journey (course IRIs do not include the phase)": N_(
        "in a journey (course IRIs do not include the phase)"
    ),
    "of a course": N_("of a course"),
}
"""Words filled into ``duplicate_slug``, translated too (see :data:`TRANSLATED_DETAILS`)."""

KINDS: dict[str, str] = {
    "journey": N_("journey"),
    "phase": N_("phase"),
    "stage": N_("stage"),
    "course": N_("course"),
    "goal": N_("goal"),
    "task": N_("task"),
    "occasion": N_("occasion"),
}

TRANSLATED_DETAILS: frozenset[str] = frozenset({"what", "scope"})
"""Details that are our own words (translated before filling in), not values from the file."""


def value_error(reason: str, **details: str) -> PydanticCustomError:
    """What a catalog model's validator raises: pydantic's own custom error (a
    ``ValueError``) whose type is the :data:`PROBLEM_TEXTS` reason and whose context holds
    the values of its text, so the loader prints it in the operator's language."""
    template = re.sub(r"%\((\w+)\)s", r"{\1}", PROBLEM_TEXTS[reason].replace("%%", "%"))
    return PydanticCustomError(reason, template, dict(details))


def problem(
    reason: str, *, path: str = "", severity: str = "error", **details: str
) -> CatalogProblem:
    """A :class:`CatalogProblem` whose English message is its reason's text filled in."""
    return CatalogProblem(
        PROBLEM_TEXTS[reason] % details,
        path=path,
        severity=severity,
        reason=reason,
        details=details,
    )
