"""The programme's :class:`~.figures.Figures` from statements alone (any LRS).

Each figure is counted exactly as :mod:`.figures` defines it, over the standing facts of
the statements (:class:`~.facts.FactSet`: voided statements left out). Every fact goes
into the total and into one row of each breakdown (its year, county, municipality,
journey and course); each group counts on its own, so distinct counts are not summed.

    from yrkesresan_lti.reports import LrsReader, StatementQuery, figures_from_statements

    with LrsReader(target) as reader:
        figures = figures_from_statements(reader.statements(StatementQuery(limit=500)))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from yrkesresan_lti.exceptions import MunicipalityError
from yrkesresan_lti.municipalities import county, municipality
from yrkesresan_lti.reports.facts import (
    ATTENDANCE,
    CANCELLATION,
    COMPLETION,
    GOAL,
    RATING,
    REGISTRATION,
    Fact,
    FactSet,
)
from yrkesresan_lti.reports.figures import (
    DIMENSIONS,
    Dimension,
    EvaluationResult,
    Figures,
    Filters,
    GoalRow,
    Row,
    sort_rows,
)

__all__ = ["figures_from_facts", "figures_from_statements"]

Order = tuple[datetime, str]
"""When an event happened and its statement id: the latest is the largest."""


def figures_from_statements(
    statements: Iterable[Mapping[str, Any]],
    filters: Filters | None = None,
    *,
    languages: tuple[str, ...] = ("sv", "en"),
) -> Figures:
    """The figures of these statements (labels in the first of ``languages`` they have)."""
    facts = FactSet().prefer(*languages).add_all(statements)
    return figures_from_facts(facts, filters or Filters())


def figures_from_facts(facts: FactSet, filters: Filters) -> Figures:
    cells: dict[tuple[str, str | None, str | None, str | None, str | None], _Group] = {}
    matches = _matcher(filters)
    for fact in facts:  # each fact into the one cell of its year, place, journey and course
        if matches is not None and not matches(fact):
            continue
        cell = (fact.year, fact.county, fact.municipality, fact.journey, fact.course)
        group = cells.get(cell)
        if group is None:
            group = cells[cell] = _Group()
        group.add(fact)
    total = _Group()
    groups: dict[Dimension, dict[str | None, _Group]] = {d: {} for d in DIMENSIONS}
    for cell, group in cells.items():  # each breakdown's group is the union of its cells
        total.merge(group)
        for dimension, key in zip(DIMENSIONS, cell, strict=True):
            if key is None and dimension in ("journey", "course"):
                continue  # a learner's undo: no course, counted in the total only
            found = groups[dimension].get(key)
            if found is None:
                found = groups[dimension][key] = _Group()
            found.merge(group)
    breakdowns = {
        d: sort_rows({key: group.row(key) for key, group in groups[d].items()}) for d in DIMENSIONS
    }
    goals = tuple(
        GoalRow(goal=goal, course=total.goal_course[goal], reached=len(learners))
        for goal, learners in sorted(
            total.goals.items(), key=lambda item: (total.goal_course[item[0]], item[0])
        )
    )
    used = {row.key for rows in breakdowns.values() for row in rows if row.key is not None}
    used.update(g.goal for g in goals)
    labels = {key: facts.labels[key] for key in used if key in facts.labels}
    labels.update(_place_names(breakdowns))
    return Figures(
        filters=filters,
        total=total.row(None),
        breakdowns=breakdowns,
        goals=goals,
        labels=labels,
    )


def _place_names(breakdowns: Mapping[Dimension, tuple[Row, ...]]) -> dict[str, str]:
    """SCB's names of the municipality and county codes (a code SCB does not know keeps
    the name the statements gave, or none)."""
    names: dict[str, str] = {}
    for dimension, lookup in (("municipality", municipality), ("county", county)):
        for row in breakdowns[dimension]:  # type: ignore[index]
            if row.key is not None:
                try:
                    names[row.key] = lookup(row.key).name
                except MunicipalityError:
                    continue
    return names


def _matcher(filters: Filters) -> Callable[[Fact], bool] | None:
    """The test of the filters, or None when there are none."""
    if filters == Filters():
        return None
    return lambda fact: _matches(fact, filters)


def _matches(fact: Fact, filters: Filters) -> bool:
    return (
        (filters.year is None or fact.year == str(filters.year))
        and (filters.county is None or fact.county == filters.county)
        and (filters.municipality is None or fact.municipality == filters.municipality)
        and (filters.journey is None or fact.journey == filters.journey)
        and (filters.course is None or fact.course == filters.course)
    )


K = TypeVar("K")
V = TypeVar("V")


def _keep_latest(mine: dict[K, tuple[Order, V]], theirs: dict[K, tuple[Order, V]]) -> None:
    for key, value in theirs.items():
        known = mine.get(key)
        if known is None or known[0] < value[0]:
            mine[key] = value


class _Group:
    """What one group's figures are counted from."""

    __slots__ = (
        "attended",
        "completions",
        "goal_course",
        "goals",
        "held",
        "municipalities",
        "participants",
        "ratings",
        "registrations",
        "seats",
        "users",
    )

    def __init__(self) -> None:
        self.held: set[str] = set()
        self.registrations: dict[tuple[str, str], tuple[Order, bool]] = {}
        self.attended: set[tuple[str, str]] = set()
        self.participants: set[str] = set()
        self.municipalities: set[str] = set()
        self.users: set[str] = set()
        self.completions: set[tuple[str, str]] = set()
        self.goals: dict[str, set[str]] = {}
        self.goal_course: dict[str, str] = {}
        self.ratings: dict[tuple[str, str, str | None], tuple[Order, int]] = {}
        self.seats: dict[str, tuple[Order, int]] = {}

    def add(self, fact: Fact) -> None:
        learner = fact.learner
        self.users.add(learner)
        kind = fact.kind
        if fact.seats is not None and fact.occasion is not None:
            carried = self.seats.get(fact.occasion)
            if carried is None or carried[0] < fact.order:
                self.seats[fact.occasion] = (fact.order, fact.seats)
        if kind == ATTENDANCE:
            self.participants.add(learner)
            if fact.municipality is not None:
                self.municipalities.add(fact.municipality)
            if fact.occasion is not None:
                self.held.add(fact.occasion)
                self.attended.add((learner, fact.occasion))
        elif kind in (REGISTRATION, CANCELLATION) and fact.occasion is not None:
            pair = (learner, fact.occasion)
            known = self.registrations.get(pair)
            if known is None or known[0] < fact.order:
                self.registrations[pair] = (fact.order, kind == REGISTRATION)
        elif kind == COMPLETION and fact.course is not None:
            self.completions.add((learner, fact.course))
        elif kind == GOAL and fact.subject is not None and fact.course is not None:
            self.goals.setdefault(fact.subject, set()).add(learner)
            self.goal_course.setdefault(fact.subject, fact.course)
        elif kind == RATING and fact.rating is not None and fact.course is not None:
            answer = (learner, fact.course, fact.occasion)
            known_rating = self.ratings.get(answer)
            if known_rating is None or known_rating[0] < fact.order:
                self.ratings[answer] = (fact.order, fact.rating)

    def merge(self, other: _Group) -> None:
        """Count ``other``'s events here too (the latest of each pair stays the latest)."""
        self.held |= other.held
        self.attended |= other.attended
        self.participants |= other.participants
        self.municipalities |= other.municipalities
        self.users |= other.users
        self.completions |= other.completions
        for goal, learners in other.goals.items():
            self.goals.setdefault(goal, set()).update(learners)
            self.goal_course.setdefault(goal, other.goal_course[goal])
        _keep_latest(self.registrations, other.registrations)
        _keep_latest(self.ratings, other.ratings)
        _keep_latest(self.seats, other.seats)

    def row(self, key: str | None) -> Row:
        distribution = [0, 0, 0, 0, 0]
        for _, rating in self.ratings.values():
            distribution[rating - 1] += 1
        return Row(
            key=key,
            occasions_held=len(self.held),
            seats=sum(self.seats[o][1] for o in self.held if o in self.seats),
            registered=sum(1 for _, on in self.registrations.values() if on),
            attended=len(self.attended),
            participants=len(self.participants),
            municipalities=len(self.municipalities),
            users=len(self.users),
            completions=len(self.completions),
            goals_reached=sum(len(learners) for learners in self.goals.values()),
            evaluation=EvaluationResult(
                distribution=(
                    distribution[0],
                    distribution[1],
                    distribution[2],
                    distribution[3],
                    distribution[4],
                )
            ),
        )
