"""The journal on the outbox: xAPI statements and AGS scores, in the request's transaction.

For every action the statements are built with the core
:class:`~yrkesresan_lti.xapi.factory.StatementFactory`, serialized once with
:func:`~yrkesresan_lti.xapi.serialization.statement_bytes` and enqueued for every LRS
target; and one AGS score per placed link of the learner whose node contains the task
(:class:`~yrkesresan_adapter.advantage.PlacementScores`). Nothing here touches the
network.

Per action:

* opened → *experienced* the task;
* done → *completed* the task, *progressed* of its checklist, *passed* for each knowledge
  goal the task just completed, *completed* the course when it is completed by the rule of
  :mod:`yrkesresan_lti.completion` (checklists done and, when the course has course days,
  every day of the learner's occasion attended); AGS scores (each placement's progress,
  for the LMS gradebook);
* undone → a *voided* statement for the completion, *progressed* of its checklist, and a
  *voided* statement for each *passed* goal and the course *completed* the undo made
  unfinished again; AGS scores;
* launched (a learner's launch of a placed course or course part) → *launched* it;
* registered / withdrawn for a course occasion by a manager → *registered* /
  *unregistered*, the actor being the registered person (pseudonymous: the manager's launch
  carries only the manager's name and e-mail, so names are never sent here); promoted from
  the waiting list → *registered* with the ``from-waiting-list`` extension; the occasion
  cancelled → *unregistered* with the reason ``occasion-cancelled``;
* put on / taken off a waiting list → *joined* / *left* the occasion's waiting list (with
  the place in line / the reason); a course day moved → *rescheduled* for each person
  registered (profile 1.5, docs/xapi.md);
* attendance recorded / withdrawn → *attended* / a *voided* statement for it, the actor
  being the person who attended and ``context.instructor`` the recording manager or trainer
  (both pseudonymous; a trainer of another municipality as an account of their own platform);
  then, per person, the course *completed* when the last missing day made the course
  completed, or a *voided* statement for it when a withdrawal made it unfinished, and the
  AGS scores of the person's course placements (:meth:`OutboxJournal.course_days_changed`).

The ids of the unvoided *passed* and course *completed* statements are kept in
:class:`~yrkesresan_adapter.pages.outcomes.OutcomeStatements`, so an undo voids exactly
those and finishing again sends new ones, never a second while one is unvoided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from yrkesresan_adapter.advantage import PlacementScores
from yrkesresan_adapter.pages.journal import (
    AttendanceEvent,
    CompletionReader,
    CourseDaysEvent,
    DayMovedEvent,
    EvaluationEvent,
    Journal,
    OccasionEvent,
    TaskEvent,
)
from yrkesresan_adapter.pages.outcomes import OutcomeStatements
from yrkesresan_adapter.stats.ledger import RecordingOutbox
from yrkesresan_adapter.storage.scope import Along, Executor, Scope
from yrkesresan_lti.catalog import Checklist, Course, CourseDays
from yrkesresan_lti.completion import NO_DAYS, course_completion
from yrkesresan_lti.exceptions import UnknownCatalogNode
from yrkesresan_lti.lti.context import LaunchContext
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.municipalities import Municipality
from yrkesresan_lti.outbox.outbox import Outbox, Payload
from yrkesresan_lti.progress import ProgressState
from yrkesresan_lti.xapi.factory import JsonStatement, StatementFactory
from yrkesresan_lti.xapi.learner import Learner, launch_language
from yrkesresan_lti.xapi.serialization import statement_bytes

PlatformLookup = Callable[[str, str], PlatformRegistration | None]
MunicipalityLookup = Callable[[LaunchContext], Municipality | None]
"""The municipality attached to a launch's platform, deployment or LMS context (or None)."""


