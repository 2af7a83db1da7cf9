"""Statements from domain events: one method per event, each returning a validated dict.

Each method checks the catalog node, decides object, placement and result, and hands a
:class:`~yrkesresan_lti.xapi.assembly.Draft` to the assembler. Serialize with
:func:`~yrkesresan_lti.xapi.serialization.statement_bytes` and store those bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from tincan import Activity, ActivityDefinition, LanguageMap, Result, Score, StatementRef

from yrkesresan_lti.catalog import (
    AnyNode,
    Catalog,
    Checklist,
    Course,
    CourseDay,
    CourseDays,
    KnowledgeGoal,
    Task,
)
from yrkesresan_lti.clock import SYSTEM_CLOCK, Clock, new_uuid
from yrkesresan_lti.exceptions import InvalidStatement, UnknownCatalogNode
from yrkesresan_lti.xapi.assembly import Draft, JsonStatement, StatementAssembler
from yrkesresan_lti.xapi.evaluation import EvaluationAnswer
from yrkesresan_lti.xapi.learner import Learner
from yrkesresan_lti.xapi.occasion_events import OccasionChangeEvents
from yrkesresan_lti.xapi.placement import Placement, place
from yrkesresan_lti.xapi.pseudonym import Pseudonymizer
from yrkesresan_lti.xapi.templates import TEMPLATES_BY_NAME, TOOL_ACCOUNT_NAME
from yrkesresan_lti.xapi.validation import syntax
from yrkesresan_lti.xapi.vocabulary import (
    PROGRESS,
    QUESTION,
)

__all__ = ["TOOL_ACCOUNT_NAME", "JsonStatement", "StatementFactory"]


class StatementFactory(OccasionChangeEvents):
    """Builds the statements of one catalog; collaborators are arguments so tests pass fakes."""

    def __init__(
        self,
        catalog: Catalog,
        pseudonymizer: Pseudonymizer,
        *,
        platform: str = "Yrkesresan LTI",
        clock: Clock = SYSTEM_CLOCK,
        id_factory: Callable[[], str | uuid.UUID] = new_uuid,
    ) -> None:
        self.catalog = catalog
        self._placements: dict[str, Placement] = {}
        self._goals: dict[str, tuple[AnyNode, ...]] = {}
        self._progress = PROGRESS.iri(catalog.iri_base)
        self._assembler = StatementAssembler(
            catalog.iri_base, pseudonymizer, platform=platform, clock=clock, id_factory=id_factory
        )

    # --- events -----------------------------------------------------------------------------

    def task_opened(self, learner: Learner, task_iri: str) -> JsonStatement:
        """The learner opened a task's resource (verb experienced)."""
        return self._task_event("task_opened", learner, task_iri)

    def task_completed(
        self, learner: Learner, task_iri: str, *, statement_id: str | None = None
    ) -> JsonStatement:
        """The learner marked a task done (verb completed, ``result.completion`` true).
        ``statement_id``: the id the caller already stored with the task (a UUID); else a
        new one."""
        return self._task_event(
            "task_completed", learner, task_iri, {"completion": True}, statement_id=statement_id
        )

    def task_undone(
        self, learner: Learner, task_iri: str, completion_id: str | uuid.UUID
    ) -> JsonStatement:
        """The learner unmarked a task: voids the completion statement ``completion_id``."""
        return self._void("task_undone", learner, self._place(task_iri, Task), completion_id)

    def progress_changed(self, learner: Learner, node_iri: str, progress: int) -> JsonStatement:
        """Progress (0–100 %) of a checklist, the course days or a course changed."""
        if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
            raise InvalidStatement(
                f"progress must be a whole percentage 0–100, got {progress!r}",
                field="result.extensions",
            )
        place_ = self._place(node_iri, Checklist, CourseDays, Course)
        result = {"extensions": {self._progress: progress}}
        return self._statement("progress_changed", learner, None, place_, result=result)

    def part_launched(self, learner: Learner, part_iri: str) -> JsonStatement:
        """The learner launched a course part (preparation, course days, follow-up)."""
        return self._statement(
            "part_launched", learner, None, self._place(part_iri, Checklist, CourseDays)
        )

    def course_launched(self, learner: Learner, course_iri: str) -> JsonStatement:
        """The learner launched a whole course placed in the LMS."""
        return self._statement("course_launched", learner, None, self._place(course_iri, Course))

    def course_day_attended(
        self, learner: Learner, day_iri: str, *, instructor: Learner | None = None
    ) -> JsonStatement:
        """The learner attended a course day; ``instructor`` is the trainer who recorded it."""
        place_ = self._place(day_iri, CourseDay)
        return self._statement("course_day_attended", learner, None, place_, instructor=instructor)

    def attendance_withdrawn(
        self, learner: Learner, day_iri: str, attended_id: str | uuid.UUID
    ) -> JsonStatement:
        """A trainer corrected the learner's attendance on a course day: voids the
        *attended* statement ``attended_id`` (same registration as that statement)."""
        return self._void(
            "attendance_withdrawn", learner, self._place(day_iri, CourseDay), attended_id
        )

    def registered(self, learner: Learner, occasion_iri: str) -> JsonStatement:
        """The learner was registered for a course occasion (object: the course)."""
        return self._occasion_event("registered", learner, occasion_iri)

    def unregistered(self, learner: Learner, occasion_iri: str) -> JsonStatement:
        """The learner's registration for a course occasion was withdrawn."""
        return self._occasion_event("unregistered", learner, occasion_iri)

    def goal_reached(self, learner: Learner, goal_iri: str) -> JsonStatement:
        """The learner reached a knowledge goal (verb passed, ``result.success`` true)."""
        place_ = self._place(goal_iri, KnowledgeGoal)
        return self._statement("goal_reached", learner, None, place_, result={"success": True})

    def course_completed(self, learner: Learner, course_iri: str) -> JsonStatement:
        """The learner completed a whole course (``result.completion`` true)."""
        place_ = self._place(course_iri, Course)
        return self._statement(
            "course_completed", learner, None, place_, result={"completion": True}
        )

    def goal_revoked(
        self, learner: Learner, goal_iri: str, passed_id: str | uuid.UUID
    ) -> JsonStatement:
        """An undo made a reached knowledge goal unfinished: voids the *passed* statement
        ``passed_id``."""
        return self._void("goal_revoked", learner, self._place(goal_iri, KnowledgeGoal), passed_id)

    def course_completion_revoked(
        self, learner: Learner, course_iri: str, completed_id: str | uuid.UUID
    ) -> JsonStatement:
        """An undo made a completed course unfinished: voids the course's *completed*
        statement ``completed_id``."""
        place_ = self._place(course_iri, Course)
        return self._void("course_completion_revoked", learner, place_, completed_id)

    def statement_erased(self, voided: JsonStatement, tool_home_page: str) -> JsonStatement:
        """Voids ``voided`` (a statement this tool sent) because the learner's data is
        erased. The actor is the tool, ``account{homePage: tool_home_page, name:
        "yrkesresan-lti"}``, not the learner: the erasure leaves no new trace of them."""
        tool = {
            "objectType": "Agent",
            "account": {"homePage": tool_home_page, "name": TOOL_ACCOUNT_NAME},
        }
        return self._assembler.assemble_erasure(TEMPLATES_BY_NAME["statement_erased"], voided, tool)

    def evaluation_answered(
        self, learner: Learner, course_iri: str, answer: EvaluationAnswer
    ) -> JsonStatement:
        """The learner answered one question of the course evaluation."""
        place_ = self._place(course_iri, Course)
        question = Activity(
            id=f"{course_iri}/evaluation/questions/{answer.question}",
            definition=ActivityDefinition(
                name=LanguageMap(dict(answer.text)), type=QUESTION.iri(self.catalog.iri_base)
            ),
        )
        result = Result(response=answer.response)
        if answer.score is not None:
            result.score = Score(
                raw=answer.score, min=answer.scale_min, max=answer.scale_max, scaled=answer.scaled
            )
        return self._statement(
            "evaluation_answered",
            learner,
            question,
            place_,
            parents=(place_.node,),
            grouping=(*place_.parents, *place_.grouping),
            result=result,
        )

    # --- shared -------------------------------------------------------------------------------

    def _task_event(
        self,
        name: str,
        learner: Learner,
        task_iri: str,
        result: dict[str, Any] | None = None,
        *,
        statement_id: str | None = None,
    ) -> JsonStatement:
        place_ = self._place(task_iri, Task)
        goals = self._goals.get(task_iri)
        if goals is None:
            task = place_.node
            assert isinstance(task, Task)
            goals = self._goals[task_iri] = tuple(self.catalog.node(i) for i in task.goal_iris)
        return self._statement(
            name, learner, None, place_, other=goals, result=result, statement_id=statement_id
        )

    def _void(
        self, name: str, learner: Learner, place_: Placement, voided_id: str | uuid.UUID
    ) -> JsonStatement:
        """A *voided* statement of ``voided_id``; the voided node goes in ``other``."""
        if not syntax.is_uuid(str(voided_id)):
            raise InvalidStatement(
                f"{voided_id!r} is not a statement id (UUID): pass the id of the statement to void",
                field="object.id",
            )
        return self._statement(
            name,
            learner,
            StatementRef(id=str(voided_id)),
            place_,
            parents=(),
            grouping=(),
            other=(place_.node,),
        )

    def _place(self, iri: str, *kinds: type[AnyNode]) -> Placement:
        placement = self._placements.get(iri)
        if placement is None:  # the catalog is frozen: one placement per node IRI
            placement = self._placements[iri] = place(self.catalog, iri)
        if not isinstance(placement.node, kinds):
            wanted = " or ".join(kind.__name__ for kind in kinds)
            raise UnknownCatalogNode(
                f"'{iri}' is a {type(placement.node).__name__} of the catalog, not a {wanted}: "
                "pass the IRI of the node the event is about"
            )
        return placement

    def _statement(
        self,
        name: str,
        learner: Learner,
        target: Activity | StatementRef | None,
        placement: Placement,
        **details: Any,
    ) -> JsonStatement:
        draft = Draft(TEMPLATES_BY_NAME[name], learner, placement, target, **details)
        return self._assembler.assemble(draft)
