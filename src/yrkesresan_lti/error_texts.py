"""What the command line prints for the core's errors: texts looked up by ``code`` and
``reason``, filled in from ``details``, in the installed locale (:mod:`yrkesresan_lti.i18n`).

The exception messages stay English (developers, logs). An error or catalog problem without
a text here prints its message; the adapter's table
(``yrkesresan_adapter.cli.errors``) covers the adapter's errors and falls back to this one.
"""

from __future__ import annotations

from yrkesresan_lti.catalog.problems import PROBLEM_TEXTS, TRANSLATED_DETAILS
from yrkesresan_lti.exceptions import CatalogProblem, YrkesresanError
from yrkesresan_lti.i18n import N_, gettext

ERROR_TEXTS: dict[tuple[str, str], str] = {
    ("CatalogError", "no_example_catalog"): N_(
        "No example catalog at %(path)s: set %(variable)s to your catalog file or directory."
    ),
    ("CatalogError", "invalid"): N_(
        "The catalog %(path)s has %(count)s error(s): see yrkesresan catalog validate %(path)s"
    ),
    ("UnknownMunicipality", "code"): N_(
        "%(value)s is not a kommunkod of Statistics Sweden (SCB): give the municipality's four "
        "digits, e.g. 1480 for Göteborg."
    ),
    ("UnknownMunicipality", "name"): N_(
        "%(name)s is not the name of a Swedish municipality: give its kommunkod (four digits, "
        "e.g. 1480) or its name as Statistics Sweden (SCB) writes it."
    ),
    ("UnknownMunicipality", "ambiguous"): N_(
        "%(name)s names several municipalities (%(codes)s): give the kommunkod."
    ),
    ("UnknownCounty", ""): N_(
        "%(value)s is not a länskod of Statistics Sweden (SCB): give two digits, e.g. 14."
    ),
    ("ConfigurationError", "no_pseudonym_key"): N_(
        "No pseudonym key: set YRKESRESAN_PSEUDONYM_KEY to the key the adapter uses (set it "
        "explicitly in production, see docs/privacy.md)."
    ),
    ("ConfigurationError", "short_pseudonym_key"): N_(
        "The pseudonym key must be at least 16 bytes: set YRKESRESAN_PSEUDONYM_KEY to a long "
        "random value."
    ),
}


def error_text(err: YrkesresanError) -> str:
    """What the CLI prints for ``err``, in the installed locale."""
    text = ERROR_TEXTS.get((err.code, err.reason))
    if text is None:
        return str(err)
    return gettext(text, **err.details)


def problem_text(problem: CatalogProblem) -> str:
    """``file:line: path: severity: message`` of a catalog problem, the message in the
    installed locale; ``error``/``warning`` stay as they are, like a compiler's, for editors
    and scripts that parse the lines."""
    where = problem.file or "<catalog>"
    if problem.line is not None:
        where = f"{where}:{problem.line}"
    at = f" {problem.path}:" if problem.path else ""
    text = PROBLEM_TEXTS.get(problem.reason)
    details = {
        name: gettext(value) if name in TRANSLATED_DETAILS else value
        for name, value in problem.details.items()
    }
    message = gettext(text, **details) if text else problem.message
    return f"{where}:{at} {problem.severity}: {message}"
