"""The nodes of a catalog: journey, phase, stage, course, goal, course parts, task, occasion.

Every node has ``slug``, ``title`` (language map) and ``iri``. The IRI is assigned when the
:class:`~yrkesresan_lti.catalog.root.Catalog` holding the node has validated (see
``docs/catalog.md`` for the scheme); reading ``iri`` on a node built on its own raises
:class:`~yrkesresan_lti.exceptions.DetachedCatalogNode`.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

from yrkesresan_lti.base import StrictModel
from yrkesresan_lti.catalog.evaluation import Evaluation
from yrkesresan_lti.catalog.text import (
    ClockTime,
    Duration,
    HttpUrlStr,
    LangMap,
    ShortLangMap,
    Slug,
    parse_duration,
)
from yrkesresan_lti.exceptions import DetachedCatalogNode

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
"""A name or place kept in the tool's database (``varchar(255)``): the limit is checked here,
at the catalog's edge, so an occasion imported from the catalog always fits."""

TrainerName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
"""A trainer's name (its register key, derived from it, is at most 100 characters)."""

ResourceKind = Literal["regulation", "handbook", "e-learning", "podcast", "video", "text"]
PartName = Literal["preparation", "course-days", "follow-up"]

PART_TITLES: dict[str, dict[str, str]] = {
    "preparation": {"sv": "Förberedelser", "en": "Preparation"},
    "course-days": {"sv": "Kursdagar", "en": "Course days"},
    "follow-up": {"sv": "Efterarbete", "en": "Follow-up"},
}


def private(model: BaseModel, name: str) -> Any:
    """The private attribute ``name`` of ``model`` read from pydantic's store of them, not
    through ``BaseModel.__getattr__`` (≈ 0.1 µs against ≈ 2–3 µs: a click reads node IRIs
    some 15 times)."""
    found = model.__pydantic_private__
    if found is not None and name in found:
        return found[name]
    return getattr(model, name)


class Node(StrictModel):
    """Base of every catalog node: knows its IRI once its catalog has validated."""

    # A node passed in as an instance is copied, so one node never sits in two catalogs.
    model_config = ConfigDict(revalidate_instances="always")

    _iri: str | None = PrivateAttr(default=None)

    @property
    def iri(self) -> str:
        """The node's IRI; only known once the node is part of a validated catalog."""
        iri: str | None = private(self, "_iri")
        if iri is None:
            raise DetachedCatalogNode(
                f"{type(self).__name__} has no IRI: IRIs are assigned when a Catalog that "
                "contains the node validates; read nodes from catalog.walk() or catalog.node()"
            )
        return iri


class KnowledgeGoal(Node):
    """Kunskapsmål: what a participant knows or can do after the course."""

    slug: Slug
    title: LangMap
    description: LangMap | None = None


class Task(Node):
    """Uppgift: one checklist item pointing at a resource, motivated and timed."""

    slug: Slug
    title: LangMap
    kind: ResourceKind
    url: HttpUrlStr
    motivation: LangMap = Field(description="Why the participant should do this (varför)")
    estimated_time: Duration
    goals: list[Slug] = Field(min_length=1, description="Slugs of goals of the same course")

    _goal_iris: tuple[str, ...] = PrivateAttr(default=())

    @property
    def duration(self) -> timedelta:
        """``estimated_time`` as a :class:`~datetime.timedelta`."""
        return parse_duration(self.estimated_time)

    @property
    def goal_iris(self) -> list[str]:
        """IRIs of the knowledge goals this task supports (needs an attached node)."""
        _ = self.iri
        return list(private(self, "_goal_iris"))


class _Part(Node):
    _part: PartName = PrivateAttr(default="preparation")

    @property
    def slug(self) -> str:
        """``preparation``, ``course-days`` or ``follow-up``."""
        return self._part

    @property
    def title(self) -> dict[str, str]:
        """Förberedelser / Kursdagar / Efterarbete."""
        return dict(PART_TITLES[self._part])


class Checklist(_Part):
    """Förberedelser or Efterarbete: a digital checklist of tasks."""

    description: LangMap | None = None
    tasks: list[Task] = Field(default_factory=list)


class CourseDays(_Part):
    """Kursdagar: the sessions participants attend together, held per occasion."""

    description: LangMap


class CourseDay(Node):
    """One day of a course occasion; its slug is its 1-based number within the occasion."""

    date: dt.date
    start: ClockTime | None = None
    end: ClockTime | None = None

    _number: int = PrivateAttr(default=0)

    @property
    def slug(self) -> str:
        """The day's 1-based number as text (``"1"``, ``"2"``)."""
        return str(self._number)

    @property
    def title(self) -> dict[str, str]:
        """``Kursdag n`` / ``Course day n``."""
        return {"sv": f"Kursdag {self._number}", "en": f"Course day {self._number}"}


def _occasion_title(slug: str) -> dict[str, str]:
    return {"sv": f"Kurstillfälle {slug}", "en": f"Occasion {slug}"}


class CourseOccasion(Node):
    """Kurstillfälle: when and where the course days take place, and for how many."""

    slug: Slug
    title: ShortLangMap = Field(
        default_factory=lambda data: _occasion_title(data.get("slug", "")),
        description="Defaults to 'Kurstillfälle <slug>'",
    )
    days: list[CourseDay] = Field(min_length=1)
    place: ShortText | None = None
    meeting_url: HttpUrlStr | None = Field(default=None, max_length=2048)
    trainers: list[TrainerName] = Field(default_factory=list)
    capacity: int = Field(ge=1)
    registration_deadline: dt.date


class Course(Node):
    """Kurs: knowledge goals and three parts (preparation, course days, follow-up)."""

    slug: Slug
    title: LangMap
    description: LangMap
    goals: list[KnowledgeGoal] = Field(min_length=1)
    preparation: Checklist
    course_days: CourseDays
    follow_up: Checklist
    occasions: list[CourseOccasion] = Field(default_factory=list)
    evaluation: Evaluation | None = Field(
        default=None, description="This course's evaluation; empty: the catalog's"
    )

    @property
    def tasks(self) -> list[Task]:
        """All tasks, preparation first, then follow-up."""
        return [*self.preparation.tasks, *self.follow_up.tasks]

    @property
    def parts(self) -> tuple[Checklist, CourseDays, Checklist]:
        """The three parts in course order."""
        return (self.preparation, self.course_days, self.follow_up)


class Phase(Node):
    """Resväska (Ny / Van / Erfaren): courses for a range of years in the profession."""

    slug: Slug
    title: LangMap
    description: LangMap | None = None
    years_min: int = Field(ge=0)
    years_max: int | None = Field(default=None, description="Exclusive; empty for 'and more'")
    courses: list[Course] = Field(default_factory=list)


class Stage(Node):
    """Steg (Bas / Fördjupning / Spets): a block of courses of increasing depth."""

    slug: Slug
    title: LangMap
    description: LangMap | None = None
    courses: list[Course] = Field(default_factory=list)


class Journey(Node):
    """Yrkesresa: an area, its target groups and the organisation responsible for it."""

    slug: Slug
    title: LangMap
    area: LangMap
    target_groups: list[LangMap] = Field(min_length=1)
    responsible_organisation: ShortText
    description: LangMap
    phases: list[Phase] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)

    @property
    def steps(self) -> list[Phase | Stage]:
        """Phases, then stages."""
        return [*self.phases, *self.stages]


AnyNode = (
    Journey
    | Phase
    | Stage
    | Course
    | KnowledgeGoal
    | Checklist
    | CourseDays
    | Task
    | CourseOccasion
    | CourseDay
)
