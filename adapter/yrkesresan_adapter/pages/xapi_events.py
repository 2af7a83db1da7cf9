"""Page events → xAPI statements and AGS scores in the outbox, in the request's transaction.

For every learner action the statements are built with the core
:class:`~yrkesresan_lti.xapi.factory.StatementFactory`, serialized once with
:func:`~yrkesresan_lti.xapi.serialization.statement_bytes` and enqueued for every LRS
target; and one AGS score per placed link of the learner whose node contains the task
(:class:`~yrkesresan_adapter.ags_scores.PlacementScores`). Nothing here touches the network.

Per action:

* opened → *experienced* the task;
* done → *completed* the task, *progressed* of its checklist, *passed* for each knowledge
  goal the task just completed, *completed* the course when it is done; AGS scores (each
  placement's progress, for the LMS gradebook);
* undone → a *voided* statement for the completion, *progressed* of its checklist; AGS
  scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from yrkesresan_adapter.pages.events import Executor, TaskEvent
from yrkesresan_lti.lti.stores import PlatformRegistration
from yrkesresan_lti.outbox.outbox import Outbox, Payload
from yrkesresan_lti.progress import ProgressState
from yrkesresan_lti.xapi.factory import JsonStatement, StatementFactory
from yrkesresan_lti.xapi.learner import Learner, launch_language
from yrkesresan_lti.xapi.serialization import statement_bytes

if TYPE_CHECKING:
    from yrkesresan_adapter.ags_scores import PlacementScores

PlatformLookup = Callable[[str, str], PlatformRegistration | None]


class OutboxEvents:
    """:class:`~yrkesresan_adapter.pages.events.PageEvents` on the durable outbox."""

    def __init__(
        self,
        factory: Callable[[], StatementFactory],
        outbox: Outbox,
        lrs_targets: Sequence[str],
        platforms: PlatformLookup,
        scores: PlacementScores | None = None,
    ) -> None:
        self._factory = factory
        self.outbox = outbox
        self.lrs_targets = list(lrs_targets)
        self.platforms = platforms
        self.scores = scores

    @property
    def factory(self) -> StatementFactory:
        return self._factory()

    def _learner(self, event: TaskEvent) -> tuple[Learner, PlatformRegistration | None]:
        launch = event.launch
        platform = self.platforms(launch.issuer, launch.client_id)
        if platform is not None:
            return Learner.from_launch(launch, platform), platform
        learner = Learner(
            issuer=launch.issuer,
            sub=launch.sub,
            client_id=launch.client_id,
            deployment_id=launch.deployment_id,
            platform_name=launch.platform_name or launch.issuer,
            language=launch_language(launch.locale),
        )
        return learner, None

    def _enqueue(self, db: Executor, statements: list[JsonStatement]) -> None:
        payloads = [Payload(str(s["id"]), statement_bytes(s)) for s in statements]
        self.outbox.enqueue(db, payloads, self.lrs_targets)

    def _score(
        self, db: Executor, event: TaskEvent, platform: PlatformRegistration | None, *, done: bool
    ) -> None:
        """One AGS score per placement of the learner in this context whose node contains
        the task (see :class:`~yrkesresan_adapter.ags_scores.PlacementScores`)."""
        if self.scores is None or platform is None:
            return
        self.scores.enqueue(
            db, event.launch, platform, event.task.iri, done=done, at=event.timestamp
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
        learner, _ = self._learner(event)
        statement = self.factory.task_opened(learner, event.task.iri)
        self._enqueue(db, [statement])
        return str(statement["id"])

    def task_completed(self, db: Executor, event: TaskEvent) -> str | None:
        learner, platform = self._learner(event)
        completed = self.factory.task_completed(learner, event.task.iri)
        statements: list[dict[str, Any]] = [completed, *self._progress(learner, event)]
        for goal_iri in event.task.goal_iris:
            if event.progress.goals[goal_iri].state is ProgressState.DONE:
                statements.append(self.factory.goal_reached(learner, goal_iri))
        if event.progress.state is ProgressState.DONE:
            statements.append(self.factory.course_completed(learner, event.course.iri))
        self._enqueue(db, statements)
        self._score(db, event, platform, done=True)
        return str(completed["id"])

    def task_undone(self, db: Executor, event: TaskEvent) -> str | None:
        learner, platform = self._learner(event)
        statements: list[JsonStatement] = []
        if event.voided_statement_id:
            statements.append(
                self.factory.task_undone(learner, event.task.iri, event.voided_statement_id)
            )
        statements += self._progress(learner, event)
        self._enqueue(db, statements)
        self._score(db, event, platform, done=False)
        return str(statements[0]["id"])
