"""What the programme reports (issue 14): one set of figures, computed two ways.

:mod:`.figures` defines the figures and what each one counts. The tool computes them from
its own database (``yrkesresan stats`` and the admin statistics page, in the adapter); any
analyst computes the same ones from the statements in an LRS (``yrkesresan report --lrs``).
Both produce a :class:`~.figures.Figures`; a test proves they agree for the same history.
"""

from yrkesresan_lti.reports.figures import (
    DIMENSIONS,
    Dimension,
    EvaluationResult,
    Figures,
    Filters,
    GoalRow,
    Row,
)

__all__ = [
    "DIMENSIONS",
    "Dimension",
    "EvaluationResult",
    "Figures",
    "Filters",
    "GoalRow",
    "Row",
]
