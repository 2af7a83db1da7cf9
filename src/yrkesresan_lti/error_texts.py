"""What the command line prints for the core's errors: texts looked up by ``code`` and
``reason``, filled in from ``details``, in the installed locale (:mod:`yrkesresan_lti.i18n`).

The exception messages stay English (developers, logs). An error or catalog problem without
a text here prints its message; the adapter's table
(``yrkesresan_adapter.cli.errors``) covers the adapter's errors and falls back to this one.
"""

from __future__ import annotations

from yrkesresan_lti.exceptions import CatalogProblem, YrkesresanError
from yrkesresan_lti.i18n import N_, gettext

ERROR_TEXTS: dict[tuple[str, str], str] = {
    ("CatalogError", "no_example_catalog"): N_(
        "No example catalog at %(path)s: set %(variable)s to your catalog file or directory."
    ),
    ("CatalogError", "invalid"): N_(
        "The catalog %(path)s has %(count)s error(s): see yrkesresan catalog validate %(path)s"
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

PROBLEM_TEXTS: dict[str, str] = {
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
    message = gettext(text, **problem.details) if text else problem.message
    return f"{where}:{at} {problem.severity}: {message}"
