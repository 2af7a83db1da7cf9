"""The catalog root: validates the whole tree, assigns IRIs and answers look-ups by IRI."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Self

from pydantic import Field, PrivateAttr, field_validator, model_validator

from yrkesresan_lti.base import NonEmptyStr, StrictModel
from yrkesresan_lti.catalog.checks import check_catalog
from yrkesresan_lti.catalog.evaluation import Evaluation
from yrkesresan_lti.catalog.iri import Lineage, assign_iris
from yrkesresan_lti.catalog.models import (
    AnyNode,
    Course,
    CourseOccasion,
    Journey,
    KnowledgeGoal,
    Phase,
    Stage,
    Task,
    private,
)
from yrkesresan_lti.catalog.problems import value_error
from yrkesresan_lti.catalog.text import HttpUrlStr, LangMap
from yrkesresan_lti.exceptions import CatalogError, CatalogProblem, UnknownCatalogNode


class Catalog(StrictModel):
    """All journeys of one catalog, with the IRI base every node's IRI derives from.

    Validating a catalog runs the cross-node checks (:mod:`.checks`); errors raise
    :class:`CatalogError` with one :class:`CatalogProblem` each, warnings are kept in
    :attr:`warnings`. Afterwards every node has its IRI.
    """

    iri_base: HttpUrlStr = Field(description="Prefix of every IRI; ends with '/'")
    version: NonEmptyStr = Field(description="Catalog version, e.g. '2027.1' (quote it in YAML)")
    title: LangMap
    description: LangMap | None = None
    evaluation: Evaluation = Field(
        default_factory=Evaluation, description="Course evaluation of every course (default)"
    )
    journeys: list[Journey] = Field(default_factory=list)

    _lineage: dict[str, Lineage] = PrivateAttr(default_factory=dict)
    _warnings: tuple[CatalogProblem, ...] = PrivateAttr(default=())

    @field_validator("iri_base")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.endswith("/") or "?" in value or "#" in value:
            raise value_error("bad_iri_base", value=value)
        return value

    @model_validator(mode="after")
    def _check_and_assign_iris(self) -> Self:
        problems = check_catalog(self)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise CatalogError(
                f"the catalog has {len(errors)} problem(s); the first: {errors[0]}", problems
            )
        self._warnings = tuple(problems)
        self._lineage = assign_iris(self)
        return self

    @property
    def warnings(self) -> list[CatalogProblem]:
        """Problems that do not stop the catalog from working (e.g. unused goals)."""
        return list(self._warnings)

    def node(self, iri: str) -> AnyNode:
        """The node with this IRI; raises :class:`UnknownCatalogNode` if there is none."""
        return self.lineage(iri)[-1]

    def lineage(self, iri: str) -> Lineage:
        """The chain journey -> phase/stage -> course -> part/goal/occasion -> task/day."""
        try:
            lineages: dict[str, Lineage] = private(self, "_lineage")
            return lineages[iri]
        except KeyError:
            raise UnknownCatalogNode(
                f"'{iri}' is not an IRI of catalog {self.version} ({self.iri_base}): "
                "check the IRI, or run 'yrkesresan catalog show' to list the IRIs"
            ) from None

    def walk(self) -> Iterator[AnyNode]:
        """Every node in document order, parents before children."""
        for lineage in self._lineage.values():
            yield lineage[-1]

    def iris(self) -> list[str]:
        """Every IRI of the catalog, in document order."""
        return list(self._lineage)

    def evaluation_of(self, course: Course) -> Evaluation:
        """The course's own evaluation, else the catalog's."""
        return course.evaluation or self.evaluation

    def courses(self) -> Iterator[tuple[Journey, Phase | Stage, Course]]:
        """Every course with its journey and the phase or stage that holds it."""
        for journey in self.journeys:
            for step in journey.steps:
                for course in step.courses:
                    yield journey, step, course

    def counts(self) -> dict[str, int]:
        """How many journeys, phases, stages, courses, goals, tasks and occasions there are."""
        found = {"journeys": 0, "phases": 0, "stages": 0, "courses": 0, "goals": 0, "tasks": 0}
        found["occasions"] = 0
        kinds = {
            Journey: "journeys",
            Phase: "phases",
            Stage: "stages",
            Course: "courses",
            KnowledgeGoal: "goals",
            Task: "tasks",
            CourseOccasion: "occasions",
        }
        for node in self.walk():
            kind = kinds.get(type(node))
            if kind is not None:
                found[kind] += 1
        return found