class OutboxJournal(Journal):
    """The :class:`~yrkesresan_adapter.pages.journal.Journal` on the durable outbox."""

    def __init__(
        self,
        factory: Callable[[], StatementFactory],
        outbox: Outbox,
        lrs_targets: Sequence[str],
        platforms: PlatformLookup,
        outcomes: OutcomeStatements,
        scores: PlacementScores | None = None,
        completion: CompletionReader | None = None,
        municipalities: MunicipalityLookup | None = None,
    ) -> None:
        self._factory = factory
        self.municipalities = municipalities
        self.outbox = outbox
        self.lrs_targets = list(lrs_targets)
        self.platforms = platforms
        self.outcomes = outcomes
        self.scores = scores
        self.completion = completion
        """Course days for the completion rule; None: checklists alone (no storage)."""

    @property
    def factory(self) -> StatementFactory:
        return self._factory()

    def _learner(self, launch: LaunchContext) -> tuple[Learner, PlatformRegistration | None]:
        platform = self.platforms(launch.issuer, launch.client_id)
        if platform is not None:
            return self._placed(Learner.from_launch(launch, platform), launch), platform
        learner = Learner(
            issuer=launch.issuer,
            sub=launch.sub,
            client_id=launch.client_id,
            deployment_id=launch.deployment_id,
            platform_name=launch.platform_name or launch.issuer,
            language=launch_language(launch.locale),
        )
        return self._placed(learner, launch), None

    def _placed(self, learner: Learner, launch: LaunchContext) -> Learner:
        """``learner`` with the municipality attached to the launch's tenant or context."""
        if self.municipalities is None:
            return learner
        return replace(learner, municipality=self.municipalities(launch))

    def _enqueue(
        self, db: Executor, statements: list[JsonStatement], writes: Sequence[Along] = ()
    ) -> None:
        """Enqueue ``statements`` for every LRS target; ``writes``: writes that may ride in
        the same statement (see :meth:`RecordingOutbox.enqueue_statements`), each of its
        own CTEs."""
        payloads = [Payload(str(s["id"]), statement_bytes(s)) for s in statements]
        if isinstance(self.outbox, RecordingOutbox):  # the ledger reads the dicts at hand
            self.outbox.enqueue_statements(db, statements, payloads, self.lrs_targets, along=writes)
        else:
            self.outbox.enqueue(db, payloads, self.lrs_targets)
            for write in writes:
                write.alone(db)

    def _score(
        self, db: Executor, event: TaskEvent, platform: PlatformRegistration | None, *, done: bool
    ) -> None:
        """One AGS score per placement of the learner in this context whose node contains
        the task (see :class:`~yrkesresan_adapter.advantage.placement_scores.PlacementScores`)."""
        for write in self._scoring(db, event, platform, done=done):
            write.alone(db)

    def _scoring(
        self, db: Executor, event: TaskEvent, platform: PlatformRegistration | None, *, done: bool
    ) -> list[Along]:
        """:meth:`_score`'s writes, not run yet (see :meth:`PlacementScores.scoring`)."""
        if self.scores is None or platform is None:
            return []
        return self.scores.scoring(
            db,
            event.launch,
            platform,
            event.task.iri,
            done=done,
            at=event.timestamp,
            completed=event.completed,
        )

    def _progress(self, learner: Learner, event: TaskEvent) -> list[JsonStatement]:
        part = next(
            p
            for p in (event.course.preparation, event.course.follow_up)
            if event.task.iri.startswith(p.iri + "/")
        )
        part_tally = (
            event.progress.preparation
            if part is event.course.preparation
            else event.progress.follow_up
        )
        return [self.factory.progress_changed(learner, part.iri, part_tally.percent)]

    def task_opened(self, db: Executor, event: TaskEvent) -> str | None:
        learner, _ = self._learner(event.launch)
        statement = self.factory.task_opened(learner, event.task.iri)
        self._enqueue(db, [statement])
        return str(statement["id"])

    def _outcomes(self, db: Executor, event: TaskEvent) -> dict[str, bool]:
        """The task's goals and its course (IRI) → whether each is finished now (the course:
        completed by the rule, course days included)."""
        done = {
            goal: event.progress.goals[goal].state is ProgressState.DONE
            for goal in event.task.goal_iris
        }
        days = NO_DAYS
        if self.completion is not None and event.progress.state is ProgressState.DONE:
            # the occasion's lock: a save of its attendance at this moment commits first
            where, sub = Scope.of(event.launch), event.launch.sub
            days = self.completion.days(db, where, sub, event.course, lock_at=event.timestamp)
        done[event.course.iri] = course_completion(event.progress, days).done
        return done

    def _reached(
        self, db: Executor, learner: Learner, event: TaskEvent
    ) -> tuple[list[JsonStatement], Along | None]:
        """*passed* / course *completed* for what is finished now and has none unvoided, and
        the write that stores them as sent (for :meth:`_enqueue`)."""
        finished = [iri for iri, done in self._outcomes(db, event).items() if done]
        where, sub = Scope.of(event.launch), event.launch.sub
        sent = self.outcomes.sent(db, where, sub, finished)
        new = [iri for iri in finished if iri not in sent]
        statements = [
            self.factory.course_completed(learner, iri)
            if iri == event.course.iri
            else self.factory.goal_reached(learner, iri)
            for iri in new
        ]
        stored = [(iri, str(s["id"])) for iri, s in zip(new, statements, strict=True)]
        return statements, self.outcomes.adding(where, sub, stored, event.timestamp)

    def _revoked(self, db: Executor, learner: Learner, event: TaskEvent) -> list[JsonStatement]:
        """*voided* for the unvoided *passed* / course *completed* of what is unfinished now."""
        unfinished = [iri for iri, done in self._outcomes(db, event).items() if not done]
        where, sub = Scope.of(event.launch), event.launch.sub
        sent = self.outcomes.sent(db, where, sub, unfinished)
        self.outcomes.remove(db, where, sub, list(sent))
        return [
            self.factory.course_completion_revoked(learner, iri, sent[iri])
            if iri == event.course.iri
            else self.factory.goal_revoked(learner, iri, sent[iri])
            for iri in unfinished
            if iri in sent
        ]

    def task_completed(self, db: Executor, event: TaskEvent) -> str | None:
        """*completed* (its id is ``event.statement_id``, which the click may already have
        stored with the task), *progressed*, what the task finished, the AGS scores."""
        learner, platform = self._learner(event.launch)
        completed = self.factory.task_completed(
            learner, event.task.iri, statement_id=event.statement_id
        )
        statements: list[dict[str, Any]] = [completed, *self._progress(learner, event)]
        reached, stored = self._reached(db, learner, event)
        scores = self._scoring(db, event, platform, done=True)
        writes = ([] if stored is None else [stored]) + scores[:1]
        self._enqueue(db, statements + reached, writes)
        for write in scores[1:]:  # a second placement scored: the same CTEs, alone
            write.alone(db)
        return str(completed["id"])

    def task_undone(self, db: Executor, event: TaskEvent) -> str | None:
        learner, platform = self._learner(event.launch)
        statements: list[JsonStatement] = []
        if event.voided_statement_id:
            statements.append(
                self.factory.task_undone(learner, event.task.iri, event.voided_statement_id)
            )
        statements += self._progress(learner, event)
        statements += self._revoked(db, learner, event)
        self._enqueue(db, statements)
        self._score(db, event, platform, done=False)
        return str(statements[0]["id"])

    def launched(
        self, db: Executor, launch: LaunchContext, node_iri: str, at: datetime
    ) -> str | None:
        """A learner's launch of the placed node ``node_iri``: its placement is kept for AGS
        scores (see :meth:`PlacementScores.launched`); *launched* for a course or a course
        part, no statement for any other node (journey, phase, stage, task, occasion)."""
        learner, platform = self._learner(launch)
        if self.scores is not None and platform is not None:
            self.scores.launched(db, launch, platform, at)
        try:
            node = self.factory.catalog.node(node_iri)
        except UnknownCatalogNode:
            return None
        if isinstance(node, Course):
            statement = self.factory.course_launched(learner, node.iri)
        elif isinstance(node, Checklist | CourseDays):
            statement = self.factory.part_launched(learner, node.iri)
        else:
            return None
        self._enqueue(db, [statement])
        return str(statement["id"])

    def person(self, launch: LaunchContext, sub: str) -> Learner:
        """Person ``sub`` of the launch's deployment as a pseudonymous :class:`Learner` (no
        name or e-mail: a manager's launch carries only the manager's)."""
        platform = self.platforms(launch.issuer, launch.client_id)
        person = Learner(
            issuer=launch.issuer,
            sub=sub,
            client_id=launch.client_id,
            deployment_id=launch.deployment_id,
            platform_name=platform.name if platform else launch.platform_name or launch.issuer,
            language=launch_language(launch.locale),
        )
        return self._placed(person, launch)

    def _enqueue_one(self, db: Executor, statement: JsonStatement) -> str:
        self._enqueue(db, [statement])
        return str(statement["id"])

    def registered(self, db: Executor, event: OccasionEvent) -> str | None:
        person = self.person(event.launch, event.sub)
        if event.waiting_since is not None:
            statement = self.factory.registered_from_waiting_list(
                person, event.occasion_iri, event.waiting_since
            )
        else:
            statement = self.factory.registered(person, event.occasion_iri)
        return self._enqueue_one(db, statement)

    def unregistered(self, db: Executor, event: OccasionEvent) -> str | None:
        person = self.person(event.launch, event.sub)
        if event.reason == "occasion-cancelled":
            statement = self.factory.occasion_cancelled(person, event.occasion_iri)
        else:
            statement = self.factory.unregistered(person, event.occasion_iri)
        return self._enqueue_one(db, statement)

    def waiting_joined(self, db: Executor, event: OccasionEvent) -> str | None:
        person = self.person(event.launch, event.sub)
        position = event.position or 1
        statement = self.factory.waiting_list_joined(person, event.occasion_iri, position)
        return self._enqueue_one(db, statement)

    def waiting_left(self, db: Executor, event: OccasionEvent) -> str | None:
        person = self.person(event.launch, event.sub)
        reason = event.reason or "withdrawn"
        statement = self.factory.waiting_list_left(person, event.occasion_iri, reason)
        return self._enqueue_one(db, statement)

    def day_moved(self, db: Executor, event: DayMovedEvent) -> str | None:
        person = self.person(event.launch, event.sub)
        statement = self.factory.course_day_moved(person, event.day_iri, event.before, event.after)
        return self._enqueue_one(db, statement)

    def attended(self, db: Executor, event: AttendanceEvent) -> str | None:
        person = self.person(event.launch, event.sub)
        by = event.recorder or event.launch
        instructor = self.person(by, by.sub)
        statement = self.factory.course_day_attended(person, event.day_iri, instructor=instructor)
        return self._enqueue_one(db, statement)

    def withdrawn(self, db: Executor, event: AttendanceEvent) -> str | None:
        if not event.voided_statement_id:
            return None
        person = self.person(event.launch, event.sub)
        statement = self.factory.attendance_withdrawn(
            person, event.day_iri, event.voided_statement_id
        )
        return self._enqueue_one(db, statement)

    def course_days_changed(self, db: Executor, event: CourseDaysEvent) -> str | None:
        """After a save of attendance, per person: the course *completed* when the course is
        completed now and has no unvoided completion; its *voided* when a withdrawal made
        it unfinished (a recording never voids: a course completed before course days
        counted stays completed); and the AGS scores of the person's course placements."""
        if self.completion is None:
            return None
        where, sub, iri = Scope.of(event.launch), event.sub, event.course.iri
        done = self.completion.completion(db, where, sub, event.course).done
        sent = self.outcomes.sent(db, where, sub, [iri])
        person = self.person(event.launch, sub)
        statement = None
        if done and iri not in sent:
            statement = self.factory.course_completed(person, iri)
            self.outcomes.add(db, where, sub, iri, str(statement["id"]), event.timestamp)
        elif not done and iri in sent and event.withdrawn:
            statement = self.factory.course_completion_revoked(person, iri, sent[iri])
            self.outcomes.remove(db, where, sub, [iri])
        if statement is not None:
            self._enqueue(db, [statement])
        platform = self.platforms(event.launch.issuer, event.launch.client_id)
        if self.scores is not None and platform is not None:
            self.scores.course_days_changed(
                db, event.launch, sub, platform, iri, at=event.timestamp
            )
        return None if statement is None else str(statement["id"])

    def evaluation_answered(self, db: Executor, event: EvaluationEvent) -> list[str]:
        """One *answered* statement per rating (the comment is never sent)."""
        learner, _ = self._learner(event.launch)
        statements = [
            self.factory.evaluation_answered(learner, event.course_iri, answer)
            for answer in event.ratings
        ]
        self._enqueue(db, statements)
        return [str(s["id"]) for s in statements]
