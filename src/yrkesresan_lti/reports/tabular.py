"""The programme's figures as a readable text table and as CSV (framework-free).

``yrkesresan stats`` (the tool's database) and ``yrkesresan report`` (any LRS) print the
same :class:`~yrkesresan_lti.reports.figures.Figures` the same way:

* :func:`text_table` — for people: headings and column names through
  :func:`yrkesresan_lti.i18n.gettext` (Swedish with the adapter's catalogs, English
  otherwise), one block for the total, one per breakdown, one for the knowledge goals;
  an evaluation below :data:`~yrkesresan_lti.evaluations.MIN_GROUP` answers shows only
  "för få svar" (too few answers).
* :func:`csv_text` — for spreadsheets and scripts: stable English column names (like the
  JSON), one row per group (``dimension`` ``total``, ``year``, ``county``,
  ``municipality``, ``journey``, ``course``, then ``goal``); the rating columns and the
  share are empty where too few answered.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from yrkesresan_lti.cli_output import table_lines
from yrkesresan_lti.i18n import N_, gettext
from yrkesresan_lti.reports.figures import DIMENSIONS, Dimension, Figures, Row
from yrkesresan_lti.spreadsheet import defused

CSV_COLUMNS = (
    "dimension",
    "key",
    "label",
    "occasions_held",
    "seats",
    "registered",
    "attended",
    "participants",
    "municipalities",
    "users",
    "completions",
    "goals_reached",
    "responses",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "good_share",
)
"""The CSV header: stable English identifiers (the JSON's keys), never translated."""

FIGURE_HEADERS = (
    N_("Occasions held"),
    N_("Seats"),
    N_("Registered"),
    N_("Attended"),
    N_("Participants"),
    N_("Municipalities"),
    N_("Users"),
    N_("Completed courses"),
    N_("Goals reached"),
    N_("Answers"),
    N_("Good or very good"),
)
"""Column names of the text table after the group's name, in this order."""

DIMENSION_TITLES: dict[Dimension, str] = {
    "year": N_("Per year"),
    "county": N_("Per region (county)"),
    "municipality": N_("Per municipality"),
    "journey": N_("Per journey"),
    "course": N_("Per course"),
}

UNKNOWN_MUNICIPALITY = N_("unknown municipality")
UNKNOWN_COUNTY = N_("unknown county")
TOO_FEW_ANSWERS = N_("too few answers")


def label(figures: Figures, dimension: Dimension | None, key: str | None) -> str:
    """The name people read for a group: the label of a code or IRI, else the key itself
    (a year as it is); the total and an unknown municipality or county by name."""
    if dimension is None:
        return gettext("Total")
    if key is None:
        unknown = UNKNOWN_COUNTY if dimension == "county" else UNKNOWN_MUNICIPALITY
        return gettext(unknown)
    if dimension == "year":  # "2026" is a year here, not Gagnef's kommunkod
        return key
    return figures.labels.get(key, key)


def percent(share: float) -> str:
    """A share as a whole percentage ("92 %")."""
    return f"{round(share * 100)} %"


def good_share_text(row: Row) -> str:
    """The share rating 4–5, or "för få svar" (too few answers); empty with no answers."""
    evaluation = row.evaluation
    if evaluation.responses == 0:
        return "–"
    share = evaluation.good_share
    return gettext(TOO_FEW_ANSWERS) if share is None else percent(share)


def figure_cells(row: Row) -> list[object]:
    """The cells of one row under :data:`FIGURE_HEADERS`."""
    return [
        row.occasions_held,
        row.seats,
        row.registered,
        row.attended,
        row.participants,
        row.municipalities,
        row.users,
        row.completions,
        row.goals_reached,
        row.evaluation.responses,
        good_share_text(row),
    ]


def _block(title: str, first: str, rows: Sequence[Sequence[object]]) -> Iterator[str]:
    yield title
    yield from table_lines([first, *map(gettext, FIGURE_HEADERS)], rows)
    yield ""


def text_lines(figures: Figures) -> Iterator[str]:
    """The text table, line by line (see the module)."""
    yield from _block(
        gettext("Figures"),
        gettext("Group"),
        [[label(figures, None, None), *figure_cells(figures.total)]],
    )
    for dimension in DIMENSIONS:
        rows = figures.breakdown(dimension)
        if not rows:
            continue
        yield from _block(
            gettext(DIMENSION_TITLES[dimension]),
            gettext("Group"),
            [[label(figures, dimension, row.key), *figure_cells(row)] for row in rows],
        )
    if figures.goals:
        yield gettext("Knowledge goals reached")
        goal_rows = [
            [figures.labels.get(g.goal, g.goal), figures.labels.get(g.course, g.course), g.reached]
            for g in figures.goals
        ]
        headers = [gettext("Knowledge goal"), gettext("Course"), gettext("Reached")]
        yield from table_lines(headers, goal_rows)
        yield ""
    distribution = figures.total.evaluation
    yield gettext("Overall rating of the courses (1–5)")
    if distribution.shown:
        yield "  ".join(
            f"{rating}: {count}" for rating, count in enumerate(distribution.distribution, 1)
        )
    else:
        yield gettext(TOO_FEW_ANSWERS)


def text_table(figures: Figures) -> str:
    """The whole text table, ending in a newline."""
    return "\n".join(text_lines(figures)).rstrip("\n") + "\n"


def _csv_row(figures: Figures, dimension: Dimension | None, row: Row) -> list[object]:
    evaluation = row.evaluation
    shown = evaluation.shown
    share = evaluation.good_share
    return [
        dimension or "total",
        row.key or "",
        "" if dimension in (None, "year") else figures.labels.get(row.key or "", ""),
        row.occasions_held,
        row.seats,
        row.registered,
        row.attended,
        row.participants,
        row.municipalities,
        row.users,
        row.completions,
        row.goals_reached,
        evaluation.responses,
        *(evaluation.distribution if shown else ("",) * 5),
        "" if share is None else f"{share:.4f}",
    ]


def csv_rows(figures: Figures) -> Iterator[list[object]]:
    """The CSV's rows after the header (see the module)."""
    yield _csv_row(figures, None, figures.total)
    for dimension in DIMENSIONS:
        for row in figures.breakdown(dimension):
            yield _csv_row(figures, dimension, row)
    blank = [""] * (len(CSV_COLUMNS) - 12)
    for goal in figures.goals:
        yield [
            "goal",
            goal.goal,
            figures.labels.get(goal.goal, ""),
            *[""] * 8,
            goal.reached,
            *blank,
        ]


def csv_text(figures: Figures) -> str:
    """The figures as CSV text (comma-separated, ``\\r\\n`` line ends as the csv module
    writes them, UTF-8 when written to a file)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(defused(row) for row in csv_rows(figures))  # labels may come from an LMS
    return out.getvalue()
