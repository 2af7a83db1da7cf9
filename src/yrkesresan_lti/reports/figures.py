"""The programme's figures and exactly what each one counts.

Every figure is defined over **events** as the statements record them, so that the tool's
database and an LRS give the same numbers:

* an event's **year** is the calendar year, in Sweden (Europe/Stockholm), of the time the
  tool recorded it (the statement's ``timestamp``);
* its **municipality** and **county** are the learner's, as the statement's context
  extensions ``municipality-code`` and ``county-code`` say (profile 1.5; unknown stays
  unknown: ``None``, shown as "okänd kommun", never guessed);
* its **journey** and **course** come from the statement's context (``grouping`` and
  ``parent``), its **occasion** from the course-day's parent or the registration's
  ``other``;
* a **learner** is the statement's actor (the pseudonymous account; one person in two LMSs
  is two learners, in the LRS as in the tool);
* **voided** events do not count (an attendance withdrawn, a task undone, a completion or a
  goal revoked, an erased learner's statements): an LRS leaves voided statements out of
  every query, the tool counts only what is still standing.

With :class:`Filters`, an event counts when it matches every filter given. The figures of
one group (:class:`Row`):

``occasions_held``
    occasions with at least one attended course day;
``seats``
    the capacity summed over those occasions (the occasion's ``seats`` extension, the latest
    value the events carry);
``registered``
    (learner, occasion) pairs whose latest registration event (``registered`` /
    ``unregistered``, a cancellation included) is ``registered``; a place on the waiting
    list is not a registration, a promotion from it is;
``attended``
    (learner, occasion) pairs with at least one attended course day;
``participants``
    distinct learners with at least one attended course day;
``municipalities``
    distinct known municipalities of those attendances;
``users``
    distinct learners with at least one event of any kind (the tool's own
    ``statement-erased`` excepted);
``completions``
    (learner, course) pairs with a course ``completed`` (profile 1.5: every course day of
    the occasion attended and both checklists done);
``goals_reached``
    (learner, knowledge goal) pairs with a ``passed``;
``evaluation``
    the overall rating (question ``helhet``) of each (learner, course, occasion) — the latest
    answer — as a distribution over 1–5; shown only from
    :data:`~yrkesresan_lti.evaluations.MIN_GROUP` answers ("för få svar" below).

Distinct counts are not additive: a learner in two municipalities counts once in the total
and once in each; the rows of a breakdown need not sum to the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from yrkesresan_lti.evaluations import MIN_GROUP

Dimension = Literal["year", "county", "municipality", "journey", "course"]
DIMENSIONS: tuple[Dimension, ...] = ("year", "county", "municipality", "journey", "course")
"""The breakdowns every report has, in this order."""

RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Filters:
    """Which events count; None: all. Codes are SCB's (county two digits, municipality four)."""

    year: int | None = None
    county: str | None = None
    municipality: str | None = None
    journey: str | None = None
    course: str | None = None


@dataclass(frozen=True)
class EvaluationResult:
    """The overall ratings of one group: ``distribution[i]`` people rated ``i + 1``."""

    distribution: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    @property
    def responses(self) -> int:
        return sum(self.distribution)

    @property
    def shown(self) -> bool:
        """False below :data:`MIN_GROUP` answers: then only "för få svar" is shown."""
        return self.responses >= MIN_GROUP

    @property
    def good_share(self) -> float | None:
        """Share rating 4–5 ("bra" or "mycket bra"); None when not :attr:`shown`."""
        if not self.shown:
            return None
        return (self.distribution[3] + self.distribution[4]) / self.responses


@dataclass(frozen=True)
class Row:
    """The figures of one group. ``key`` is the group's value of its breakdown's dimension:
    the year as text ("2026"), a county or municipality code, a journey or course IRI;
    None for the total, and for events whose municipality (county) is unknown."""

    key: str | None
    occasions_held: int = 0
    seats: int = 0
    registered: int = 0
    attended: int = 0
    participants: int = 0
    municipalities: int = 0
    users: int = 0
    completions: int = 0
    goals_reached: int = 0
    evaluation: EvaluationResult = field(default_factory=EvaluationResult)


@dataclass(frozen=True)
class GoalRow:
    """How many learners reached one knowledge goal (of ``course``)."""

    goal: str
    course: str
    reached: int


@dataclass(frozen=True)
class Figures:
    """Everything one report shows: the total, each breakdown (rows sorted by key, unknown
    last), the goals, and names for the codes and IRIs (``labels``: from the catalog and
    the municipality tables in the tool, from the statements' activity definitions in an
    LRS report). Equality of two :class:`Figures` ignores ``labels``."""

    filters: Filters
    total: Row
    breakdowns: Mapping[Dimension, tuple[Row, ...]]
    goals: tuple[GoalRow, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)

    def breakdown(self, dimension: Dimension) -> tuple[Row, ...]:
        return self.breakdowns.get(dimension, ())

    def participants_by_municipality(self) -> dict[str, int]:
        """Kommunkod → participants (for the map); unknown municipality left out."""
        return {
            row.key: row.participants
            for row in self.breakdown("municipality")
            if row.key is not None
        }

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (English keys, for machines): what ``--format json`` prints."""
        return {
            "filters": asdict(self.filters),
            "total": _row_json(self.total),
            "breakdowns": {d: [_row_json(r) for r in self.breakdown(d)] for d in DIMENSIONS},
            "goals": [asdict(g) for g in self.goals],
            "labels": dict(sorted(self.labels.items())),
        }


def _row_json(row: Row) -> dict[str, Any]:
    data = asdict(row)
    evaluation = row.evaluation
    data["evaluation"] = {
        "responses": evaluation.responses,
        "distribution": dict(zip(map(str, RATINGS), evaluation.distribution, strict=True)),
        "shown": evaluation.shown,
        "good_share": evaluation.good_share,
    }
    return data


def sort_rows(rows: Mapping[str | None, Row]) -> tuple[Row, ...]:
    """Rows by key, the unknown (None) last: the order every breakdown uses."""
    return tuple(rows[k] for k in sorted(rows, key=lambda k: (k is None, k or "")))
